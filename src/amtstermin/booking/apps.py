from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class BookingConfig(AppConfig):
    name = "amtstermin.booking"
    verbose_name = _("Appointments")

    def ready(self) -> None:
        from amtstermin.booking import db_guard, signals, waitlist_tasks
        from amtstermin.booking.roles import ensure_staff_groups

        signals.connect()
        waitlist_tasks.connect()

        # Permissions exist only after migrate has run, so the groups are kept in step then.
        post_migrate.connect(ensure_staff_groups, sender=self)
        post_migrate.connect(db_guard.ensure_sqlite_triggers, sender=self)
