from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


def _bump_configuration(sender: Any, instance: Any, **kwargs: Any) -> None:
    """An e-mail setting is configuration: the office's cached catalog holds it."""
    from amtstermin.booking import availability_cache

    if not kwargs.get("raw"):
        availability_cache.bump(instance.office_id, configuration=True)


class NotificationsConfig(AppConfig):
    name = "amtstermin.notifications"
    verbose_name = _("E-mails")

    def ready(self) -> None:
        from amtstermin.notifications.models import MessageSetting

        post_save.connect(
            _bump_configuration, sender=MessageSetting, dispatch_uid="message-setting-save"
        )
        post_delete.connect(
            _bump_configuration, sender=MessageSetting, dispatch_uid="message-setting-delete"
        )
