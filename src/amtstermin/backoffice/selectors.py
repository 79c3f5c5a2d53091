"""Reads for the staff pages, the kiosk and the call display. Nothing here writes.

What the booking rules themselves read (availability, the queue's calling order, the
appointments an absence affects) stays in ``booking.selectors``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from django.db.models import Count, Q, QuerySet

from amtstermin import scheduling
from amtstermin.booking import selectors
from amtstermin.booking.models import (
    ACTIVE_STATUSES,
    Absence,
    Appointment,
    AppointmentStatus,
    AuditEntry,
    Channel,
    Closure,
    Counter,
    Office,
    Service,
    Ticket,
    TicketStatus,
)


def _instant(value: datetime) -> int:
    return int(value.timestamp())


def _utc(instant: int) -> datetime:
    return datetime.fromtimestamp(instant, UTC)


def active_counters(office: Office) -> QuerySet[Counter]:
    return Counter.objects.filter(office=office, active=True).order_by("name")


# --- Day plan -------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanEntry:
    start: datetime
    end: datetime
    appointment: Appointment | None  # None: a free gap


@dataclass(frozen=True)
class CounterPlan:
    counter: Counter
    entries: list[PlanEntry]


def day_plan(office: Office, day: date, *, now: datetime) -> list[CounterPlan]:
    """Per active counter, the day's appointments in time order with the free gaps between."""
    inputs = selectors.engine_inputs(office, first_day=day, last_day=day, now=now, staff=True)
    by_counter = {item.counter_id: item for item in inputs.counters}
    bounds = scheduling.day_bounds(day, office.zone)
    appointments = (
        Appointment.objects.overlapping(_utc(bounds.start), _utc(bounds.end))
        .filter(office=office)
        .exclude(
            status__in=[
                AppointmentStatus.HELD,
                AppointmentStatus.EXPIRED,
                AppointmentStatus.CANCELLED,
            ]
        )
        .select_related("counter")
        .prefetch_related("lines__service")
        .order_by("start", "pk")
    )
    grouped: dict[int, list[Appointment]] = defaultdict(list)
    for appointment in appointments:
        grouped[appointment.counter_id].append(appointment)
    grid = office.slot_minutes * 60
    plans = []
    for counter in active_counters(office):
        entries = [PlanEntry(a.start, a.end, a) for a in grouped.get(counter.pk, [])]
        engine_counter = by_counter.get(counter.pk)
        if engine_counter is not None:
            taken = sorted(
                (_instant(a.start), _instant(a.end))
                for a in grouped.get(counter.pk, [])
                if a.status in ACTIVE_STATUSES
            )
            for opening in scheduling.open_intervals(engine_counter, inputs.calendar, day, day):
                cursor = opening.start
                for start, end in taken:
                    if end <= cursor or start >= opening.end:
                        continue
                    if start - cursor >= grid:
                        entries.append(PlanEntry(_utc(cursor), _utc(start), None))
                    cursor = max(cursor, end)
                if opening.end - cursor >= grid:
                    entries.append(PlanEntry(_utc(cursor), _utc(opening.end), None))
        entries.sort(key=lambda entry: (entry.start, entry.appointment is not None))
        plans.append(CounterPlan(counter=counter, entries=entries))
    return plans


def cancelled_on(office: Office, day: date) -> QuerySet[Appointment]:
    bounds = scheduling.day_bounds(day, office.zone)
    return Appointment.objects.filter(
        office=office,
        status=AppointmentStatus.CANCELLED,
        start__gte=_utc(bounds.start),
        start__lt=_utc(bounds.end),
    ).order_by("start")


def appointment_search(office: Office, query: str, *, limit: int = 50) -> list[Appointment]:
    """Find an office's appointments by booking code or by part of the citizen's name."""
    query = query.strip()[:100]
    if len(query) < 2:
        return []
    code = "".join(ch for ch in query if ch.isalnum()).upper()
    return list(
        Appointment.objects.filter(office=office)
        .exclude(status__in=[AppointmentStatus.HELD, AppointmentStatus.EXPIRED])
        .filter(Q(code=code) | Q(citizen_name__icontains=query) | Q(booked_for__icontains=query))
        .select_related("counter")
        .prefetch_related("lines__service")
        .order_by("-start")[:limit]
    )


def staff_appointment(office: Office, appointment_id: int) -> Appointment | None:
    return (
        Appointment.objects.filter(office=office, pk=appointment_id)
        .select_related("office", "counter")
        .prefetch_related("lines__service__documents")
        .first()
    )


# --- Absences and closures ------------------------------------------------------------------


def planned_absences(office: Office, *, now: datetime) -> QuerySet[Absence]:
    """The office's counter absences that have not ended yet."""
    return (
        Absence.objects.filter(counter__office=office, end__gt=now)
        .select_related("counter")
        .order_by("start")
    )


def planned_closures(office: Office, *, now: datetime) -> QuerySet[Closure]:
    return Closure.objects.filter(office=office, end__gt=now).order_by("start")


def blocked_time(office: Office, *, kind: str, pk: int) -> Absence | Closure | None:
    """A counter's absence (``kind`` "counter") or a closure of the whole office ("office")."""
    if kind == "counter":
        return (
            Absence.objects.filter(pk=pk, counter__office=office).select_related("counter").first()
        )
    return Closure.objects.filter(pk=pk, office=office).first()


# --- Queue, kiosk and display ---------------------------------------------------------------


def office_ticket(office: Office, ticket_id: int) -> Ticket | None:
    return Ticket.objects.filter(office=office, pk=ticket_id).first()


def walk_in_services(office: Office, ids: Collection[int]) -> list[Service]:
    """The office's active services among ``ids``, for a walk-in ticket."""
    return list(Service.objects.filter(office=office, active=True, pk__in=ids))


def tickets_at_counters(office: Office, *, now: datetime) -> QuerySet[Ticket]:
    """Today's numbers that are called, being served or set aside."""
    day = now.astimezone(office.zone).date()
    return (
        Ticket.objects.filter(
            office=office,
            day=day,
            status__in=[TicketStatus.CALLED, TicketStatus.SET_ASIDE],
        )
        .select_related("counter", "appointment")
        .order_by("-called_at")
    )


def display_calls(office: Office, *, now: datetime, limit: int = 6) -> list[dict[str, Any]]:
    """The last calls for the waiting-room display: numbers and counter names only."""
    day = now.astimezone(office.zone).date()
    calls = (
        Ticket.objects.filter(office=office, day=day, called_at__isnull=False)
        .exclude(status=TicketStatus.SET_ASIDE)
        .select_related("counter")
        .order_by("-called_at", "-pk")[:limit]
    )
    return [
        {
            "id": ticket.pk,
            "number": ticket.label,
            "counter": ticket.counter.name if ticket.counter else "",
            "called_at": ticket.called_at.astimezone(UTC).isoformat() if ticket.called_at else "",
            "calls": ticket.call_count,
        }
        for ticket in calls
    ]


# --- Reports ------------------------------------------------------------------------------


def audit_entries(office: Office) -> QuerySet[AuditEntry]:
    return (
        AuditEntry.objects.filter(office=office)
        .select_related("appointment", "ticket")
        .order_by("-created_at", "-pk")
    )


def office_statistics(office: Office, *, first_day: date, last_day: date) -> dict[str, Any]:
    """Counts per status and channel, and walk-in numbers, for local days first..last."""
    start = _utc(scheduling.day_bounds(first_day, office.zone).start)
    end = _utc(scheduling.day_bounds(last_day, office.zone).end)
    appointments = Appointment.objects.filter(office=office, start__gte=start, start__lt=end)
    by_status = dict(
        appointments.values_list("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    by_channel = dict(
        appointments.exclude(status__in=[AppointmentStatus.HELD, AppointmentStatus.EXPIRED])
        .values_list("channel")
        .annotate(n=Count("pk"))
        .values_list("channel", "n")
    )
    tickets = Ticket.objects.filter(office=office, day__gte=first_day, day__lte=last_day)
    waits = [
        (called - created).total_seconds() / 60
        for created, called in tickets.filter(called_at__isnull=False).values_list(
            "created_at", "called_at"
        )
        if called is not None
    ]
    return {
        "by_status": [
            (label, by_status.get(value, 0)) for value, label in AppointmentStatus.choices
        ],
        "by_channel": [(label, by_channel.get(value, 0)) for value, label in Channel.choices],
        "walk_ins": tickets.filter(prefix=Ticket.WALK_IN_PREFIX).count(),
        "tickets": tickets.count(),
        "average_wait": round(sum(waits) / len(waits)) if waits else None,
    }
