"""Staff of an office, and the audit log of what they did."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from amtstermin.booking.models.appointment import Appointment
from amtstermin.booking.models.office import Office


class StaffMembership(models.Model):
    """A staff user works for an office; staff see only their offices' data."""

    user = models.ForeignKey(
        "auth.User",
        on_delete=models.CASCADE,
        related_name="office_memberships",
        verbose_name=_("staff member"),
    )
    office = models.ForeignKey(
        Office, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("office")
    )

    class Meta:
        verbose_name = _("office membership")
        verbose_name_plural = _("office memberships")
        ordering = ["office", "user"]
        constraints = [models.UniqueConstraint(fields=["user", "office"], name="membership_once")]

    def __str__(self) -> str:
        return f"{self.user} – {self.office}"


class AuditQuerySet(models.QuerySet["AuditEntry"]):
    """Audit entries are written once and never changed or removed through the ORM."""

    def update(self, **kwargs: object) -> int:
        raise PermissionError("audit entries cannot be changed")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("audit entries cannot be deleted")


class AuditAction(models.TextChoices):
    BOOK = "book", _("booked")
    CANCEL = "cancel", _("cancelled")
    MOVE = "move", _("moved")
    CHECK_IN = "check_in", _("checked in")
    CHECK_IN_UNDONE = "check_in_undone", _("check-in undone")
    START_SERVICE = "start_service", _("service started")
    COMPLETE = "complete", _("completed")
    NO_SHOW = "no_show", _("marked no-show")
    ABSENCE = "absence", _("counter blocked")
    CLOSURE = "closure", _("office closed")
    WALK_IN_LIMIT = "walk_in_limit", _("walk-in limit set")
    TICKET_CALL = "ticket_call", _("number called")
    TICKET_CALL_AGAIN = "ticket_call_again", _("number called again")
    TICKET_SET_ASIDE = "ticket_set_aside", _("number set aside")
    TICKET_RETURN = "ticket_return", _("number back in the queue")
    TICKET_DONE = "ticket_done", _("number done")
    CITIZEN_CALLED = "citizen_called", _("citizen phoned")
    COUNTER_SERVICES = "counter_services", _("counters and services changed")
    DURATION_SUGGESTION = "duration_suggestion", _("durations set from measured times")
    TICKET_LEFT = "ticket_left", _("number given up by the citizen")
    DEVICE_PAIR = "device_pair", _("kiosk or display paired")
    DEVICE_REVOKE = "device_revoke", _("kiosk or display revoked")
    OFFICE_TEXTS = "office_texts", _("texts for citizens changed")


class AuditEntry(models.Model):
    """Who did what to an appointment or ticket, with the state before and after (no names)."""

    office = models.ForeignKey(
        Office, on_delete=models.PROTECT, related_name="audit_entries", verbose_name=_("office")
    )
    actor = models.ForeignKey(
        "auth.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("staff member"),
    )
    actor_name = models.CharField(_("staff member (as recorded)"), max_length=150, blank=True)
    created_at = models.DateTimeField(_("time"))
    action = models.CharField(_("action"), max_length=40, choices=AuditAction.choices)
    appointment = models.ForeignKey(
        Appointment,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="audit_entries",
        verbose_name=_("appointment"),
    )
    ticket = models.ForeignKey(
        "Ticket",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="audit_entries",
        verbose_name=_("ticket"),
    )
    before = models.JSONField(_("before"), default=dict, blank=True)
    after = models.JSONField(_("after"), default=dict, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ["-created_at", "-id"]
        default_permissions = ("add", "view")
        indexes = [models.Index(fields=["office", "created_at"], name="audit_office_time")]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action}"

    def save(self, *args: object, **kwargs: object) -> None:
        if not self._state.adding:
            raise PermissionError("audit entries cannot be changed")
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise PermissionError("audit entries cannot be deleted")
