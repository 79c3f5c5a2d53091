"""Free appointment starts of an office, and the counter each start would go to.

For every qualifying counter one sweep yields the free pieces per day (opening hours minus
closures, absences and busy time). A piece ``[a, b)`` offers the grid starts ``s`` with
``a <= s <= b - duration``. Each candidate gets an integer *placement key* that orders by
(unusable gap, leftover gap, counter id); the smallest key per start wins.

Starts at least ``shortest`` away from both piece ends leave no unusable gap, so they share the
piece's key and are handled as one run, painted with ``dict.fromkeys``; only the few starts
near the piece ends are looked at one by one. That keeps quiet days (long free pieces) as cheap
as busy ones.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import chain

from amtstermin.scheduling.calendar import (
    SECONDS_PER_DAY,
    CounterCalendar,
    DayClock,
    local_day,
    open_days,
)
from amtstermin.scheduling.duration import duration_minutes
from amtstermin.scheduling.spans import Span
from amtstermin.scheduling.types import (
    CounterInput,
    DayAvailability,
    DemandLine,
    OfficeCalendar,
    SearchWindow,
)

# Exceeds any leftover gap: a free piece lies within one local day (at most 25 h).
_GAP_LIMIT = 2 * SECONDS_PER_DAY


@dataclass(frozen=True, slots=True)
class _Rules:
    """Search parameters in seconds, and the qualifying counters in id order (their *rank*)."""

    duration: int
    step: int
    shortest: int
    earliest: int
    counters: tuple[CounterInput, ...]

    @classmethod
    def of(
        cls,
        office: OfficeCalendar,
        counters: Sequence[CounterInput],
        demand: Sequence[DemandLine],
        window: SearchWindow,
        shortest_minutes: int | None,
    ) -> _Rules:
        services = frozenset(line.service_id for line in demand)
        qualifying = sorted(
            (counter for counter in counters if services <= counter.service_ids),
            key=lambda counter: counter.counter_id,
        )
        return cls(
            duration=duration_minutes(demand, office.grid_minutes) * 60,
            step=office.grid_minutes * 60,
            shortest=(office.grid_minutes if shortest_minutes is None else shortest_minutes) * 60,
            earliest=window.earliest,
            counters=tuple(qualifying),
        )

    def counter_id(self, key: int) -> int:
        """The counter a placement key belongs to."""
        return self.counters[key % len(self.counters)].counter_id


def find_free_starts(
    *,
    office: OfficeCalendar,
    counters: Sequence[CounterInput],
    demand: Sequence[DemandLine],
    window: SearchWindow,
    shortest_minutes: int | None = None,
) -> list[DayAvailability]:
    """Every grid start in the window at which a counter serving the whole demand is free for
    the whole duration, with the counter that keeps its day most tightly packed.

    ``counters[i].busy`` only needs the appointments overlapping the window.
    """
    rules = _Rules.of(office, counters, demand, window, shortest_minutes)
    days = [
        clock
        for clock in open_days(office, window.first_day, window.last_day)
        if clock.end > rules.earliest
    ]
    free_by_rank = [
        CounterCalendar(
            counter, chain(office.closures, counter.absences, counter.busy)
        ).free_spans_by_day(days)
        for counter in rules.counters
    ]
    availability: list[DayAvailability] = []
    for index, clock in enumerate(days):
        keys = _placement_keys(rules, clock, [free[index] for free in free_by_rank])
        if keys:
            starts = sorted(keys)
            counter_ids = tuple([rules.counter_id(keys[start]) for start in starts])
            availability.append(DayAvailability(clock.day, tuple(starts), counter_ids))
    return availability


def counter_for_start(
    *,
    office: OfficeCalendar,
    counters: Sequence[CounterInput],
    demand: Sequence[DemandLine],
    window: SearchWindow,
    start: int,
    shortest_minutes: int | None = None,
) -> int | None:
    """The counter ``find_free_starts`` gives ``start`` to, or ``None`` if it is not offered.

    Runs the same per-day step on the start's local day only, so the answers agree and the
    call is cheap enough for the booking lock.
    """
    rules = _Rules.of(office, counters, demand, window, shortest_minutes)
    day = local_day(start, office.tz)
    if start < rules.earliest or not window.first_day <= day <= window.last_day:
        return None
    clocks = open_days(office, day, day)
    if not clocks:
        return None
    clock = clocks[0]
    free_by_rank = [
        CounterCalendar(
            counter,
            (
                interval
                for interval in chain(office.closures, counter.absences, counter.busy)
                if interval.start < clock.end and interval.end > clock.start
            ),
        ).free_spans_by_day(clocks)[0]
        for counter in rules.counters
    ]
    key = _placement_keys(rules, clock, free_by_rank).get(start)
    return None if key is None else rules.counter_id(key)


def _placement_keys(
    rules: _Rules, clock: DayClock, free_by_rank: Sequence[list[Span]]
) -> dict[int, int]:
    """The best placement key per offered start of one day.

    ``key = (unusable * _GAP_LIMIT + leftover) * counter_count + rank``: a single int that
    compares like the tuple (unusable gap, leftover gap, counter id).
    """
    duration, step, shortest, earliest = rules.duration, rules.step, rules.shortest, rules.earliest
    counter_count = len(free_by_rank)
    unusable_weight = _GAP_LIMIT * counter_count
    runs: list[tuple[int, int, int]] = []  # (key, first start, last start)
    edge_keys: dict[int, int] = {}
    for rank, pieces in enumerate(free_by_rank):
        for piece_start, piece_end in pieces:
            latest = piece_end - duration
            if latest < piece_start:
                continue
            leftover = latest - piece_start
            calm_key = leftover * counter_count + rank
            for segment_start, segment_end, origin in clock.segments:
                low = max(piece_start, segment_start, earliest)
                high = min(latest, segment_end - 1)
                first = low + (origin - low) % step
                last = high - (high - origin) % step
                if first > last:
                    continue
                calm_low = max(first, piece_start + shortest)
                calm_high = min(last, latest - shortest)
                calm_first = calm_low + (origin - calm_low) % step
                calm_last = calm_high - (calm_high - origin) % step
                if calm_first <= calm_last:
                    runs.append((calm_key, calm_first, calm_last))
                    edges = chain(
                        range(first, calm_first, step), range(calm_last + step, last + 1, step)
                    )
                else:
                    edges = chain(range(first, last + 1, step))
                for start in edges:
                    before = start - piece_start
                    after = leftover - before
                    unusable = (before if before < shortest else 0) + (
                        after if after < shortest else 0
                    )
                    key = unusable * unusable_weight + calm_key
                    known = edge_keys.get(start)
                    if known is None or key < known:
                        edge_keys[start] = key
    if not runs:
        return edge_keys
    runs.sort(reverse=True)  # worst first, so better runs overwrite it
    keys: dict[int, int] = {}
    for key, first, last in runs:
        keys.update(dict.fromkeys(range(first, last + 1, step), key))
    for start, key in edge_keys.items():
        known = keys.get(start)
        if known is None or key < known:
            keys[start] = key
    return keys
