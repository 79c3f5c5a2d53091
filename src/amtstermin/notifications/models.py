"""Outgoing e-mails and the office's settings for each kind of message."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime, timedelta
from email.utils import make_msgid, parseaddr
from typing import TYPE_CHECKING, TypedDict

from django.conf import settings
from django.db import models
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.utils.translation import gettext_lazy as _

from amtstermin.booking.models.texts import OfficeTextsModel

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    from amtstermin.booking.models import Appointment


class MessageKind(models.TextChoices):
    CONFIRM_REQUEST = "confirm_request", _("Please confirm")
    CONFIRMED = "confirmed", _("Confirmed")
    REMINDER = "reminder", _("Reminder")
    CANCELLED = "cancelled", _("Cancelled")
    MOVED = "moved", _("Moved")
    LAPSED = "lapsed", _("Not confirmed in time")
    WAITLIST_OPT_IN = "waitlist_opt_in", _("Waitlist: please confirm")
    WAITLIST_OFFER = "waitlist_offer", _("Waitlist: a time for you")


# Messages about a waitlist wish (``Message.wish``), not about an appointment.
WISH_KINDS = (MessageKind.WAITLIST_OPT_IN, MessageKind.WAITLIST_OFFER)


def is_wanted(appointment: Appointment, kind: str, *, messages_off: Collection[str]) -> bool:
    """A message goes out if the citizen gave an address and the office has not turned its kind
    off (``messages_off``: the kinds the office's configuration turns off)."""
    return bool(appointment.email) and kind not in messages_off


class MessageSetting(OfficeTextsModel):
    """Staff turn a kind of message off, or add an office-specific paragraph to it."""

    office = models.ForeignKey(
        "booking.Office",
        on_delete=models.CASCADE,
        related_name="message_settings",
        verbose_name=_("office"),
    )
    kind = models.CharField(_("message"), max_length=20, choices=MessageKind.choices)
    enabled = models.BooleanField(_("send"), default=True)
    paragraph = models.TextField(_("additional paragraph"), blank=True, max_length=2000)

    class Meta:
        verbose_name = _("e-mail setting")
        verbose_name_plural = _("e-mail settings")
        constraints = [
            models.UniqueConstraint(fields=["office", "kind"], name="message_setting_once")
        ]

    def __str__(self) -> str:
        return f"{self.office}: {self.get_kind_display()}"


class MessageStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    SENDING = "sending", _("sending")
    SENT = "sent", _("sent")
    FAILED = "failed", _("failed")
    SKIPPED = "skipped", _("not needed any more")


def new_message_id() -> str:
    """A Message-ID header, made once per message: a resend (after a crash, or by staff) carries
    the same one, so a rare duplicate is recognisable as such."""
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2]
    return make_msgid(domain=domain or "localhost")


def _interrupted(now: datetime) -> Q:
    """Still "sending" after the task timeout: the worker died during the attempt."""
    cutoff = now - timedelta(seconds=settings.TASK_TIMEOUT_SECONDS)
    return Q(status=MessageStatus.SENDING, attempt_started_at__lt=cutoff)


class Interrupted(TypedDict):
    """The flag ``MessageQuerySet.undelivered`` adds to each row."""

    interrupted: bool


class MessageQuerySet(models.QuerySet["Message"]):
    def interrupted(self, now: datetime) -> MessageQuerySet:
        return self.filter(_interrupted(now))

    def undelivered(self, now: datetime) -> MessageQuerySet[WithAnnotations[Message, Interrupted]]:
        """Failed for good, waiting for a retry after a failed try, or interrupted (each row
        says which in ``interrupted``)."""
        return self.filter(
            Q(status=MessageStatus.FAILED)
            | Q(status=MessageStatus.QUEUED, attempts__gt=0)
            | _interrupted(now)
        ).annotate(interrupted=ExpressionWrapper(_interrupted(now), output_field=BooleanField()))

    def resendable(self, now: datetime) -> MessageQuerySet:
        return self.filter(
            Q(status__in=[MessageStatus.FAILED, MessageStatus.SENT]) | _interrupted(now)
        )


class Message(models.Model):
    """One e-mail to a citizen, about an appointment or (the waitlist's) a wish. Rendered when
    sent, in the citizen's language."""

    appointment = models.ForeignKey(
        "booking.Appointment",
        on_delete=models.CASCADE,
        related_name="messages",
        verbose_name=_("appointment"),
        null=True,
        blank=True,
    )
    wish = models.ForeignKey(
        "booking.WaitlistEntry",
        on_delete=models.CASCADE,
        related_name="messages",
        verbose_name=_("waitlist wish"),
        null=True,
        blank=True,
    )
    kind = models.CharField(_("message"), max_length=20, choices=MessageKind.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=MessageStatus.choices, default=MessageStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    attempt_started_at = models.DateTimeField(_("last attempt started"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    message_id = models.CharField(
        _("Message-ID"), max_length=255, default=new_message_id, editable=False
    )

    objects = MessageQuerySet.as_manager()

    class Meta:
        verbose_name = _("e-mail")
        verbose_name_plural = _("e-mails")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "created_at"], name="message_status_created")]
        constraints = [
            models.CheckConstraint(
                condition=Q(appointment__isnull=False) | Q(wish__isnull=False),
                name="message_about_something",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_status_display()})"
