"""An office and what it offers: its configuration, services, counters and hours."""

from __future__ import annotations

import functools
import zoneinfo
from datetime import date
from decimal import Decimal
from typing import ClassVar

import holidays
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from amtstermin.booking.models.texts import OfficeTextsModel

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


class AccessibilityConformance(models.TextChoices):
    FULL = "full", _("fully compliant")
    PARTIAL = "partial", _("partially compliant")
    NONE = "none", _("not compliant")


class Office(OfficeTextsModel):
    name = models.CharField(_("name"), max_length=200)
    street = models.CharField(_("street and number"), max_length=200)
    postal_code = models.CharField(_("postal code"), max_length=10)
    city = models.CharField(_("city"), max_length=100)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("web page"), blank=True)
    address_note = models.TextField(
        _("how to find us"),
        blank=True,
        max_length=500,
        help_text=_(
            "Shown with the address on the office page and in the e-mails, e.g. the entrance, "
            "floor and room, or step-free access."
        ),
    )
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
    release_time = models.TimeField(
        _("release time"),
        null=True,
        blank=True,
        help_text=_(
            "If set, each working day at this time the day the given days ahead becomes "
            "bookable (for example 07:30). Empty: a new day becomes bookable at midnight."
        ),
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
    check_in_minutes_before = models.PositiveSmallIntegerField(
        _("check-in from (minutes before)"),
        default=60,
        validators=[MaxValueValidator(24 * 60)],
        help_text=_(
            "Citizens can be checked in on the day of their appointment from this many minutes "
            "before its start."
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
    accessibility_reviewed_on = models.DateField(
        _("accessibility statement last reviewed on"),
        null=True,
        blank=True,
        help_text=_(
            "The date the statement names (BITV 2.0 asks for it). Empty: the statement says "
            "that it has not been dated yet."
        ),
    )
    accessibility_conformance = models.CharField(
        _("conformance with BITV 2.0"),
        max_length=10,
        choices=AccessibilityConformance.choices,
        blank=True,
        help_text=_(
            "Empty: partially compliant when known limitations are entered, otherwise fully "
            "compliant."
        ),
    )
    accessibility_method = models.CharField(
        _("how the statement was prepared"),
        max_length=300,
        blank=True,
        help_text=_(
            "For example “self-assessment with automated and manual tests” or the name of an "
            "external test. Empty: a self-assessment with automated and manual tests."
        ),
    )
    accessibility_enforcement_name = models.CharField(
        _("enforcement or conciliation body"),
        max_length=200,
        blank=True,
        help_text=_(
            "Where citizens turn when the office's answer does not satisfy them (the body of "
            "your federal state). Empty: the federal conciliation body under § 16 BGG."
        ),
    )
    accessibility_enforcement_url = models.URLField(
        _("enforcement or conciliation body (web address)"), blank=True
    )
    sign_language_video_url = models.URLField(
        _("German Sign Language video (web address)"),
        blank=True,
        help_text=_(
            "A video in German Sign Language about the office, hosted elsewhere (for example on "
            "the town's web site). The start page and the Leichte Sprache page link to it."
        ),
    )
    active = models.BooleanField(_("active"), default=True)
    walk_in_daily_limit = models.PositiveSmallIntegerField(
        _("walk-in tickets per day"),
        null=True,
        blank=True,
        help_text=_("The kiosk issues at most this many walk-in tickets a day. Empty: no limit."),
    )
    appointments_per_person = models.PositiveSmallIntegerField(
        _("appointments per person"),
        default=2,
        validators=[MinValueValidator(1)],
        help_text=_(
            "How many appointments one e-mail address or phone number may hold at a time "
            "(reserved, waiting for confirmation or booked) when booking online."
        ),
    )
    waitlist_offer_hours = models.PositiveSmallIntegerField(
        _("waitlist offers open for (hours)"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(72)],
        help_text=_(
            "When a time becomes free, it is kept this long for the first citizen on the "
            "waitlist whose wish fits; then it goes to the next."
        ),
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

    @property
    def accessibility_status(self) -> str:
        """The conformance the statement declares: as set, or from the known limitations."""
        if self.accessibility_conformance:
            return self.accessibility_conformance
        if self.accessibility_statement.strip():
            return AccessibilityConformance.PARTIAL
        return AccessibilityConformance.FULL

    def public_holidays(self, years: range) -> dict[date, str]:
        """Public holidays of the office's federal state, in German."""
        return dict(_state_holidays(self.federal_state, years.start, years.stop))


class AvailabilityVersion(models.Model):
    """Raised by every change that can alter an office's free times; keys the availability cache
    (``answers``), and by configuration changes (``configuration``), keying the cached
    configuration. A table of its own, so that saving an office form can never write an old
    value back.
    """

    office = models.OneToOneField(
        Office, on_delete=models.CASCADE, primary_key=True, related_name="availability_version"
    )
    answers = models.BigIntegerField(default=0, db_column="value")
    configuration = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("availability version")
        verbose_name_plural = _("availability versions")

    def __str__(self) -> str:
        return f"{self.office_id}: {self.answers}"


MAX_PERSONS = 20  # the most persons any service can be booked for at once


class ServiceQuerySet(models.QuerySet["Service"]):
    def with_counter_offer(self) -> ServiceQuerySet:
        """Annotate which counters offer each service, as ``Service.bookable_online`` and
        ``Service.shown_to_citizens`` read it: ``at_active_counter`` (some active counter offers
        it) and ``at_online_counter`` (some active counter that is offered online does)."""
        offering = Counter.objects.filter(services=models.OuterRef("pk"), active=True)
        return self.annotate(
            at_active_counter=models.Exists(offering),
            at_online_counter=models.Exists(offering.filter(online_bookable=True)),
        )


ServiceManager = models.Manager.from_queryset(ServiceQuerySet)


# The office's order; ties by the German name, the same in every language (the cached
# configuration serves every language).
SERVICE_ORDER = ("sort_order", "name_de", "pk")


def service_order(service: Service) -> tuple[int, str, int]:
    """``SERVICE_ORDER`` for services in hand."""
    return (service.sort_order, service.name_de or "", service.pk)  # type: ignore[attr-defined]


class Service(OfficeTextsModel):
    office = models.ForeignKey(
        Office, on_delete=models.CASCADE, related_name="services", verbose_name=_("office")
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("short description"), blank=True)
    first_person_minutes = models.PositiveSmallIntegerField(
        _("minutes for the first person"), validators=[MinValueValidator(1)]
    )
    per_person_minutes = models.PositiveSmallIntegerField(
        _("minutes for each further person"), default=0
    )
    max_persons = models.PositiveSmallIntegerField(
        _("persons per booking at most"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_PERSONS)],
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
    fee_note = models.CharField(_("fee note"), max_length=300, blank=True)
    category = models.ForeignKey(
        "ServiceCategory",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="services",
        verbose_name=_("category"),
        help_text=_("The start page groups services by category. Empty: “Further services”."),
    )
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=100)
    active = models.BooleanField(_("active"), default=True)
    leika_key = models.CharField(
        _("LeiKa key"), max_length=14, blank=True, help_text=_("Federal service catalogue key.")
    )

    # Annotated: modeltranslation swaps the manager's class at run time (to rewrite lookups of
    # translated fields), where django-stubs would otherwise look for its type.
    objects: ClassVar[ServiceManager] = ServiceManager()
    _default_manager: ClassVar[ServiceManager]

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["office", *SERVICE_ORDER]
        constraints = [
            models.UniqueConstraint(
                fields=["office", "name"], name="service_name_unique_per_office"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def minutes_for(self, persons: int) -> int:
        return self.first_person_minutes + (persons - 1) * self.per_person_minutes

    def _offered(self, attribute: str, **counters: bool) -> bool:
        # From ``ServiceQuerySet.with_counter_offer`` where loaded, else one query.
        known = getattr(self, attribute, None)
        if known is None:
            known = self.counters.filter(active=True, **counters).exists()
            setattr(self, attribute, known)
        return bool(known)

    @property
    def bookable_online(self) -> bool:
        """The one rule for booking online (citizen pages, API, booking checks): the service is
        meant for online booking and an active counter that is offered online offers it."""
        return self.online_bookable and self._offered("at_online_counter", online_bookable=True)

    @property
    def shown_to_citizens(self) -> bool:
        """Citizens see what they can book online, and a staff-only service that some counter
        offers ("only by phone"); never a service they could only try in vain."""
        if self.online_bookable:
            return self.bookable_online
        return self.offered_at_a_counter

    @property
    def offered_at_a_counter(self) -> bool:
        """Some active counter offers it (staff can book it)."""
        return self._offered("at_active_counter")


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
