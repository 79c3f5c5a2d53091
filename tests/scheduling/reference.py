"""A deliberately plain reference slot search for the property tests.

It works minute by minute with sets and ``datetime`` and shares no code with the engine. It
assumes what the generated offices guarantee: every boundary (weekly hours, busy intervals,
absences, closures) falls on a whole minute and no opening hour lies in a DST transition.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from amtstermin.scheduling import (
    CounterInput,
    DemandLine,
    Interval,
    OfficeCalendar,
    SearchWindow,
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


def free_minutes(counter: CounterInput, office: OfficeCalendar, day: date) -> set[int]:
    """Starts of the minutes of ``day`` in which the counter is open and not blocked."""
    if day in office.closed_days:
        return set()
    minutes: set[int] = set()
    for hours in counter.weekly_hours:
        if hours.weekday != day.weekday():
            continue
        if hours.valid_from is not None and day < hours.valid_from:
            continue
        if hours.valid_until is not None and day > hours.valid_until:
            continue
        minutes.update(
            range(instant(day, hours.start, office.tz), instant(day, hours.end, office.tz), 60)
        )
    blocked: list[Interval] = [*office.closures, *counter.absences, *counter.busy]
    return {
        minute
        for minute in minutes
        if not any(block.start <= minute < block.end for block in blocked)
    }


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
        free = {counter.counter_id: free_minutes(counter, office, day) for counter in serving}
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
