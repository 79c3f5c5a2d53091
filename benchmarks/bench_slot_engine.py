"""Benchmark of the slot engine against a realistic Bürgerbüro.

Run from the repository root:

    PYTHONPATH=src python benchmarks/bench_slot_engine.py

Standard library only, fixed seed, GC enabled (the set-up data is frozen out of it). The
office has 30 services and 10 counters (5 and 20 for the scaling rows); every third counter
works mornings only. Appointments are generated for three years and fill about 60 % of the
opening hours (20 % in the "quiet" row). Like the booking service, the benchmark hands the
engine only the appointments overlapping the search window (an indexed range query on the
stored ones), so the number of stored appointments does not enter the engine's cost.
"""

from __future__ import annotations

import gc
import os
import platform
import random
import statistics
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, time, timedelta
from time import perf_counter
from zoneinfo import ZoneInfo

from amtstermin.scheduling import (
    CounterInput,
    DemandLine,
    Interval,
    OfficeCalendar,
    ReservedTime,
    SearchWindow,
    WeeklyHours,
    counter_for_start,
    duration_minutes,
    find_free_starts,
    local_instant,
    open_intervals,
)

SEED = 20260427
TZ = ZoneInfo("Europe/Berlin")
GRID_MINUTES = 5
FIRST_DAY = date(2026, 4, 27)  # a Monday; 31 days include 1 May, Ascension and Whit Monday
STORED_FROM, STORED_UNTIL = date(2025, 1, 1), date(2027, 12, 31)
BUSY_FILL = 0.6  # share of opening hours taken by appointments
QUIET_FILL = 0.2  # a window weeks ahead
ID_CARD, PASSPORT, REGISTRATION = 1, 2, 3
CORE_SERVICES = (ID_CARD, PASSPORT, REGISTRATION, 4, 5)
SERVICE_COUNT = 30
# ID card for one person plus registration of a family of three: 15 + (10 + 2 * 5) = 35 min.
DEMAND = (
    DemandLine(ID_CARD, first_person_minutes=15, per_person_minutes=15, persons=1),
    DemandLine(REGISTRATION, first_person_minutes=10, per_person_minutes=5, persons=3),
)
SHORTEST_BOOKABLE_MINUTES = 10  # e.g. a Meldebescheinigung
# Staff-only capacity as citizens online meet it: Wednesdays 08:00-09:00 and a fifth of Mondays.
STAFF_ONLY = (
    ReservedTime(2, start=time(8), end=time(9)),
    ReservedTime(0, share_percent=20),
)

NRW_CLOSED_DAYS = frozenset(
    date(year, month, day)
    for year, month, day in (
        (2025, 1, 1), (2025, 4, 18), (2025, 4, 21), (2025, 5, 1), (2025, 5, 29), (2025, 6, 9),
        (2025, 6, 19), (2025, 10, 3), (2025, 11, 1), (2025, 12, 24), (2025, 12, 25),
        (2025, 12, 26), (2025, 12, 31),
        (2026, 1, 1), (2026, 4, 3), (2026, 4, 6), (2026, 5, 1), (2026, 5, 14), (2026, 5, 25),
        (2026, 6, 4), (2026, 10, 3), (2026, 11, 1), (2026, 12, 24), (2026, 12, 25),
        (2026, 12, 26), (2026, 12, 31),
        (2027, 1, 1), (2027, 3, 26), (2027, 3, 29), (2027, 5, 1), (2027, 5, 6), (2027, 5, 17),
        (2027, 5, 27), (2027, 10, 3), (2027, 11, 1), (2027, 12, 24), (2027, 12, 25),
        (2027, 12, 26), (2027, 12, 31),
    )
)  # fmt: skip


def weekly_hours(mornings_only: bool) -> tuple[WeeklyHours, ...]:
    """08:00-12:30 Monday to Friday; long counters also Tuesday and Thursday afternoons, which
    move half an hour earlier from July 2026 (a planned change via validity ranges)."""
    hours = [WeeklyHours(weekday, time(8), time(12, 30)) for weekday in range(5)]
    if not mornings_only:
        for weekday in (1, 3):
            hours.append(WeeklyHours(weekday, time(14), time(18), valid_until=date(2026, 6, 30)))
            hours.append(
                WeeklyHours(weekday, time(13, 30), time(17, 30), valid_from=date(2026, 7, 1))
            )
    return tuple(hours)


@dataclass(frozen=True)
class StoredCounter:
    """A counter with all its stored appointments, sorted by start."""

    counter: CounterInput
    appointments: list[Interval]
    starts: list[int]

    def for_window(self, begin: int, end: int) -> CounterInput:
        """The counter with only the appointments overlapping ``[begin, end)``, like an indexed
        query (appointments are at most an hour long)."""
        first = bisect_left(self.starts, begin - 3600)
        last = bisect_left(self.starts, end)
        busy = tuple(a for a in self.appointments[first:last] if a.end > begin)
        return CounterInput(
            counter_id=self.counter.counter_id,
            service_ids=self.counter.service_ids,
            weekly_hours=self.counter.weekly_hours,
            absences=self.counter.absences,
            busy=busy,
        )


def build_office(
    counter_count: int, fill: float = BUSY_FILL
) -> tuple[OfficeCalendar, list[StoredCounter]]:
    rng = random.Random(SEED + counter_count)
    office = OfficeCalendar(tz=TZ, grid_minutes=GRID_MINUTES, closed_days=NRW_CLOSED_DAYS)
    stored: list[StoredCounter] = []
    for index in range(counter_count):
        services = {s for s in CORE_SERVICES if rng.random() < 0.8}
        services |= {s for s in range(6, SERVICE_COUNT + 1) if rng.random() < 0.3}
        vacation_start = local_instant(FIRST_DAY + timedelta(days=rng.randrange(60)), time(0), TZ)
        counter = CounterInput(
            counter_id=100 + index,
            service_ids=frozenset(services),
            weekly_hours=weekly_hours(mornings_only=index % 3 == 2),
            absences=(Interval(vacation_start, vacation_start + 3 * 86_400),),
        )
        appointments = fill_with_appointments(rng, counter, office, fill)
        stored.append(StoredCounter(counter, appointments, [a.start for a in appointments]))
    return office, stored


def fill_with_appointments(
    rng: random.Random, counter: CounterInput, office: OfficeCalendar, fill: float
) -> list[Interval]:
    """Appointments of 10-60 min on the grid, with random gaps sized so that about ``fill`` of
    the opening hours are taken."""
    lengths = range(10, 61, GRID_MINUTES)  # mean 35 min
    mean_gap = 35 * (1 - fill) / fill * 0.8  # a bit less: the end of each interval stays free
    gaps = range(0, round(2 * mean_gap / GRID_MINUTES) * GRID_MINUTES + 1, GRID_MINUTES)
    appointments: list[Interval] = []
    for interval in open_intervals(counter, office, STORED_FROM, STORED_UNTIL):
        cursor = interval.start
        while True:
            cursor += rng.choice(gaps) * 60
            end = cursor + rng.choice(lengths) * 60
            if end > interval.end:
                break
            appointments.append(Interval(cursor, end))
            cursor = end
    return appointments


ROUNDS = 10  # samples are taken round-robin, so a slow spell of a shared machine hits every row


@dataclass
class Case:
    """One timed call and its wall-time samples in milliseconds."""

    label: str
    action: Callable[[], object]
    runs_per_round: int
    day_counters: int = 0  # days x serving counters, for the cost per unit
    samples: list[float] = field(default_factory=list)

    def measure(self) -> None:
        for _ in range(3):  # warm-up
            self.action()
        for _ in range(self.runs_per_round):
            began = perf_counter()
            self.action()
            self.samples.append((perf_counter() - began) * 1000)

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def p95(self) -> float:
        return statistics.quantiles(self.samples, n=20)[-1]


def window_of(days: int, first_day: date = FIRST_DAY) -> tuple[SearchWindow, int, int]:
    """The search window (bookable from 07:00 on its first day) and its instants."""
    last_day = first_day + timedelta(days=days - 1)
    begin = local_instant(first_day, time(0), TZ)
    end = local_instant(last_day + timedelta(days=1), time(0), TZ)
    return SearchWindow(local_instant(first_day, time(7), TZ), first_day, last_day), begin, end


def search(office: OfficeCalendar, counters: list[CounterInput], window: SearchWindow) -> int:
    """One search, as the booking service runs it; returns the number of offered starts."""
    availability = find_free_starts(
        office=office,
        counters=counters,
        demand=DEMAND,
        window=window,
        shortest_minutes=SHORTEST_BOOKABLE_MINUTES,
    )
    return sum(len(day.starts) for day in availability)


def search_case(stored: list[StoredCounter], office: OfficeCalendar, days: int) -> Case:
    window, begin, end = window_of(days)
    counters = [counter.for_window(begin, end) for counter in stored]
    services = {line.service_id for line in DEMAND}
    serving = sum(1 for counter in counters if services <= counter.service_ids)
    open_seconds = sum(
        interval.end - interval.start
        for counter in counters
        for interval in open_intervals(counter, office, window.first_day, window.last_day)
    )
    busy_seconds = sum(busy.end - busy.start for counter in counters for busy in counter.busy)
    label = (
        f"{days:>5} {len(counters):>8} {serving:>7} "
        f"{sum(len(counter.busy) for counter in counters):>6} "
        f"{busy_seconds / open_seconds:>5.0%} {search(office, counters, window):>7}"
    )
    return Case(
        label,
        lambda: search(office, counters, window),
        runs_per_round=max(20, 1500 // days),
        day_counters=days * serving,
    )


def lookup_cases(stored: list[StoredCounter], office: OfficeCalendar) -> list[Case]:
    window, begin, end = window_of(31)
    counters = [counter.for_window(begin, end) for counter in stored]
    # The booking service asks under its lock, with that day's appointments only.
    availability = find_free_starts(
        office=office,
        counters=counters,
        demand=DEMAND,
        window=window,
        shortest_minutes=SHORTEST_BOOKABLE_MINUTES,
    )
    day = availability[len(availability) // 2]
    start = day.starts[len(day.starts) // 2]
    _, day_begin, day_end = window_of(1, day.day)
    day_counters = [counter.for_window(day_begin, day_end) for counter in stored]
    # Every counter keeps staff-only time; a third of its appointments were booked online.
    online = [
        replace(counter, reserved=STAFF_ONLY, spent=counter.busy[::3]) for counter in counters
    ]
    return [
        Case(
            "find_free_starts, 31 days, staff-only",
            lambda: search(office, online, window),
            runs_per_round=48,
        ),
        Case(
            "open_intervals, all 10 counters, 31 days",
            lambda: [
                open_intervals(counter, office, window.first_day, window.last_day)
                for counter in counters
            ],
            runs_per_round=30,
        ),
        Case(
            "counter_for_start, one start",
            lambda: counter_for_start(
                office=office,
                counters=day_counters,
                demand=DEMAND,
                window=window,
                start=start,
                shortest_minutes=SHORTEST_BOOKABLE_MINUTES,
            ),
            runs_per_round=100,
        ),
    ]


def main() -> None:
    offices = {count: build_office(count) for count in (5, 10, 20)}
    office, stored = offices[10]
    quiet_office, quiet_stored = build_office(10, QUIET_FILL)
    searches = [search_case(stored, office, days) for days in (7, 31, 93)]
    searches += [search_case(offices[count][1], offices[count][0], 31) for count in (5, 20)]
    searches.append(search_case(quiet_stored, quiet_office, 31))
    lookups = lookup_cases(stored, office)
    calibration = Case("machine speed", lambda: sum(range(10_000)), runs_per_round=20)
    # GC stays on for the engine's own garbage; the 130 000 objects of the generated calendars
    # are frozen so that collections do not re-scan the benchmark's set-up on every search.
    gc.collect()
    gc.freeze()
    for _ in range(ROUNDS):
        for case in (calibration, *searches, *lookups):
            case.measure()

    print(
        f"python {platform.python_version()}, {os.cpu_count()} CPUs ({platform.machine()}), "
        f"seed {SEED}; machine speed: sum(range(10_000)) takes "
        f"{calibration.median * 1000:.0f} us"
    )
    print(
        f"demand: ID card x1 + registration x3 = "
        f"{duration_minutes(DEMAND, GRID_MINUTES)} min, grid {GRID_MINUTES} min, "
        f"shortest bookable {SHORTEST_BOOKABLE_MINUTES} min"
    )
    print(
        f"stored appointments ({STORED_FROM} to {STORED_UNTIL}, 10 counters): "
        f"{sum(len(s.appointments) for s in stored)}; only those overlapping the window are "
        "passed to the engine"
    )
    print("find_free_starts (builds the opening intervals itself); times in ms")
    print(" days counters serving   busy  fill offered   median     p95  us per day*serving")
    for case in searches:
        per_unit = case.median * 1000 / case.day_counters
        print(f"{case.label} {case.median:>8.3f} {case.p95:>7.3f} {per_unit:>19.1f}")
    for case in lookups:
        print(f"{case.label + ':':<41} median {case.median:.3f} ms, p95 {case.p95:.3f} ms")


if __name__ == "__main__":
    main()
