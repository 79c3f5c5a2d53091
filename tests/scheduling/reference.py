"""A deliberately plain reference slot search for the property tests.

It works minute by minute with sets and ``datetime`` and shares no code with the engine. It
assumes what the generated offices guarantee: every boundary (weekly hours, busy intervals,
absences, closures, reserved ranges) falls on a whole minute and no opening hour lies in a DST
transition.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from amtstermin.scheduling import (
    CounterInput,
    DemandLine,
    Interval,
    OfficeCalendar,
    ReservedTime,
    SearchWindow,
    WeeklyHours,
)


def reference_duration_minutes(demand: list[DemandLine], grid_minutes: int) -> int:
    minutes = sum(
        line.first_person_minutes + (line.persons - 1) * line.per_person_minutes for line in demand
    )
    while minutes % grid_minutes:
        minutes += 1
    return minutes


def instant(day: date, wall: time, tz: ZoneInfo) -> int:
    return int(datetime.combine(day, wall, tzinfo=tz).timestamp())


def _valid(entry: WeeklyHours | ReservedTime, day: date) -> bool:
    if entry.weekday != day.weekday():
        return False
    if entry.valid_from is not None and day < entry.valid_from:
        return False
    return entry.valid_until is None or day <= entry.valid_until


def open_minutes(counter: CounterInput, office: OfficeCalendar, day: date) -> set[int]:
    """Starts of the minutes of ``day`` in which the counter is open: hours minus closed days,
    closures and absences."""
    if day in office.closed_days:
        return set()
    minutes: set[int] = set()
    for hours in counter.weekly_hours:
        if _valid(hours, day):
            minutes.update(
                range(instant(day, hours.start, office.tz), instant(day, hours.end, office.tz), 60)
            )
    blocked: list[Interval] = [*office.closures, *counter.absences]
    return {
        minute
        for minute in minutes
        if not any(block.start <= minute < block.end for block in blocked)
    }


def reserved_minutes(counter: CounterInput, office: OfficeCalendar, day: date) -> set[int]:
    """Starts of the minutes of ``day`` inside the counter's reserved ranges."""
    minutes: set[int] = set()
    for entry in counter.reserved:
        if entry.start is not None and entry.end is not None and _valid(entry, day):
            minutes.update(
                range(instant(day, entry.start, office.tz), instant(day, entry.end, office.tz), 60)
            )
    return minutes


def free_minutes(counter: CounterInput, office: OfficeCalendar, day: date) -> set[int]:
    """Starts of the minutes of ``day`` in which the counter is open and not blocked (busy or
    reserved)."""
    reserved = reserved_minutes(counter, office, day)
    return {
        minute
        for minute in open_minutes(counter, office, day) - reserved
        if not any(busy.start <= minute < busy.end for busy in counter.busy)
    }


def online_budget_seconds(counter: CounterInput, office: OfficeCalendar, day: date) -> int | None:
    """What the search may fill on ``day`` in all, in seconds (None: no share kept back)."""
    shares = [
        entry.share_percent
        for entry in counter.reserved
        if entry.share_percent is not None and _valid(entry, day)
    ]
    if not shares:
        return None
    return len(open_minutes(counter, office, day)) * 60 * (100 - max(shares)) // 100


def spent_seconds(counter: CounterInput, office: OfficeCalendar, day: date) -> int:
    day_start = instant(day, time(0), office.tz)
    day_end = instant(day + timedelta(days=1), time(0), office.tz)
    return sum(
        max(0, min(spent.end, day_end) - max(spent.start, day_start)) for spent in counter.spent
    )


def within_budget(counter: CounterInput, office: OfficeCalendar, day: date, duration: int) -> bool:
    budget = online_budget_seconds(counter, office, day)
    return budget is None or spent_seconds(counter, office, day) + duration <= budget


def reference_offers(
    office: OfficeCalendar,
    counters: list[CounterInput],
    demand: list[DemandLine],
    window: SearchWindow,
    shortest_minutes: int | None = None,
) -> dict[int, int]:
    """Every offered start with the counter it goes to."""
    duration = reference_duration_minutes(demand, office.grid_minutes) * 60
    shortest = (shortest_minutes if shortest_minutes is not None else office.grid_minutes) * 60
    wanted = {line.service_id for line in demand}
    serving = [counter for counter in counters if wanted <= counter.service_ids]
    offers: dict[int, int] = {}
    day = window.first_day
    while day <= window.last_day:
        free = {
            counter.counter_id: free_minutes(counter, office, day)
            for counter in serving
            if within_budget(counter, office, day, duration)
        }
        day_start = instant(day, time(0), office.tz)
        day_end = instant(day + timedelta(days=1), time(0), office.tz)
        for start in range(day_start, day_end, 60):
            local = datetime.fromtimestamp(start, office.tz)
            if (local.hour * 60 + local.minute) % office.grid_minutes or start < window.earliest:
                continue
            choices = []
            for counter_id, minutes in free.items():
                if not all(m in minutes for m in range(start, start + duration, 60)):
                    continue
                piece_start = start
                while piece_start - 60 in minutes:
                    piece_start -= 60
                piece_end = start + duration
                while piece_end in minutes:
                    piece_end += 60
                gaps = (start - piece_start, piece_end - start - duration)
                unusable = sum(gap for gap in gaps if 0 < gap < shortest)
                choices.append((unusable, sum(gaps), counter_id))
            if choices:
                offers[start] = min(choices)[2]
        day += timedelta(days=1)
    return offers
