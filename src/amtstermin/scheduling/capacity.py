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

from bisect import bisect_left
from collections.abc import Iterable, Sequence
from datetime import date
from functools import lru_cache
from operator import attrgetter, sub

from amtstermin.scheduling.calendar import CounterCalendar, DayClock, wall_seconds
from amtstermin.scheduling.spans import Span
from amtstermin.scheduling.types import CounterInput, Interval, ReservedTime

_START = attrgetter("start")
_END = attrgetter("end")


def _valid(valid_from: date | None, valid_until: date | None, day: date) -> bool:
    return (valid_from is None or valid_from <= day) and (valid_until is None or day <= valid_until)


class ReservedSchedule:
    """A counter's reserved time by weekday, compiled once per distinct set (see
    ``reserved_schedule``)."""

    __slots__ = ("_ranges", "_shares", "has_ranges", "has_shares", "share_weekdays")

    def __init__(self, reserved: tuple[ReservedTime, ...]) -> None:
        self._ranges: list[list[tuple[int, int, date | None, date | None]]] = [[] for _ in range(7)]
        self._shares: list[list[tuple[int, date | None, date | None]]] = [[] for _ in range(7)]
        for entry in reserved:
            if entry.share_percent is not None:
                self._shares[entry.weekday].append(
                    (entry.share_percent, entry.valid_from, entry.valid_until)
                )
            elif entry.start is not None and entry.end is not None:
                self._ranges[entry.weekday].append(
                    (
                        wall_seconds(entry.start),
                        wall_seconds(entry.end),
                        entry.valid_from,
                        entry.valid_until,
                    )
                )
        self.has_ranges = any(self._ranges)
        self.share_weekdays = frozenset(day for day in range(7) if self._shares[day])
        self.has_shares = bool(self.share_weekdays)

    def ranges(self, clocks: Iterable[DayClock]) -> list[Interval]:
        """The reserved ranges valid on these days, as intervals of instants."""
        found: list[Interval] = []
        for clock in clocks:
            for opens, closes, valid_from, valid_until in self._ranges[clock.weekday]:
                if _valid(valid_from, valid_until, clock.day):
                    start, end = clock.instant_at(opens), clock.instant_at(closes)
                    if end > start:  # a range inside a DST gap keeps nothing back
                        found.append(Interval(start, end))
        return found

    def share(self, clock: DayClock) -> int:
        """The percent of the day's open time kept back (0: none); the largest counts."""
        entries = self._shares[clock.weekday]
        if not entries:
            return 0
        return max(
            (
                share
                for share, valid_from, valid_until in entries
                if _valid(valid_from, valid_until, clock.day)
            ),
            default=0,
        )


@lru_cache(maxsize=1024)
def reserved_schedule(reserved: tuple[ReservedTime, ...]) -> ReservedSchedule:
    """Reserved time changes rarely and counters often share it: compile each set once."""
    return ReservedSchedule(reserved)


def remaining_budgets(
    counter: CounterInput,
    clocks: Sequence[DayClock],
    blocked: Iterable[Interval],
) -> list[int | None]:
    """Per clock, the seconds the search may still fill on the counter (None: no limit).

    ``blocked`` are the office's closures and the counter's absences (those overlapping the
    days suffice).
    """
    budgets: list[int | None] = [None] * len(clocks)
    schedule = reserved_schedule(counter.reserved)
    if not schedule.has_shares:
        return budgets
    weekdays = schedule.share_weekdays
    shares = [
        (index, schedule.share(clock))
        for index, clock in enumerate(clocks)
        if clock.weekday in weekdays
    ]
    shares = [(index, share) for index, share in shares if share]
    if not shares:
        return budgets
    # Only the days that keep a share back are swept (in ascending order, as the sweep needs).
    share_clocks = [clocks[index] for index, _share in shares]
    open_by_day = CounterCalendar(counter, blocked).free_spans_by_day(share_clocks)
    spent = _spent_by_day(counter.spent, share_clocks)
    for (index, share), open_spans, spent_seconds in zip(shares, open_by_day, spent, strict=True):
        budgets[index] = _length(open_spans) * (100 - share) // 100 - spent_seconds
    return budgets


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
    ordered = sorted(spent, key=_START)
    if not ordered:
        return [0] * len(clocks)
    starts = list(map(_START, ordered))
    # An interval overlapping a day starts less than the longest interval before the day.
    longest = max(map(sub, map(_END, ordered), starts))
    used = []
    for clock in clocks:
        day_start, day_end = clock.start, clock.end
        total = 0
        first = bisect_left(starts, day_start - longest)
        for interval in ordered[first : bisect_left(starts, day_end)]:
            start, end = interval.start, interval.end
            if end > day_start:
                total += (end if end < day_end else day_end) - (
                    start if start > day_start else day_start
                )
        used.append(total)
    return used


def _length(spans: Iterable[Span]) -> int:
    return sum(end - start for start, end in spans)
