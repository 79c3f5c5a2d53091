"""Reads: what offices, services and free times there are. Nothing here writes."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from django.db.models import Prefetch, Q, QuerySet

from amtstermin import scheduling
from amtstermin.booking import availability_cache
from amtstermin.booking.demand import Demand
from amtstermin.booking.models import (
    Absence,
    Appointment,
    Closure,
    Counter,
    Document,
    Office,
    Service,
    Status,
)
from amtstermin.booking.tokens import hash_token


def office_list() -> QuerySet[Office]:
    return Office.objects.filter(active=True).order_by("name")


def office_get(office_id: int) -> Office | None:
    return Office.objects.filter(pk=office_id, active=True).first()


def service_list(*, office: Office) -> QuerySet[Service]:
    """The office's active services in their configured order, with their documents."""
    return (
        Service.objects.filter(office=office, active=True)
        .order_by("sort_order", "name")
        .prefetch_related(
            Prefetch("documents", queryset=Document.objects.order_by("sort_order", "id"))
        )
    )


# --- Availability ---------------------------------------------------------------------------


@dataclass(frozen=True)
class BookingWindow:
    """When a booking may lie: from ``earliest`` (an instant) and local days first..last."""

    earliest: datetime
    first_day: date
    last_day: date

    def as_engine(self) -> scheduling.SearchWindow:
        return scheduling.SearchWindow(
            earliest=int(self.earliest.timestamp()),
            first_day=self.first_day,
            last_day=self.last_day,
        )

    def clipped(self, first_day: date, last_day: date) -> BookingWindow:
        return BookingWindow(
            earliest=self.earliest,
            first_day=max(self.first_day, first_day),
            last_day=min(self.last_day, last_day),
        )


STAFF_HORIZON_DAYS = 366


def booking_window(office: Office, *, now: datetime, staff: bool = False) -> BookingWindow:
    """Citizens: lead time, "bookable from" and the horizon apply. Staff: from now, a year ahead."""
    today = now.astimezone(office.zone).date()
    if staff:
        return BookingWindow(
            earliest=now, first_day=today, last_day=today + timedelta(days=STAFF_HORIZON_DAYS)
        )
    first_day = max(today, office.bookable_from) if office.bookable_from else today
    return BookingWindow(
        earliest=now + timedelta(minutes=office.lead_time_minutes),
        first_day=first_day,
        last_day=today + timedelta(days=office.horizon_days),
    )


def blocking_q(now: datetime) -> Q:
    """Appointments that take their counter's time now.

    A hold or an unconfirmed booking past its deadline is free at once, whether or not a task
    has cleaned it up yet.
    """
    return (
        Q(status__in=[Status.CONFIRMED, Status.CHECKED_IN])
        | Q(status=Status.HELD, held_until__gt=now)
        | Q(status=Status.PENDING, pending_until__gt=now)
    )


def _instant(value: datetime) -> int:
    return int(value.timestamp())


def _utc(instant: int) -> datetime:
    return datetime.fromtimestamp(instant, UTC)


@dataclass(frozen=True)
class EngineInputs:
    calendar: scheduling.OfficeCalendar
    counters: list[scheduling.CounterInput]
    next_lapse: datetime | None  # the first hold or unconfirmed booking that will lapse


def engine_inputs(
    office: Office,
    *,
    first_day: date,
    last_day: date,
    now: datetime,
    staff: bool = False,
    ignore_appointment_id: int | None = None,
) -> EngineInputs:
    """Everything the slot engine needs for these local days, in a fixed number of queries."""
    tz = office.zone
    range_start = _utc(scheduling.day_bounds(first_day, tz).start)
    range_end = _utc(scheduling.day_bounds(last_day, tz).end)

    counters = Counter.objects.filter(office=office, active=True)
    if not staff:
        counters = counters.filter(online_bookable=True)
    counters = counters.prefetch_related(
        Prefetch("services", queryset=Service.objects.only("id")), "opening_hours"
    )
    counter_list = list(counters)
    counter_ids = [counter.pk for counter in counter_list]

    absences: dict[int, list[scheduling.Interval]] = defaultdict(list)
    for counter_id, start, end in Absence.objects.filter(
        counter_id__in=counter_ids, start__lt=range_end, end__gt=range_start
    ).values_list("counter_id", "start", "end"):
        absences[counter_id].append(scheduling.Interval(_instant(start), _instant(end)))

    busy: dict[int, list[scheduling.Interval]] = defaultdict(list)
    lapses: list[datetime] = []
    appointments = Appointment.objects.filter(
        blocking_q(now), counter_id__in=counter_ids, start__lt=range_end, end__gt=range_start
    )
    if ignore_appointment_id is not None:
        appointments = appointments.exclude(pk=ignore_appointment_id)
    for counter_id, start, end, held_until, pending_until in appointments.values_list(
        "counter_id", "start", "end", "held_until", "pending_until"
    ):
        busy[counter_id].append(scheduling.Interval(_instant(start), _instant(end)))
        lapses.extend(d for d in (held_until, pending_until) if d is not None and d > now)

    closures = tuple(
        scheduling.Interval(_instant(start), _instant(end))
        for start, end in Closure.objects.filter(
            office=office, start__lt=range_end, end__gt=range_start
        ).values_list("start", "end")
    )
    calendar = scheduling.OfficeCalendar(
        tz=tz,
        grid_minutes=office.slot_minutes,
        closed_days=frozenset(office.public_holidays(range(first_day.year, last_day.year + 1))),
        closures=closures,
    )
    inputs = [
        scheduling.CounterInput(
            counter_id=counter.pk,
            service_ids=frozenset(service.pk for service in counter.services.all()),
            weekly_hours=tuple(
                scheduling.WeeklyHours(
                    weekday=hours.weekday,
                    start=hours.start,
                    end=hours.end,
                    valid_from=hours.valid_from,
                    valid_until=hours.valid_until,
                )
                for hours in counter.opening_hours.all()
            ),
            absences=tuple(absences[counter.pk]),
            busy=tuple(busy[counter.pk]),
        )
        for counter in counter_list
    ]
    return EngineInputs(calendar=calendar, counters=inputs, next_lapse=min(lapses, default=None))


def shortest_bookable_minutes(office: Office) -> int:
    """The shortest appointment anyone can book here: a gap below it is unusable."""
    shortest = (
        Service.objects.filter(office=office, active=True)
        .order_by("first_person_minutes")
        .values_list("first_person_minutes", flat=True)
        .first()
    )
    grid = office.slot_minutes
    return max(grid, -(-(shortest or grid) // grid) * grid)


def availability(
    demand: Demand,
    *,
    first_day: date,
    last_day: date,
    now: datetime,
    staff: bool = False,
    ignore_appointment_id: int | None = None,
) -> list[scheduling.DayAvailability]:
    """The free start times for a demand on local days first..last, inside the booking window.

    Answers are cached, keyed by the office's availability version (raised in the same
    transaction as every change) and by the first start the lead time allows, and kept only
    until the next hold lapses: a cached answer is always the answer the database would give.
    """
    office = demand.office
    window = booking_window(office, now=now, staff=staff).clipped(first_day, last_day)
    if window.first_day > window.last_day:
        return []
    cacheable = ignore_appointment_id is None
    if cacheable:
        key = availability_cache.key(
            office_id=office.pk,
            demand_key=demand.key(),
            first_day=window.first_day,
            last_day=window.last_day,
            earliest=_grid_ceiling(window.earliest, office.slot_minutes),
            staff=staff,
        )
        cached = availability_cache.get(key, now=now)
        if cached is not None:
            return cached
    inputs = engine_inputs(
        office,
        first_day=window.first_day,
        last_day=window.last_day,
        now=now,
        staff=staff,
        ignore_appointment_id=ignore_appointment_id,
    )
    days = scheduling.find_free_starts(
        office=inputs.calendar,
        counters=inputs.counters,
        demand=demand.engine_lines(),
        window=window.as_engine(),
        shortest_minutes=shortest_bookable_minutes(office),
    )
    if cacheable:
        availability_cache.put(key, days, valid_until=inputs.next_lapse)
    return days


def _grid_ceiling(moment: datetime, grid_minutes: int) -> int:
    """The first grid instant at or after ``moment``: answers only change when this moves."""
    step = grid_minutes * 60
    return -(-int(moment.timestamp()) // step) * step


# --- What to bring --------------------------------------------------------------------------


@dataclass(frozen=True)
class ChecklistItem:
    name: str
    count: int
    note: str


def checklist(demand: Demand) -> list[ChecklistItem]:
    """One merged list of documents for the whole visit.

    A per-person document is counted by persons; a document that two services ask for is listed
    once, as often as the larger need says (the same people show the same ID card).
    """
    merged: dict[str, tuple[str, int, list[str]]] = {}
    for item in demand.items:
        for document in item.service.documents.all():
            count = item.persons if document.per_person else 1
            name, known, notes = merged.get(document.name, (document.display_name, 0, []))
            note = document.display_note
            merged[document.name] = (
                name,
                max(known, count),
                [*notes, note] if note and note not in notes else notes,
            )
    return [
        ChecklistItem(name=name, count=count, note=" ".join(notes))
        for name, count, notes in merged.values()
    ]


def fee_total(demand: Demand) -> Decimal:
    """The fees of all services, per person where the fee is per person."""
    total = Decimal("0.00")
    for item in demand.items:
        amount = item.service.fee_amount
        if amount is not None:
            total += amount * item.persons if item.service.fee_per_person else amount
    return total


def appointment_by_token(token: str) -> Appointment | None:
    """The appointment behind a manage link; only the token's hash is stored."""
    if not token or len(token) > 100:
        return None
    return (
        Appointment.objects.select_related("office", "counter")
        .filter(token_hash=hash_token(token))
        .first()
    )
