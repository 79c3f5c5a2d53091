"""Hypothesis strategies for random offices, counters and demands.

Opening hours lie between 06:00 and 20:00 so that no DST transition (02:00/03:00 in
Europe/Berlin) touches them; all boundaries fall on whole minutes, some on the grid and some
off it. Windows may include the 2026 transition days. Strategies are built once at module level
where possible: building them inside ``@composite`` functions dominates generation time.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import strategies as st

from amtstermin.scheduling import (
    CounterInput,
    DemandLine,
    Interval,
    OfficeCalendar,
    ReservedTime,
    SearchWindow,
    WeeklyHours,
)

from .reference import instant

BERLIN = ZoneInfo("Europe/Berlin")
SERVICES = (1, 2, 3)
FIRST_OPENING_MINUTE = 6 * 60
LAST_CLOSING_MINUTE = 20 * 60

opening_minutes = st.integers(FIRST_OPENING_MINUTE, LAST_CLOSING_MINUTE - 15)
interval_start_minutes = st.integers(FIRST_OPENING_MINUTE - 30, LAST_CLOSING_MINUTE)
shortest_minutes = st.none() | st.integers(5, 60)
service_sets = st.frozensets(st.sampled_from(SERVICES), min_size=1)
demand_lines = st.builds(
    DemandLine,
    service_id=st.sampled_from(SERVICES),
    first_person_minutes=st.integers(5, 30),
    per_person_minutes=st.integers(0, 10),
    persons=st.integers(1, 3),
)


@dataclass(frozen=True)
class Scenario:
    office: OfficeCalendar
    counters: list[CounterInput]
    demand: list[DemandLine]
    window: SearchWindow
    shortest_minutes: int | None


def _wall(minute: int) -> time:
    return time(minute // 60, minute % 60)


def _draw_day(draw: st.DrawFn, days: list[date]) -> date:
    return days[draw(st.integers(0, len(days) - 1))]


def _draw_weekly_hours(draw: st.DrawFn, days: list[date]) -> WeeklyHours:
    opens = draw(opening_minutes)
    if draw(st.booleans()):
        opens -= opens % 15  # most offices open on the quarter hour
    closes = opens + draw(st.integers(15, 300))
    return WeeklyHours(
        weekday=_draw_day(draw, days).weekday(),
        start=_wall(opens),
        end=_wall(min(closes, LAST_CLOSING_MINUTE)),
        valid_from=_draw_day(draw, days) if draw(st.booleans()) else None,
        valid_until=_draw_day(draw, days) if draw(st.booleans()) else None,
    )


def _draw_interval(
    draw: st.DrawFn, days: list[date], grid_minutes: int, max_minutes: int
) -> Interval:
    """An interval on one of the days, on whole minutes, on or off the grid."""
    first = draw(interval_start_minutes)
    if draw(st.booleans()):
        first -= first % grid_minutes
    length = draw(st.integers(1, max_minutes))
    if draw(st.booleans()):
        length += -length % grid_minutes
    start = instant(_draw_day(draw, days), _wall(first), BERLIN)
    return Interval(start, start + length * 60)


def _draw_intervals(
    draw: st.DrawFn, days: list[date], grid_minutes: int, max_minutes: int, max_count: int
) -> tuple[Interval, ...]:
    count = draw(st.integers(0, max_count))
    return tuple(_draw_interval(draw, days, grid_minutes, max_minutes) for _ in range(count))


def _draw_counter(
    draw: st.DrawFn, days: list[date], grid_minutes: int, counter_id: int
) -> CounterInput:
    hours_count = draw(st.integers(1, 4))
    return CounterInput(
        counter_id=counter_id,
        service_ids=draw(service_sets),
        weekly_hours=tuple(_draw_weekly_hours(draw, days) for _ in range(hours_count)),
        absences=_draw_intervals(draw, days, grid_minutes, max_minutes=240, max_count=2),
        busy=_draw_intervals(draw, days, grid_minutes, max_minutes=90, max_count=8),
    )


@st.composite
def scenarios(draw: st.DrawFn, max_days: int = 4) -> Scenario:
    first_day = draw(st.dates(date(2026, 1, 1), date(2026, 12, 28)))
    days = [first_day + timedelta(days=n) for n in range(draw(st.integers(1, max_days)))]
    grid_minutes = draw(st.sampled_from([5, 10, 15, 30]))
    office = OfficeCalendar(
        tz=BERLIN,
        grid_minutes=grid_minutes,
        closed_days=frozenset([_draw_day(draw, days)] if draw(st.booleans()) else []),
        closures=_draw_intervals(draw, days, grid_minutes, max_minutes=180, max_count=2),
    )
    counter_ids = draw(st.lists(st.integers(1, 99), min_size=1, max_size=4, unique=True))
    earliest = instant(first_day, time(0), BERLIN) + draw(st.integers(-3600, len(days) * 43_200))
    return Scenario(
        office=office,
        counters=[
            _draw_counter(draw, days, grid_minutes, counter_id) for counter_id in counter_ids
        ],
        demand=draw(st.lists(demand_lines, min_size=1, max_size=2)),
        window=SearchWindow(earliest=earliest, first_day=first_day, last_day=days[-1]),
        shortest_minutes=draw(shortest_minutes),
    )


def _draw_reserved(draw: st.DrawFn, days: list[date]) -> ReservedTime:
    weekday = _draw_day(draw, days).weekday()
    valid_from = _draw_day(draw, days) if draw(st.booleans()) else None
    valid_until = _draw_day(draw, days) if draw(st.booleans()) else None
    if draw(st.booleans()):
        return ReservedTime(
            weekday,
            share_percent=draw(st.integers(1, 100)),
            valid_from=valid_from,
            valid_until=valid_until,
        )
    first = draw(opening_minutes)
    last = min(first + draw(st.integers(1, 240)), LAST_CLOSING_MINUTE)
    return ReservedTime(
        weekday,
        start=_wall(first),
        end=_wall(last),
        valid_from=valid_from,
        valid_until=valid_until,
    )


@st.composite
def reserved_scenarios(draw: st.DrawFn, max_days: int = 4) -> Scenario:
    """A scenario as seen by citizens online: counters keep time back (ranges or shares of the
    day), and some of their busy intervals are online bookings that spend the share."""
    scenario = draw(scenarios(max_days=max_days))
    days = [
        scenario.window.first_day + timedelta(days=n)
        for n in range((scenario.window.last_day - scenario.window.first_day).days + 1)
    ]
    counters = []
    for counter in scenario.counters:
        reserved = tuple(_draw_reserved(draw, days) for _ in range(draw(st.integers(0, 3))))
        spent = tuple(busy for busy in counter.busy if draw(st.booleans()))
        counters.append(replace(counter, reserved=reserved, spent=spent))
    return replace(scenario, counters=counters)
