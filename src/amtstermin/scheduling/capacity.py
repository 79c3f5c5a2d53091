"""Capacity a counter keeps back from a search (ZMS: internal capacity).

The booking side passes a counter's staff-only time as ``CounterInput.reserved`` to the searches
for citizens online, and none to staff searches; ``CounterInput.spent`` holds the online
bookings among the counter's busy intervals. Two kinds of entry, per weekday:

- **a range** ``[start, end)`` in office-local wall time: blocked like an absence, so no start
  is offered whose appointment overlaps it. Wall times become instants by the rule of the
  opening hours (``calendar.DayClock.instant_at``), DST days included.
- **a share of the day** in percent: on that day the search may fill at most ``100 - share``
  percent of the counter's open time (its hours minus closures and absences, before any
  booking). A start goes to the counter only if the seconds already ``spent`` that day plus
  the demand's duration stay within that budget. Of several shares valid on one day the
  largest counts.

Both parts are worked out per day, so ``find_free_starts`` and ``counter_for_start`` agree.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Sequence
from datetime import date

from amtstermin.scheduling.calendar import CounterCalendar, DayClock, wall_seconds
from amtstermin.scheduling.spans import Span
from amtstermin.scheduling.types import CounterInput, Interval, ReservedTime


def _valid_on(entry: ReservedTime, day: date, weekday: int) -> bool:
    return (
        entry.weekday == weekday
        and (entry.valid_from is None or entry.valid_from <= day)
        and (entry.valid_until is None or day <= entry.valid_until)
    )


def reserved_ranges(reserved: Iterable[ReservedTime], clocks: Iterable[DayClock]) -> list[Interval]:
    """The reserved ranges valid on these days, as intervals of instants."""
    found: list[Interval] = []
    for clock in clocks:
        for entry in reserved:
            if entry.start is None or entry.end is None:
                continue
            if _valid_on(entry, clock.day, clock.weekday):
                start = clock.instant_at(wall_seconds(entry.start))
                end = clock.instant_at(wall_seconds(entry.end))
                if end > start:  # a range inside a DST gap keeps nothing back
                    found.append(Interval(start, end))
    return found


def reserved_share(reserved: Iterable[ReservedTime], clock: DayClock) -> int:
    """The percent of the day's open time kept back (0: none)."""
    return max(
        (
            entry.share_percent
            for entry in reserved
            if entry.share_percent is not None and _valid_on(entry, clock.day, clock.weekday)
        ),
        default=0,
    )


def remaining_budgets(
    counter: CounterInput,
    clocks: Sequence[DayClock],
    blocked: Iterable[Interval],
) -> list[int | None]:
    """Per clock, the seconds the search may still fill on the counter (None: no limit).

    ``blocked`` are the office's closures and the counter's absences (those overlapping the
    days suffice).
    """
    shares = [reserved_share(counter.reserved, clock) for clock in clocks]
    if not any(shares):
        return [None] * len(clocks)
    open_by_day = CounterCalendar(counter, blocked).free_spans_by_day(clocks)
    spent = _spent_by_day(counter.spent, clocks)
    return [
        None if share == 0 else _length(open_spans) * (100 - share) // 100 - spent_seconds
        for share, open_spans, spent_seconds in zip(shares, open_by_day, spent, strict=True)
    ]


def limit_to_budget(
    free_by_day: list[list[Span]],
    counter: CounterInput,
    clocks: Sequence[DayClock],
    duration: int,
    blocked: Iterable[Interval],
) -> None:
    """Empty the days on which the demand's ``duration`` would overrun the counter's budget."""
    budgets = remaining_budgets(counter, clocks, blocked)
    for index, budget in enumerate(budgets):
        if budget is not None and budget < duration:
            free_by_day[index] = []


def _spent_by_day(spent: Iterable[Interval], clocks: Sequence[DayClock]) -> list[int]:
    """Seconds of ``spent`` inside each clock's day."""
    starts = [clock.start for clock in clocks]
    used = [0] * len(clocks)
    for interval in spent:
        index = max(bisect_right(starts, interval.start) - 1, 0)
        while index < len(clocks) and clocks[index].start < interval.end:
            clock = clocks[index]
            overlap = min(interval.end, clock.end) - max(interval.start, clock.start)
            if overlap > 0:
                used[index] += overlap
            index += 1
    return used


def _length(spans: Iterable[Span]) -> int:
    return sum(end - start for start, end in spans)
