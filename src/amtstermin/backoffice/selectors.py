"""Reads for the staff pages, the kiosk and the call display. Nothing here writes.

What the booking rules themselves read (availability, the queue's calling order, the
appointments an absence affects) stays in ``booking.selectors``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from django.db.models import Q, QuerySet

from amtstermin import scheduling
from amtstermin.booking import selectors
from amtstermin.booking.models import (
    ACTIVE_STATUSES,
    Absence,
    Appointment,
    AppointmentStatus,
    AuditEntry,
    Closure,
    Counter,
    Office,
    Service,
    StaffOnlyTime,
    Ticket,
    TicketStatus,
    documents_prefetch,
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
    staff_only: list[StaffOnlyTime] = field(default_factory=list)  # kept back from online


def staff_only_on(office: Office, day: date) -> dict[int, list[StaffOnlyTime]]:
    """Per counter, the staff-only time valid on ``day`` (ranges by start, then shares)."""
    found: dict[int, list[StaffOnlyTime]] = defaultdict(list)
    for entry in (
        StaffOnlyTime.objects.filter(counter__office=office, weekday=day.weekday())
        .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day))
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=day))
        .order_by("share_percent", "start")
    ):
        found[entry.counter_id].append(entry)
    return found


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
    kept_back = staff_only_on(office, day)
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
        plans.append(CounterPlan(counter, entries, staff_only=kept_back.get(counter.pk, [])))
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
        .prefetch_related(documents_prefetch("lines__service__documents"))
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


def _to_call(office: Office, blocked: Absence | Closure) -> QuerySet[Appointment]:
    """Citizens without an e-mail address whose appointment in the blocked time the office
    moved (its old start inside) or cancelled, to be phoned. (A moved one is found by its old
    time only: the counter it had is not kept.)"""
    cancelled = Q(status=AppointmentStatus.CANCELLED, start__lt=blocked.end, end__gt=blocked.start)
    if isinstance(blocked, Absence):
        cancelled &= Q(counter=blocked.counter_id)
    inside = Q(moved_from__gte=blocked.start, moved_from__lt=blocked.end) | cancelled
    return Appointment.objects.filter(
        office=office, office_call_needed_at__isnull=False, email=""
    ).filter(inside)


def call_list(office: Office, blocked: Absence | Closure) -> list[Appointment]:
    """The citizens to phone about the blocked time (``_to_call``), by their old time."""
    found = (
        _to_call(office, blocked)
        .select_related("called_back_by")
        .prefetch_related("lines__service")
    )
    return sorted(found, key=lambda a: (a.moved_from or a.start, a.pk))


def call_count(office: Office, blocked: Absence | Closure) -> int:
    """How many are on the call list, counted by the database."""
    return _to_call(office, blocked).count()


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


NO_STAFF = "(none)"  # the kiosk and the system; no username contains brackets


def audit_entries(
    office: Office,
    *,
    day: date | None = None,
    staff_name: str = "",
    action: str = "",
) -> QuerySet[AuditEntry]:
    """The office's audit log, newest first; of one office-local day, one staff member (by the
    name recorded, :data:`NO_STAFF` for entries without one) or one action when given."""
    entries = AuditEntry.objects.filter(office=office)
    if day is not None:
        bounds = scheduling.day_bounds(day, office.zone)
        entries = entries.filter(
            created_at__gte=_utc(bounds.start), created_at__lt=_utc(bounds.end)
        )
    if staff_name:
        entries = entries.filter(actor_name="" if staff_name == NO_STAFF else staff_name)
    if action:
        entries = entries.filter(action=action)
    return entries.select_related("appointment", "ticket").order_by("-created_at", "-pk")


def audit_staff_names(office: Office) -> list[str]:
    """The names of the staff members who have entries in the office's audit log."""
    return sorted(
        AuditEntry.objects.filter(office=office)
        .exclude(actor_name="")
        .order_by("actor_name")
        .values_list("actor_name", flat=True)
        .distinct(),
        key=str.casefold,
    )
