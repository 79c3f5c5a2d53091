"""Anonymous daily figures that outlive the appointments' personal data.

Nothing here names a citizen: counts and minutes per office, day, service or counter. The
nightly task (``reports.tasks``) computes them from the appointments and tickets of a day
(recomputing a day replaces its computed figures); the counters of refused searches and
waitlist sign-ups are raised live by the code that refuses or signs up (``reports.recording``).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from amtstermin.booking.models import Counter, Office, Service


class DailyServiceFigures(models.Model):
    """One office's day for one service (``service`` empty: walk-ins that named no service)."""

    office = models.ForeignKey(
        Office, on_delete=models.CASCADE, related_name="+", verbose_name=_("office")
    )
    day = models.DateField(_("day"))
    # A deleted service keeps its figures under its name.
    service = models.ForeignKey(
        Service,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("service"),
    )
    service_name = models.CharField(_("service name"), max_length=200, blank=True)
    booked_online = models.PositiveIntegerField(_("booked online"), default=0)
    booked_phone = models.PositiveIntegerField(_("booked by phone"), default=0)
    booked_counter = models.PositiveIntegerField(_("booked at the counter"), default=0)
    booked_minutes = models.PositiveIntegerField(_("booked minutes"), default=0)
    cancelled_by_citizen = models.PositiveIntegerField(_("cancelled by the citizen"), default=0)
    cancelled_by_office = models.PositiveIntegerField(_("cancelled by the office"), default=0)
    no_shows = models.PositiveIntegerField(_("no-shows"), default=0)
    completed = models.PositiveIntegerField(_("served appointments"), default=0)
    lapsed_holds = models.PositiveIntegerField(_("lapsed holds"), default=0)
    unconfirmed = models.PositiveIntegerField(_("unconfirmed bookings"), default=0)
    walk_ins = models.PositiveIntegerField(_("walk-in numbers"), default=0)
    waits = models.PositiveIntegerField(_("waiting times recorded"), default=0)
    wait_median = models.FloatField(_("median wait (minutes)"), null=True, blank=True)
    wait_p90 = models.FloatField(_("90th percentile of the wait (minutes)"), null=True, blank=True)
    served_minutes = models.FloatField(_("served minutes"), default=0)
    walk_in_minutes = models.FloatField(_("minutes serving walk-ins"), default=0)
    # Raised live, never recomputed (see reports.recording).
    refused_limit = models.PositiveIntegerField(_("refused: limit reached"), default=0)
    refused_nothing_free = models.PositiveIntegerField(_("refused: nothing free"), default=0)
    waitlist_signups = models.PositiveIntegerField(_("waitlist sign-ups"), default=0)

    class Meta:
        verbose_name = _("daily figures of a service")
        verbose_name_plural = _("daily figures of the services")
        ordering = ["office", "day", "service_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["office", "day", "service"],
                name="daily_service_figures_once",
            )
        ]
        indexes = [models.Index(fields=["office", "day"], name="daily_service_office_day")]

    def __str__(self) -> str:
        return f"{self.day} {self.service_name}"

    @property
    def bookings(self) -> int:
        return self.booked_online + self.booked_phone + self.booked_counter


class DailyCounterFigures(models.Model):
    """One counter's day: open, booked and served minutes."""

    office = models.ForeignKey(
        Office, on_delete=models.CASCADE, related_name="+", verbose_name=_("office")
    )
    day = models.DateField(_("day"))
    counter = models.ForeignKey(
        Counter,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("counter"),
    )
    counter_name = models.CharField(_("counter name"), max_length=100, blank=True)
    open_minutes = models.PositiveIntegerField(_("open minutes"), default=0)
    booked_minutes = models.PositiveIntegerField(_("booked minutes"), default=0)
    served_minutes = models.FloatField(_("served minutes"), default=0)

    class Meta:
        verbose_name = _("daily figures of a counter")
        verbose_name_plural = _("daily figures of the counters")
        ordering = ["office", "day", "counter_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["office", "day", "counter"], name="daily_counter_figures_once"
            )
        ]
        indexes = [models.Index(fields=["office", "day"], name="daily_counter_office_day")]

    def __str__(self) -> str:
        return f"{self.day} {self.counter_name}"


class HourlyWaits(models.Model):
    """Waiting times at the office by the hour (office time) the number was drawn or the
    citizen checked in: for the walk-in page's hour-of-day and weekday charts."""

    office = models.ForeignKey(
        Office, on_delete=models.CASCADE, related_name="+", verbose_name=_("office")
    )
    day = models.DateField(_("day"))
    hour = models.PositiveSmallIntegerField(_("hour"))
    waits = models.PositiveIntegerField(_("waiting times recorded"), default=0)
    wait_minutes = models.FloatField(_("minutes waited in all"), default=0)
    walk_ins = models.PositiveIntegerField(_("walk-in numbers"), default=0)

    class Meta:
        verbose_name = _("waiting times of an hour")
        verbose_name_plural = _("waiting times of the hours")
        ordering = ["office", "day", "hour"]
        constraints = [
            models.UniqueConstraint(fields=["office", "day", "hour"], name="hourly_waits_once")
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.hour}:00"


class NextFreeSample(models.Model):
    """How many days ahead the first free online time for one person was, when sampled."""

    office = models.ForeignKey(
        Office, on_delete=models.CASCADE, related_name="+", verbose_name=_("office")
    )
    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, related_name="+", verbose_name=_("service")
    )
    taken_at = models.DateTimeField(_("sampled"))
    day = models.DateField(_("day (office time)"))
    # Empty: nothing free in the booking window.
    days_ahead = models.PositiveSmallIntegerField(_("days ahead"), null=True, blank=True)

    class Meta:
        verbose_name = _("time to the next free appointment")
        verbose_name_plural = _("times to the next free appointment")
        ordering = ["office", "-taken_at"]
        indexes = [models.Index(fields=["office", "day"], name="next_free_office_day")]

    def __str__(self) -> str:
        return f"{self.taken_at:%Y-%m-%d %H:%M} {self.days_ahead}"


class StatisticsSettings(models.Model):
    """Per office: whether the public transparency page is shown."""

    office = models.OneToOneField(
        Office,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="statistics_settings",
        verbose_name=_("office"),
    )
    public_page = models.BooleanField(
        _("public transparency page"),
        default=False,
        help_text=_(
            "Publish the current time to the next free appointment per service and the "
            "walk-in waiting time."
        ),
    )

    class Meta:
        verbose_name = _("statistics settings")
        verbose_name_plural = _("statistics settings")

    def __str__(self) -> str:
        return str(self.office)

    @staticmethod
    def publishes(office_id: int) -> bool:
        """Whether the office publishes its waiting times (the public page and its link)."""
        return StatisticsSettings.objects.filter(office_id=office_id, public_page=True).exists()
