"""Appointments and their services; facts about one appointment live here.

Every write to an appointment goes through the booking services; nothing else saves one.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Any

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from amtstermin.booking.contact import email_identity, phone_identity
from amtstermin.booking.models.office import Counter, Office, Service


class AppointmentStatus(models.TextChoices):
    HELD = "held", _("held")
    PENDING = "pending", _("pending confirmation")
    CONFIRMED = "confirmed", _("confirmed")
    CANCELLED = "cancelled", _("cancelled")
    EXPIRED = "expired", _("expired")
    CHECKED_IN = "checked_in", _("checked in")
    COMPLETED = "completed", _("completed")
    NO_SHOW = "no_show", _("no-show")


# A counter is taken by these; the database refuses two overlapping ones on one counter.
ACTIVE_STATUSES = (
    AppointmentStatus.HELD,
    AppointmentStatus.PENDING,
    AppointmentStatus.CONFIRMED,
    AppointmentStatus.CHECKED_IN,
)

# An appointment fits into one day's opening hours, so it lasts less than 25 hours; both databases
# refuse a longer one. Searches for overlapping appointments rely on it: they read the start index
# from ``start - LONGEST_APPOINTMENT`` on instead of every appointment the counter ever had.
LONGEST_APPOINTMENT = timedelta(days=2)


class Channel(models.TextChoices):
    ONLINE = "online", _("online")
    PHONE = "phone", _("phone")
    COUNTER = "counter", _("counter")


CODE_LENGTH = 8  # characters of a booking code
MAX_HOLD_EXTENSIONS = 2  # so that one person cannot keep a time from others for long


def holds_time(
    status: str, held_until: datetime | None, pending_until: datetime | None, now: datetime
) -> bool:
    """Whether an appointment in this state takes its counter's time at ``now``.

    A hold or an unconfirmed booking past its deadline no longer holds it: it has *lapsed*
    (``AppointmentQuerySet.lapsed``). Its time is free at once, whether or not a task has
    marked it expired yet, unless wishes wait on the office's waitlist: then it is free only
    once marked expired, in the transaction that offers it to the waitlist first
    (``selectors.engine_inputs``). For rows read without the ORM; ``Appointment.holds_time``
    asks the same of an instance.
    """
    if status == AppointmentStatus.HELD:
        return held_until is not None and held_until > now
    if status == AppointmentStatus.PENDING:
        return pending_until is not None and pending_until > now
    return status in ACTIVE_STATUSES


def overlapping_q(start: datetime, end: datetime) -> Q:
    """Appointments overlapping [start, end). The lower bound on the start lets the database read
    the start index from there on, not the whole history (see ``LONGEST_APPOINTMENT``)."""
    return Q(start__lt=end, end__gt=start, start__gt=start - LONGEST_APPOINTMENT)


class AppointmentQuerySet(models.QuerySet["Appointment"]):
    def lapsed(self, now: datetime) -> AppointmentQuerySet:
        """Holds and unconfirmed bookings whose deadline has passed: active, but no longer
        holding their time. The first term repeats the statuses so that the database reads
        ``appointment_status_office`` for them only."""
        return self.filter(
            Q(status__in=[AppointmentStatus.HELD, AppointmentStatus.PENDING])
            & (
                Q(status=AppointmentStatus.HELD, held_until__lte=now)
                | Q(status=AppointmentStatus.PENDING, pending_until__lte=now)
            )
        )

    def overlapping(self, start: datetime, end: datetime) -> AppointmentQuerySet:
        return self.filter(overlapping_q(start, end))


class Appointment(models.Model):
    # No index of their own: the (office, start) and (counter, start) indexes below serve them.
    office = models.ForeignKey(
        Office,
        on_delete=models.PROTECT,
        related_name="appointments",
        verbose_name=_("office"),
        db_index=False,
    )
    counter = models.ForeignKey(
        Counter,
        on_delete=models.PROTECT,
        related_name="appointments",
        verbose_name=_("counter"),
        db_index=False,
    )
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    status = models.CharField(_("status"), max_length=16, choices=AppointmentStatus.choices)
    code = models.CharField(_("booking code"), max_length=CODE_LENGTH, unique=True)
    token_nonce = models.CharField(_("manage token (nonce)"), max_length=32, default="")
    token_hash = models.CharField(_("manage token (hash)"), max_length=64, unique=True)
    citizen_name = models.CharField(_("name"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    booked_for = models.CharField(
        _("booked for"), max_length=200, blank=True, help_text=_("When booked for someone else.")
    )
    language = models.CharField(_("language"), max_length=8, default="de")
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    held_until = models.DateTimeField(_("held until"), null=True, blank=True)
    pending_until = models.DateTimeField(_("to be confirmed until"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    expired_at = models.DateTimeField(_("expired"), null=True, blank=True)
    checked_in_at = models.DateTimeField(_("checked in"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    no_show_at = models.DateTimeField(_("marked no-show"), null=True, blank=True)
    personal_data_erased_at = models.DateTimeField(_("personal data erased"), null=True, blank=True)
    revision = models.PositiveIntegerField(
        _("revision"), default=0, help_text=_("Raised by every move; the calendar file's SEQUENCE.")
    )
    in_service_at = models.DateTimeField(_("service started"), null=True, blank=True)
    cancel_reason = models.CharField(_("reason for cancellation"), max_length=300, blank=True)
    # The e-mail address and phone number as the per-person limits compare them (save() keeps
    # them in step; the purge erases them with the rest).
    email_identity = models.CharField(max_length=254, blank=True, editable=False)
    phone_identity = models.CharField(max_length=50, blank=True, editable=False)
    hold_extensions = models.PositiveSmallIntegerField(
        _("hold extended"), default=0, help_text=_("How often the citizen asked for more time.")
    )
    # The office's last move or cancellation (``booking.office_change``): the citizen is told
    # it was the office, and why; one without an e-mail address is phoned (the call list).
    changed_by_office = models.BooleanField(_("changed by the office"), default=False)
    office_reason = models.CharField(_("the office's reason"), max_length=300, blank=True)
    moved_from = models.DateTimeField(_("start before the office moved it"), null=True, blank=True)
    office_call_needed_at = models.DateTimeField(_("to be phoned since"), null=True, blank=True)
    called_back_at = models.DateTimeField(_("phoned"), null=True, blank=True)
    called_back_by = models.ForeignKey(
        "auth.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("phoned by"),
    )

    objects = AppointmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
        ordering = ["start", "counter"]
        indexes = [
            models.Index(fields=["counter", "start"], name="appointment_counter_start"),
            models.Index(fields=["office", "start"], name="appointment_office_start"),
            # Releasing lapsed holds reads only the held and pending rows, however long the
            # history. (A partial index would be smaller, but SQLite did not use one for the
            # ORM's query, whose statuses are bound parameters.)
            models.Index(fields=["status", "office"], name="appointment_status_office"),
            # The daily purge reads only the rows that still hold personal data (the last days'
            # and the future ones), not the office's whole history (docs/benchmarks.md). With
            # the start, SQLite prefers it to the one above for the purge's query in start order.
            models.Index(
                fields=["office", "start"],
                condition=models.Q(personal_data_erased_at__isnull=True),
                name="appointment_not_erased",
            ),
            models.Index(fields=["office", "email_identity"], name="appointment_email_identity"),
            models.Index(fields=["office", "phone_identity"], name="appointment_phone_identity"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")), name="appointment_end_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.code

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.email_identity = email_identity(self.email)
        self.phone_identity = phone_identity(self.phone)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"email", "phone"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "email_identity", "phone_identity"}
        super().save(*args, **kwargs)

    def cancel_deadline(self) -> datetime:
        """Citizens may cancel online until the appointment starts: a late cancellation is
        always better for the office than a no-show."""
        return self.start

    def move_deadline(self) -> datetime:
        """Citizens may move online until the office's deadline before the start."""
        return self.start - timedelta(hours=self.office.cancel_deadline_hours)

    def may_cancel_online(self, now: datetime) -> bool:
        """Whether the time still allows the citizen to cancel (the status is the services')."""
        return now < self.cancel_deadline()

    def may_move_online(self, now: datetime) -> bool:
        """Whether the time still allows the citizen to move (the status is the services')."""
        return now < self.move_deadline()

    def check_in_opens(self) -> datetime:
        """The first moment it can be checked in: the office's check-in time before its start,
        but not before the office-local day it lies on."""
        zone = self.office.zone
        day_start = datetime.combine(self.start.astimezone(zone).date(), time(), zone)
        early = self.start - timedelta(minutes=self.office.check_in_minutes_before)
        return max(early, day_start.astimezone(UTC))

    def may_check_in_at(self, now: datetime) -> bool:
        """Whether the time allows a check-in (the status is the desk's): on the appointment's
        own day, from ``check_in_opens`` on. The desk and the kiosk both ask this."""
        zone = self.office.zone
        same_day = now.astimezone(zone).date() == self.start.astimezone(zone).date()
        return same_day and now >= self.check_in_opens()

    def holds_time(self, now: datetime) -> bool:
        """Whether it still takes its counter's time (a lapsed hold or unconfirmed booking
        does not, before any task has marked it expired)."""
        return holds_time(self.status, self.held_until, self.pending_until, now)

    def may_extend_hold(self) -> bool:
        return self.hold_extensions < MAX_HOLD_EXTENSIONS

    @property
    def is_hold(self) -> bool:
        """It began as a hold: held, or a hold whose time ran out and that the release task has
        marked expired since."""
        return self.status == AppointmentStatus.HELD or (
            self.status == AppointmentStatus.EXPIRED and self.held_until is not None
        )

    @property
    def needs_confirmation(self) -> bool:
        """Online bookings with an e-mail address are confirmed through a link, if the office
        asks for it."""
        return (
            self.office.require_email_confirmation
            and self.channel == Channel.ONLINE
            and bool(self.email)
        )

    def is_movable(self, now: datetime) -> bool:
        """Booked and still holding its time. A lapsed unconfirmed booking holds none: moved,
        it would stay lapsed at the new time, so it is not movable (by staff either)."""
        return self.status in (
            AppointmentStatus.PENDING,
            AppointmentStatus.CONFIRMED,
        ) and self.holds_time(now)

    def may_change_online(self, now: datetime) -> bool:
        """Whether the citizen may still move it online: movable, before the office's deadline."""
        return self.is_movable(now) and self.may_move_online(now)


class AppointmentLine(models.Model):
    """One service of an appointment, for a number of persons."""

    # No index of its own: the unique (appointment, service) constraint serves it.
    appointment = models.ForeignKey(
        Appointment,
        on_delete=models.CASCADE,
        related_name="lines",
        verbose_name=_("appointment"),
        db_index=False,
    )
    service = models.ForeignKey(
        Service, on_delete=models.PROTECT, related_name="+", verbose_name=_("service")
    )
    persons = models.PositiveSmallIntegerField(_("persons"), validators=[MinValueValidator(1)])

    class Meta:
        verbose_name = _("service of the appointment")
        verbose_name_plural = _("services of the appointment")
        constraints = [
            models.UniqueConstraint(fields=["appointment", "service"], name="line_service_once"),
            models.CheckConstraint(
                condition=models.Q(persons__gte=1), name="line_persons_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service} × {self.persons}"
