"""Compute one office's anonymous figures of one day from its appointments and tickets.

Recomputing a day replaces what was computed before (the live counters of refusals and
waitlist sign-ups stay). The rules, in the words of the statistics pages:

- An appointment belongs to the office-local day it starts on, and to every service it
  includes; its minutes are shared among its services in proportion to their configured
  durations.
- A *booking* is an appointment that was booked (not a hold that lapsed or was given up, not
  a booking left unconfirmed); it counts under its channel, also when it was cancelled later.
  Booked minutes are those of the bookings not cancelled.
- A cancellation is *by the office* when a staff member cancelled it (an audit entry records
  it), else *by the citizen*.
- Waiting time at the office: a walk-in number from drawing to the first call; an
  appointment from check-in to the start of its service (where both are recorded).
- Served minutes: from the call (or check-in) to completion.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from amtstermin import scheduling
from amtstermin.booking import selectors
from amtstermin.booking.models import (
    Appointment,
    AppointmentLine,
    AppointmentStatus,
    AuditAction,
    AuditEntry,
    Channel,
    Counter,
    Office,
    Service,
    Ticket,
    TicketStatus,
)
from amtstermin.reports.models import DailyCounterFigures, DailyServiceFigures, HourlyWaits

_BOOKED_STATES = (
    AppointmentStatus.PENDING,
    AppointmentStatus.CONFIRMED,
    AppointmentStatus.CHECKED_IN,
    AppointmentStatus.COMPLETED,
    AppointmentStatus.NO_SHOW,
)


def percentile(values: Iterable[float], q: float) -> float | None:
    """The q-th quantile (0..1) with linear interpolation between the ranks (as numpy's
    default): for 2, 4, 6, 8, 10 the median is 6 and the 90th percentile 9.2."""
    ordered = sorted(values)
    if not ordered:
        return None
    position = (len(ordered) - 1) * q
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def minutes_between(start: datetime | None, end: datetime | None) -> float | None:
    if start is None or end is None or end < start:
        return None
    return (end - start).total_seconds() / 60


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


@dataclass
class _ServiceDay:
    name: str = ""
    booked: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    booked_minutes: float = 0
    cancelled_by_citizen: int = 0
    cancelled_by_office: int = 0
    no_shows: int = 0
    completed: int = 0
    lapsed_holds: int = 0
    unconfirmed: int = 0
    walk_ins: int = 0
    waits: list[float] = field(default_factory=list)
    served_minutes: float = 0
    walk_in_minutes: float = 0

    def as_fields(self) -> dict[str, object]:
        return {
            "service_name": self.name,
            "booked_online": self.booked[Channel.ONLINE],
            "booked_phone": self.booked[Channel.PHONE],
            "booked_counter": self.booked[Channel.COUNTER],
            "booked_minutes": round(self.booked_minutes),
            "cancelled_by_citizen": self.cancelled_by_citizen,
            "cancelled_by_office": self.cancelled_by_office,
            "no_shows": self.no_shows,
            "completed": self.completed,
            "lapsed_holds": self.lapsed_holds,
            "unconfirmed": self.unconfirmed,
            "walk_ins": self.walk_ins,
            "waits": len(self.waits),
            "wait_median": _rounded(percentile(self.waits, 0.5)),
            "wait_p90": _rounded(percentile(self.waits, 0.9)),
            "served_minutes": round(self.served_minutes, 2),
            "walk_in_minutes": round(self.walk_in_minutes, 2),
        }


COMPUTED_FIELDS = tuple(_ServiceDay().as_fields())


@dataclass
class _CounterDay:
    name: str
    open_minutes: int = 0
    booked_minutes: float = 0
    served_minutes: float = 0


@dataclass
class _HourDay:
    waits: int = 0
    wait_minutes: float = 0
    walk_ins: int = 0


@dataclass
class DayFigures:
    services: dict[int | None, _ServiceDay]
    counters: dict[int, _CounterDay]
    hours: dict[int, _HourDay]


def _utc(instant: int) -> datetime:
    return datetime.fromtimestamp(instant, UTC)


def _kind(row: Mapping[str, Any], now: datetime) -> str:
    """``lapsed_hold``, ``unconfirmed``, ``booked`` or ``held`` (a hold still running)."""
    status = row["status"]
    pending_until = row["pending_until"]
    if status == AppointmentStatus.EXPIRED:
        return "unconfirmed" if pending_until is not None else "lapsed_hold"
    if status == AppointmentStatus.HELD:
        held_until = row["held_until"]
        return "held" if isinstance(held_until, datetime) and held_until > now else "lapsed_hold"
    if status == AppointmentStatus.PENDING:
        if isinstance(pending_until, datetime) and pending_until <= now:
            return "unconfirmed"
        return "booked"
    if status == AppointmentStatus.CANCELLED and (
        row["held_until"] is not None and row["pending_until"] is None and not row["confirmed_at"]
    ):
        return "lapsed_hold"  # a hold given up before booking
    return "booked"


def compute(office: Office, day: date, *, now: datetime | None = None) -> DayFigures:
    """The figures of one local day, read from the database (nothing written)."""
    now = now or timezone.now()
    tz = office.zone
    bounds = scheduling.day_bounds(day, tz)
    start, end = _utc(bounds.start), _utc(bounds.end)
    # Stored with the figures: the German names, whatever language is active.
    service_names = dict(Service.objects.filter(office=office).values_list("pk", "name_de"))
    services: dict[int | None, _ServiceDay] = defaultdict(_ServiceDay)
    counters = {
        pk: _CounterDay(name=name)
        for pk, name in Counter.objects.filter(office=office).values_list("pk", "name")
    }
    hours: dict[int, _HourDay] = defaultdict(_HourDay)

    rows = list(
        Appointment.objects.filter(office=office, start__gte=start, start__lt=end).values(
            "pk",
            "counter_id",
            "status",
            "channel",
            "start",
            "end",
            "held_until",
            "pending_until",
            "confirmed_at",
            "checked_in_at",
            "in_service_at",
            "completed_at",
        )
    )
    ids = [row["pk"] for row in rows]
    lines: dict[int, list[tuple[int | None, float]]] = defaultdict(list)
    minutes_of = {
        pk: (first, per)
        for pk, first, per in Service.objects.filter(office=office).values_list(
            "pk", "first_person_minutes", "per_person_minutes"
        )
    }
    for appointment_id, service_id, persons in AppointmentLine.objects.filter(
        appointment_id__in=ids
    ).values_list("appointment_id", "service_id", "persons"):
        first, per = minutes_of.get(service_id, (1, 0))
        lines[appointment_id].append((service_id, max(first + (persons - 1) * per, 1)))
    by_office = set(
        AuditEntry.objects.filter(
            office=office, action=AuditAction.CANCEL, appointment_id__in=ids
        ).values_list("appointment_id", flat=True)
    )

    for row in rows:
        kind = _kind(row, now)
        if kind == "held":
            continue
        own_lines = lines.get(row["pk"]) or [(None, 1)]
        total_weight = sum(weight for _service, weight in own_lines)
        minutes = minutes_between(row["start"], row["end"]) or 0
        wait = minutes_between(row["checked_in_at"], row["in_service_at"])
        served = None
        if row["status"] == AppointmentStatus.COMPLETED:
            served = minutes_between(
                row["in_service_at"] or row["checked_in_at"], row["completed_at"]
            )
        status = row["status"]
        for line_service, weight in own_lines:
            figures = services[line_service]
            share = weight / total_weight
            if kind == "lapsed_hold":
                figures.lapsed_holds += 1
                continue
            if kind == "unconfirmed":
                figures.unconfirmed += 1
                continue
            figures.booked[row["channel"]] += 1
            if status == AppointmentStatus.CANCELLED:
                if row["pk"] in by_office:
                    figures.cancelled_by_office += 1
                else:
                    figures.cancelled_by_citizen += 1
                continue
            figures.booked_minutes += minutes * share
            if status == AppointmentStatus.NO_SHOW:
                figures.no_shows += 1
            if status == AppointmentStatus.COMPLETED:
                figures.completed += 1
            if wait is not None:
                figures.waits.append(wait)
            if served is not None:
                figures.served_minutes += served * share
        if kind != "booked" or status == AppointmentStatus.CANCELLED:
            continue
        counter = counters.get(row["counter_id"])
        if counter is not None:
            counter.booked_minutes += minutes
            counter.served_minutes += served or 0
        if wait is not None and row["checked_in_at"] is not None:
            hour = hours[timezone.localtime(row["checked_in_at"], tz).hour]
            hour.waits += 1
            hour.wait_minutes += wait

    _add_walk_ins(office, day, services, counters, hours)
    for key, service_day in services.items():
        service_day.name = service_names.get(key, "") if key is not None else ""
    _add_open_minutes(office, day, counters, now)
    return DayFigures(services=dict(services), counters=counters, hours=dict(hours))


def _add_walk_ins(
    office: Office,
    day: date,
    services: dict[int | None, _ServiceDay],
    counters: dict[int, _CounterDay],
    hours: dict[int, _HourDay],
) -> None:
    """Walk-in numbers count under the first service they asked for (or none)."""
    tickets = list(
        Ticket.objects.filter(office=office, day=day, prefix=Ticket.WALK_IN_PREFIX).values_list(
            "pk", "status", "counter_id", "created_at", "called_at", "finished_at"
        )
    )
    first_service: dict[int, int] = {}
    through = Ticket.services.through
    for ticket_id, service_id in through.objects.filter(
        ticket_id__in=[ticket[0] for ticket in tickets]
    ).values_list("ticket_id", "service_id"):
        first_service[ticket_id] = min(service_id, first_service.get(ticket_id, service_id))
    for pk, status, counter_id, created_at, called_at, finished_at in tickets:
        figures = services[first_service.get(pk)]
        figures.walk_ins += 1
        hour = hours[timezone.localtime(created_at, office.zone).hour]
        hour.walk_ins += 1
        wait = minutes_between(created_at, called_at)
        if wait is not None:
            figures.waits.append(wait)
            hour.waits += 1
            hour.wait_minutes += wait
        if status == TicketStatus.DONE:
            served = minutes_between(called_at, finished_at)
            if served is not None:
                figures.served_minutes += served
                figures.walk_in_minutes += served
                if counter_id in counters:
                    counters[counter_id].served_minutes += served


def _add_open_minutes(
    office: Office, day: date, counters: dict[int, _CounterDay], now: datetime
) -> None:
    """Opening hours minus closed days, closures and absences."""
    inputs = selectors.engine_inputs(office, first_day=day, last_day=day, now=now, staff=True)
    for counter in inputs.counters:
        if counter.counter_id not in counters:
            continue
        counters[counter.counter_id].open_minutes = sum(
            (span.end - span.start) // 60
            for span in scheduling.open_intervals(counter, inputs.calendar, day, day)
        )


def store_day(office: Office, day: date, *, now: datetime | None = None) -> DayFigures:
    """Compute and store one day; a second run replaces the first (the live counters stay)."""
    figures = compute(office, day, now=now)
    with transaction.atomic():
        existing = {
            row.service_id: row
            for row in DailyServiceFigures.objects.select_for_update().filter(
                office=office, day=day
            )
        }
        zero: dict[str, object] = {name: 0 for name in COMPUTED_FIELDS}
        zero.update(service_name="", wait_median=None, wait_p90=None)
        for service_id, row in existing.items():
            if service_id not in figures.services:
                for name, value in zero.items():
                    if name != "service_name":
                        setattr(row, name, value)
                row.save()
        for key, service_day in figures.services.items():
            values = service_day.as_fields()
            found = existing.get(key)
            if found is None:
                DailyServiceFigures.objects.create(office=office, day=day, service_id=key, **values)
            else:
                for name, field_value in values.items():
                    setattr(found, name, field_value)
                found.save()
        DailyCounterFigures.objects.filter(office=office, day=day).delete()
        DailyCounterFigures.objects.bulk_create(
            DailyCounterFigures(
                office=office,
                day=day,
                counter_id=pk,
                counter_name=counter.name,
                open_minutes=counter.open_minutes,
                booked_minutes=round(counter.booked_minutes),
                served_minutes=round(counter.served_minutes, 2),
            )
            for pk, counter in figures.counters.items()
            if counter.open_minutes or counter.booked_minutes or counter.served_minutes
        )
        HourlyWaits.objects.filter(office=office, day=day).delete()
        HourlyWaits.objects.bulk_create(
            HourlyWaits(
                office=office,
                day=day,
                hour=hour,
                waits=values.waits,
                wait_minutes=round(values.wait_minutes, 2),
                walk_ins=values.walk_ins,
            )
            for hour, values in sorted(figures.hours.items())
        )
    return figures
