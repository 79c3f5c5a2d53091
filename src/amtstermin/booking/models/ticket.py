"""Numbers drawn at the kiosk, and the queue they form."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from amtstermin.booking.models.appointment import Appointment
from amtstermin.booking.models.office import Counter, Office, Service


class TicketStatus(models.TextChoices):
    WAITING = "waiting", _("waiting")
    CALLED = "called", _("called")
    DONE = "done", _("done")
    SET_ASIDE = "set_aside", _("set aside")
    LEFT = "left", _("left the queue")


class Ticket(models.Model):
    """A number drawn at the kiosk: a walk-in, or a booked citizen who has checked in."""

    WALK_IN_PREFIX = "W"
    APPOINTMENT_PREFIX = "T"
    # The live ticket page's token, only on the instance that issued it (never stored).
    page_token = ""

    office = models.ForeignKey(
        Office, on_delete=models.PROTECT, related_name="tickets", verbose_name=_("office")
    )
    day = models.DateField(_("day"))
    prefix = models.CharField(_("prefix"), max_length=2)
    number = models.PositiveIntegerField(_("number"))
    services = models.ManyToManyField(
        Service, blank=True, related_name="+", verbose_name=_("services asked for")
    )
    status = models.CharField(
        _("status"), max_length=12, choices=TicketStatus.choices, default=TicketStatus.WAITING
    )
    counter = models.ForeignKey(
        Counter,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tickets",
        verbose_name=_("counter"),
    )
    appointment = models.OneToOneField(
        Appointment,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ticket",
        verbose_name=_("appointment"),
    )
    minutes = models.PositiveSmallIntegerField(_("expected minutes"), default=10)
    created_at = models.DateTimeField(_("drawn"))
    called_at = models.DateTimeField(_("called"), null=True, blank=True)
    call_count = models.PositiveSmallIntegerField(_("times called"), default=0)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    first_called_at = models.DateTimeField(_("first called"), null=True, blank=True)
    set_aside_at = models.DateTimeField(_("set aside (no-show)"), null=True, blank=True)
    left_at = models.DateTimeField(_("left the queue"), null=True, blank=True)
    # The live ticket page /t/<token>/: only the token's hash is stored.
    token_hash = models.CharField(
        _("hash of the ticket page's token"), max_length=64, unique=True, null=True, blank=True
    )
    # Kept to measure the estimate: what the citizen was told at issue, and what happened.
    estimated_wait_minutes = models.PositiveSmallIntegerField(
        _("estimated wait at issue (minutes)"), null=True, blank=True
    )
    actual_wait_minutes = models.PositiveSmallIntegerField(
        _("actual wait (minutes)"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")
        ordering = ["office", "day", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["office", "day", "number"], name="ticket_number_once_per_day"
            )
        ]
        indexes = [models.Index(fields=["office", "day", "status"], name="ticket_queue")]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return f"{self.prefix}-{self.number:03d}"

    @property
    def is_open(self) -> bool:
        """Still waiting or at a counter: the ticket page follows it."""
        return self.status in (TicketStatus.WAITING, TicketStatus.CALLED)
