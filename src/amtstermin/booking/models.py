"""Offices, counters, services and appointments.

Every write to an appointment goes through ``services.py``; nothing else saves one.
"""

from __future__ import annotations

import functools
import zoneinfo
from datetime import date, datetime, timedelta
from decimal import Decimal

import holidays
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from amtstermin.booking.translation import localized

FEDERAL_STATES = [
    ("BW", "Baden-Württemberg"),
    ("BY", "Bayern"),
    ("BE", "Berlin"),
    ("BB", "Brandenburg"),
    ("HB", "Bremen"),
    ("HH", "Hamburg"),
    ("HE", "Hessen"),
    ("MV", "Mecklenburg-Vorpommern"),
    ("NI", "Niedersachsen"),
    ("NW", "Nordrhein-Westfalen"),
    ("RP", "Rheinland-Pfalz"),
    ("SL", "Saarland"),
    ("SN", "Sachsen"),
    ("ST", "Sachsen-Anhalt"),
    ("SH", "Schleswig-Holstein"),
    ("TH", "Thüringen"),
]


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("%(value)s is not a known time zone."), params={"value": value})


# Labels stay untranslated: a label translated at import time would leak into migrations.
GRID_CHOICES = [(m, f"{m} min") for m in (5, 10, 15, 20, 30)]


@functools.lru_cache(maxsize=64)
def _state_holidays(state: str, first_year: int, stop_year: int) -> tuple[tuple[date, str], ...]:
    # Law, not configuration: the same state and years always give the same days.
    calendar = holidays.country_holidays(
        "DE", subdiv=state, years=list(range(first_year, stop_year)), language="de"
    )
    return tuple(sorted(calendar.items()))


class Office(models.Model):
    name = models.CharField(_("name"), max_length=200)
    street = models.CharField(_("street and number"), max_length=200)
    postal_code = models.CharField(_("postal code"), max_length=10)
    city = models.CharField(_("city"), max_length=100)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("web page"), blank=True)
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="Europe/Berlin", validators=[validate_time_zone]
    )
    federal_state = models.CharField(
        _("federal state"),
        max_length=2,
        choices=FEDERAL_STATES,
        help_text=_("Public holidays of this state close the office automatically."),
    )
    slot_minutes = models.PositiveSmallIntegerField(
        _("slot grid"),
        choices=GRID_CHOICES,
        default=5,
        help_text=_("Appointments start on this grid and last a multiple of it."),
    )
    bookable_from = models.DateField(
        _("bookable from"),
        null=True,
        blank=True,
        help_text=_("The first day that online booking may offer. Empty: from today."),
    )
    horizon_days = models.PositiveSmallIntegerField(
        _("days ahead"),
        default=42,
        validators=[MinValueValidator(1), MaxValueValidator(366)],
        help_text=_("How many days ahead citizens may book online."),
    )
    lead_time_minutes = models.PositiveIntegerField(
        _("minimum lead time (minutes)"),
        default=120,
        help_text=_("Online bookings must start at least this long after the moment of booking."),
    )
    cancel_deadline_hours = models.PositiveIntegerField(
        _("online changes until (hours before)"),
        default=24,
        help_text=_(
            "Later than this, citizens must call the office to move an appointment. They can "
            "cancel online until it starts."
        ),
    )
    hold_minutes = models.PositiveSmallIntegerField(
        _("hold time (minutes)"),
        default=10,
        validators=[MinValueValidator(2), MaxValueValidator(60)],
        help_text=_("How long a chosen time is kept for a citizen who is filling in the form."),
    )
    require_email_confirmation = models.BooleanField(
        _("online bookings need e-mail confirmation"),
        default=True,
        help_text=_("The citizen confirms through a link; unconfirmed bookings are released."),
    )
    confirm_minutes = models.PositiveSmallIntegerField(
        _("time to confirm (minutes)"),
        default=60,
        validators=[MinValueValidator(5), MaxValueValidator(24 * 60)],
    )
    reminder_hours = models.PositiveSmallIntegerField(
        _("reminder (hours before)"),
        default=24,
        validators=[MinValueValidator(1), MaxValueValidator(14 * 24)],
        help_text=_("No reminder for bookings made later than this."),
    )
    retention_days = models.PositiveSmallIntegerField(
        _("delete personal data after (days)"),
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text=_("Counted from the appointment, or from its cancellation."),
    )
    imprint_url = models.URLField(
        _("imprint (web address)"), blank=True, help_text=_("The town's imprint (Impressum).")
    )
    barrier_contact_email = models.EmailField(
        _("e-mail for reporting barriers"),
        blank=True,
        help_text=_("Where citizens report accessibility barriers. Empty: the office's e-mail."),
    )
    accessibility_statement = models.TextField(
        _("accessibility statement (additional text)"),
        blank=True,
        help_text=_("Known limitations and the enforcement body, shown in the statement."),
    )
    active = models.BooleanField(_("active"), default=True)
    walk_in_daily_limit = models.PositiveSmallIntegerField(
        _("walk-in tickets per day"),
        null=True,
        blank=True,
        help_text=_("The kiosk issues at most this many walk-in tickets a day. Empty: no limit."),
    )
    require_second_factor = models.BooleanField(
        _("second factor required for staff"),
        default=False,
        help_text=_(
            "Staff of this office must set up an authenticator app (TOTP) and enter a code "
            "at every login before they can use the back office or the admin."
        ),
    )

    class Meta:
        verbose_name = _("office")
        verbose_name_plural = _("offices")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def address(self) -> str:
        return f"{self.street}, {self.postal_code} {self.city}"

    def public_holidays(self, years: range) -> dict[date, str]:
        """Public holidays of the office's federal state, in German."""
        return dict(_state_holidays(self.federal_state, years.start, years.stop))


class AvailabilityVersion(models.Model):
    """Raised by every change that can alter an office's free times; keys the availability cache
    (``value``), and by configuration changes (``configuration``), keying the cached
    configuration. A table of its own, so that saving an office form can never write an old
    value back.
    """

    office = models.OneToOneField(
        Office, on_delete=models.CASCADE, primary_key=True, related_name="availability_version"
    )
    value = models.BigIntegerField(default=0)
    configuration = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("availability version")
        verbose_name_plural = _("availability versions")

    def __str__(self) -> str:
        return f"{self.office_id}: {self.value}"


class Service(models.Model):
    office = models.ForeignKey(
        Office, on_delete=models.CASCADE, related_name="services", verbose_name=_("office")
    )
    name = models.CharField(_("name (German)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    description = models.TextField(_("short description (German)"), blank=True)
    description_en = models.TextField(_("short description (English)"), blank=True)
    first_person_minutes = models.PositiveSmallIntegerField(
        _("minutes for the first person"), validators=[MinValueValidator(1)]
    )
    per_person_minutes = models.PositiveSmallIntegerField(
        _("minutes for each further person"), default=0
    )
    max_persons = models.PositiveSmallIntegerField(
        _("persons per booking at most"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
    )
    online_bookable = models.BooleanField(
        _("bookable online"),
        default=True,
        help_text=_("Otherwise only staff can book it (phone or counter)."),
    )
    fee_amount = models.DecimalField(
        _("fee (EUR)"),
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("Empty: no fee."),
    )
    fee_per_person = models.BooleanField(
        _("fee per person"), default=True, help_text=_("Otherwise one fixed amount per booking.")
    )
    fee_note = models.CharField(_("fee note (German)"), max_length=300, blank=True)
    fee_note_en = models.CharField(_("fee note (English)"), max_length=300, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=100)
    active = models.BooleanField(_("active"), default=True)
    leika_key = models.CharField(
        _("LeiKa key"), max_length=14, blank=True, help_text=_("Federal service catalogue key.")
    )

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["office", "sort_order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["office", "name"], name="service_name_unique_per_office"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return localized(self, "name")

    @property
    def display_description(self) -> str:
        return localized(self, "description")

    @property
    def display_fee_note(self) -> str:
        return localized(self, "fee_note")

    def minutes_for(self, persons: int) -> int:
        return self.first_person_minutes + (persons - 1) * self.per_person_minutes


class Document(models.Model):
    """A document to bring, once per visit or once per person."""

    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, related_name="documents", verbose_name=_("service")
    )
    name = models.CharField(_("name (German)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    per_person = models.BooleanField(_("once per person"), default=False)
    note = models.CharField(_("note (German)"), max_length=300, blank=True)
    note_en = models.CharField(_("note (English)"), max_length=300, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=100)

    class Meta:
        verbose_name = _("document to bring")
        verbose_name_plural = _("documents to bring")
        ordering = ["service", "sort_order", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return localized(self, "name")

    @property
    def display_note(self) -> str:
        return localized(self, "note")


class Counter(models.Model):
    """A desk staffed by a clerk."""

    office = models.ForeignKey(
        Office, on_delete=models.CASCADE, related_name="counters", verbose_name=_("office")
    )
    name = models.CharField(_("name"), max_length=100)
    active = models.BooleanField(_("active"), default=True)
    online_bookable = models.BooleanField(
        _("offered online"),
        default=True,
        help_text=_("A counter kept back for walk-ins and phone bookings is not offered online."),
    )
    services = models.ManyToManyField(Service, related_name="counters", verbose_name=_("services"))

    class Meta:
        verbose_name = _("counter")
        verbose_name_plural = _("counters")
        ordering = ["office", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["office", "name"], name="counter_name_unique_per_office"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class OpeningHours(models.Model):
    """One opening interval of a counter on a weekday, in office-local time."""

    counter = models.ForeignKey(
        Counter, on_delete=models.CASCADE, related_name="opening_hours", verbose_name=_("counter")
    )
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    start = models.TimeField(_("from"))
    end = models.TimeField(_("until"))
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)

    class Meta:
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")
        ordering = ["counter", "weekday", "start"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")), name="hours_end_after_start"
            ),
            models.CheckConstraint(
                condition=models.Q(valid_from__isnull=True)
                | models.Q(valid_until__isnull=True)
                | models.Q(valid_until__gte=models.F("valid_from")),
                name="hours_validity_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.start:%H:%M}–{self.end:%H:%M}"

    def clean(self) -> None:
        if self.start and self.end and self.end <= self.start:
            raise ValidationError({"end": _("The end must be after the start.")})
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            raise ValidationError({"valid_until": _("Must not be before “valid from”.")})


class Absence(models.Model):
    """A counter is not staffed (holiday, illness, training)."""

    counter = models.ForeignKey(
        Counter, on_delete=models.CASCADE, related_name="absences", verbose_name=_("counter")
    )
    start = models.DateTimeField(_("from"))
    end = models.DateTimeField(_("until"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("absence")
        verbose_name_plural = _("absences")
        ordering = ["counter", "start"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")), name="absence_end_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.counter}: {self.start:%Y-%m-%d %H:%M}"

    def clean(self) -> None:
        if self.start and self.end and self.end <= self.start:
            raise ValidationError({"end": _("The end must be after the start.")})


class Closure(models.Model):
    """The whole office is closed (works outing, IT migration), beside public holidays."""

    office = models.ForeignKey(
        Office, on_delete=models.CASCADE, related_name="closures", verbose_name=_("office")
    )
    start = models.DateTimeField(_("from"))
    end = models.DateTimeField(_("until"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("closure")
        verbose_name_plural = _("closures")
        ordering = ["office", "start"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")), name="closure_end_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.office}: {self.start:%Y-%m-%d %H:%M}"

    def clean(self) -> None:
        if self.start and self.end and self.end <= self.start:
            raise ValidationError({"end": _("The end must be after the start.")})


class Status(models.TextChoices):
    HELD = "held", _("held")
    PENDING = "pending", _("pending confirmation")
    CONFIRMED = "confirmed", _("confirmed")
    CANCELLED = "cancelled", _("cancelled")
    EXPIRED = "expired", _("expired")
    CHECKED_IN = "checked_in", _("checked in")
    COMPLETED = "completed", _("completed")
    NO_SHOW = "no_show", _("no-show")


# A counter is taken by these; the database refuses two overlapping ones on one counter.
ACTIVE_STATUSES = (Status.HELD, Status.PENDING, Status.CONFIRMED, Status.CHECKED_IN)

# An appointment fits into one day's opening hours, so it lasts less than 25 hours; both databases
# refuse a longer one. Searches for overlapping appointments rely on it: they read the start index
# from ``start - LONGEST_APPOINTMENT`` on instead of every appointment the counter ever had.
LONGEST_APPOINTMENT = timedelta(days=2)


class Channel(models.TextChoices):
    ONLINE = "online", _("online")
    PHONE = "phone", _("phone")
    COUNTER = "counter", _("counter")


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
    status = models.CharField(_("status"), max_length=16, choices=Status.choices)
    code = models.CharField(_("booking code"), max_length=8, unique=True)
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
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")), name="appointment_end_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

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


# --- Back office: staff, audit, walk-in tickets ---------------------------------------------


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


class TicketStatus(models.TextChoices):
    WAITING = "waiting", _("waiting")
    CALLED = "called", _("called")
    SERVING = "serving", _("serving")
    DONE = "done", _("done")
    SET_ASIDE = "set_aside", _("set aside")


class Ticket(models.Model):
    """A number drawn at the kiosk: a walk-in, or a booked citizen who has checked in."""

    WALK_IN_PREFIX = "W"
    APPOINTMENT_PREFIX = "T"

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
