"""Measured service times against the configured durations, and a suggestion where the data
suffices.

The fit is median-based, so a few very long or very short visits do not move it:

- *first person*: the median duration of the visits for one person;
- *each further person*: the median, over the visits for two or more persons, of
  ``(duration - first person) / (persons - 1)``.

A visit is an appointment for one service that was completed; its duration runs from the
call (or, if not recorded, the check-in) to completion. A suggestion is made when at least
``MIN_VISITS`` visits back a value and it differs from the configuration by ``MIN_CHANGE``
minutes or more.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.cache import cache
from django.db.models import DurationField, ExpressionWrapper, F
from django.db.models.functions import Coalesce

from amtstermin.booking.models import (
    Appointment,
    AppointmentLine,
    AppointmentStatus,
    Office,
    Service,
)
from amtstermin.reports.figures import percentile

MIN_VISITS = 20
MIN_CHANGE = 2  # minutes
LOOK_BACK_DAYS = 182


@dataclass(frozen=True)
class DurationFit:
    service: Service
    visits: int
    single_visits: int
    multi_visits: int
    measured_first: float | None
    measured_per: float | None
    suggested_first: int | None  # None: keep the configured value
    suggested_per: int | None

    @property
    def suggests(self) -> bool:
        return self.suggested_first is not None or self.suggested_per is not None

    @property
    def new_first(self) -> int:
        return (
            self.suggested_first
            if self.suggested_first is not None
            else self.service.first_person_minutes
        )

    @property
    def new_per(self) -> int:
        return (
            self.suggested_per
            if self.suggested_per is not None
            else self.service.per_person_minutes
        )


def fit(durations: list[tuple[int, float]]) -> tuple[float | None, float | None, int, int]:
    """(first person, each further person, visits for one, visits for more) from
    ``(persons, minutes)`` pairs."""
    single = [minutes for persons, minutes in durations if persons == 1]
    first = percentile(single, 0.5)
    multi = [(persons, minutes) for persons, minutes in durations if persons > 1]
    per = None
    if multi:
        base = first if first is not None else 0.0
        per = percentile([(minutes - base) / (persons - 1) for persons, minutes in multi], 0.5)
        if per is not None:
            per = max(per, 0.0)
    return first, per, len(single), len(multi)


def _suggestion(measured: float | None, visits: int, configured: int) -> int | None:
    if measured is None or visits < MIN_VISITS:
        return None
    proposed = max(round(measured), 0)
    return proposed if abs(proposed - configured) >= MIN_CHANGE else None


def measured_visits(office: Office, *, now: datetime) -> dict[int, list[tuple[int, float]]]:
    """Per service: ``(persons, minutes)`` of the completed one-service visits of the last
    ``LOOK_BACK_DAYS`` days (one query over the lines, joined with their appointments)."""
    # The database subtracts: converting three timestamps per row costs more than the query.
    rows = (
        AppointmentLine.objects.filter(
            appointment__office=office,
            appointment__status=AppointmentStatus.COMPLETED,
            appointment__start__gte=now - timedelta(days=LOOK_BACK_DAYS),
            appointment__start__lt=now,
            appointment__completed_at__isnull=False,
        )
        .annotate(
            took=ExpressionWrapper(
                F("appointment__completed_at")
                - Coalesce("appointment__in_service_at", "appointment__checked_in_at"),
                output_field=DurationField(),
            )
        )
        .values_list("appointment_id", "service_id", "persons", "took")
    )
    by_appointment: dict[int, list[tuple[int, int, float | None]]] = defaultdict(list)
    for appointment_id, service_id, persons, took in rows:
        minutes = None if took is None or took < timedelta(0) else took.total_seconds() / 60
        by_appointment[appointment_id].append((service_id, persons, minutes))
    found: dict[int, list[tuple[int, float]]] = defaultdict(list)
    for lines in by_appointment.values():
        if len(lines) != 1:
            continue  # several services: the time cannot be split among them
        service_id, persons, minutes = lines[0]
        if minutes is not None:
            found[service_id].append((persons, minutes))
    return found


VISITS_CACHE_SECONDS = 6 * 3600


def cached_visits(office: Office, *, now: datetime) -> dict[int, list[tuple[int, float]]]:
    """``measured_visits``, kept in the cache while the day and the number of completed
    appointments stay the same (a new completion or the next day reads them again)."""
    completed = Appointment.objects.filter(
        office=office,
        status=AppointmentStatus.COMPLETED,
        start__gte=now - timedelta(days=LOOK_BACK_DAYS),
        start__lt=now,
    ).count()
    today = now.astimezone(office.zone).date()
    key = f"reports:visits:{office.pk}:{today.isoformat()}:{completed}"
    found = cache.get(key)
    if found is None:
        found = dict(measured_visits(office, now=now))
        cache.set(key, found, VISITS_CACHE_SECONDS)
    return found


def fit_for(service: Service, durations: list[tuple[int, float]]) -> DurationFit:
    first, per, singles, multis = fit(durations)
    return DurationFit(
        service=service,
        visits=len(durations),
        single_visits=singles,
        multi_visits=multis,
        measured_first=None if first is None else round(first, 1),
        measured_per=None if per is None else round(per, 1),
        suggested_first=_suggestion(first, singles, service.first_person_minutes),
        suggested_per=_suggestion(per, multis, service.per_person_minutes),
    )


def duration_fits(office: Office, *, now: datetime) -> list[DurationFit]:
    visits = cached_visits(office, now=now)
    return [
        fit_for(service, visits.get(service.pk, []))
        for service in Service.objects.filter(office=office, active=True).order_by(
            "sort_order", "name"
        )
    ]
