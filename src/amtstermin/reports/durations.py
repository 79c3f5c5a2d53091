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

from django.db.models import Count

from amtstermin.booking.models import (
    Appointment,
    AppointmentLine,
    AppointmentStatus,
    Office,
    Service,
)
from amtstermin.reports.figures import minutes_between, percentile

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
    ``LOOK_BACK_DAYS`` days."""
    completed = Appointment.objects.filter(
        office=office,
        status=AppointmentStatus.COMPLETED,
        start__gte=now - timedelta(days=LOOK_BACK_DAYS),
        start__lt=now,
    )
    single_service = (
        AppointmentLine.objects.filter(appointment__in=completed)
        .values("appointment_id")
        .annotate(n=Count("pk"))
        .filter(n=1)
        .values("appointment_id")
    )
    times = {
        pk: (called or checked_in, done)
        for pk, called, checked_in, done in completed.values_list(
            "pk", "in_service_at", "checked_in_at", "completed_at"
        )
    }
    found: dict[int, list[tuple[int, float]]] = defaultdict(list)
    for appointment_id, service_id, persons in AppointmentLine.objects.filter(
        appointment_id__in=single_service
    ).values_list("appointment_id", "service_id", "persons"):
        minutes = minutes_between(*times.get(appointment_id, (None, None)))
        if minutes is not None:
            found[service_id].append((persons, minutes))
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
    visits = measured_visits(office, now=now)
    return [
        fit_for(service, visits.get(service.pk, []))
        for service in Service.objects.filter(office=office, active=True).order_by(
            "sort_order", "name"
        )
    ]
