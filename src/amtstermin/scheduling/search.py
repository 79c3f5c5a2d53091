"""Free appointment starts of an office, and the counter each start would go to.

For every qualifying counter one sweep yields the free pieces per day (opening hours minus
closures, absences, busy time and reserved ranges) that are long enough for the demand; a day
whose reserved share the demand would overrun is dropped (``capacity.py``). A piece ``[a, b)``
offers the grid starts ``s`` with ``a <= s <= b - duration``; each (start, counter) gets an
integer *placement key* ordering by (unusable gap, leftover gap, counter id), and the smallest
key per start wins.

Starts at least ``shortest`` away from both piece ends leave no unusable gap, so in a long piece
they share its key and form one *run*, painted with ``dict.fromkeys``; only the starts near the
piece ends, and all starts of short pieces, are weighed one by one. The per-day step counts
seconds from the day's start: CPython computes with ints below 2**30 several times faster than
with epoch-sized ones.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import chain

from amtstermin.scheduling import capacity
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
    Interval,
    OfficeCalendar,
    SearchWindow,
)

# Exceeds any leftover gap: a free piece lies within one local day (at most 25 h).
_GAP_LIMIT = 2 * SECONDS_PER_DAY
_SINGLE_STARTS_PER_RUN = 6
_NO_KEY = 1 << 128  # above every placement key


@dataclass(frozen=True, slots=True)
class _Search:
    """One search's parameters in seconds, and the counters that serve the whole demand in id
    order (their index is their *rank*)."""

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
    ) -> _Search:
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

    def free_pieces_by_day(
        self, office: OfficeCalendar, days: Sequence[DayClock], blocked_within: Interval | None
    ) -> list[tuple[list[Span], ...]]:
        """Per day, per counter rank, the free pieces long enough for the demand.

        ``blocked_within`` limits the blocked intervals looked at to those overlapping it.
        """
        free_by_rank = []
        for counter in self.counters:
            blocked: Iterable[Interval] = chain(office.closures, counter.absences, counter.busy)
            reserved = capacity.reserved_schedule(counter.reserved) if counter.reserved else None
            if reserved is not None and reserved.has_ranges:  # staff-only time, for citizens
                blocked = chain(blocked, reserved.ranges(days))
            if blocked_within is not None:
                blocked = _overlapping(blocked, blocked_within)
            calendar = CounterCalendar(counter, blocked)
            free = calendar.free_spans_by_day(days, min_length=self.duration)
            if reserved is not None and reserved.has_shares:
                closed: Iterable[Interval] = chain(office.closures, counter.absences)
                if blocked_within is not None:
                    closed = _overlapping(closed, blocked_within)
                capacity.limit_to_budget(free, counter, days, self.duration, closed)
            free_by_rank.append(free)
        return list(zip(*free_by_rank, strict=True))


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
    search = _Search.of(office, counters, demand, window, shortest_minutes)
    if not search.counters:
        return []
    days = [
        clock
        for clock in open_days(office, window.first_day, window.last_day)
        if clock.end > search.earliest
    ]
    free_by_day = search.free_pieces_by_day(office, days, blocked_within=None)
    ids_by_rank = [counter.counter_id for counter in search.counters]
    counter_count = len(ids_by_rank)
    availability: list[DayAvailability] = []
    for clock, free_by_rank in zip(days, free_by_day, strict=True):
        keys = _placement_keys(search, clock, free_by_rank)
        if keys:
            starts = sorted(keys)
            availability.append(
                DayAvailability(
                    clock.day,
                    tuple([clock.start + start for start in starts]),
                    tuple([ids_by_rank[keys[start] % counter_count] for start in starts]),
                )
            )
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
    search = _Search.of(office, counters, demand, window, shortest_minutes)
    day = local_day(start, office.tz)
    if start < window.earliest or not window.first_day <= day <= window.last_day:
        return None
    clocks = open_days(office, day, day)
    if not clocks or not search.counters:
        return None
    clock = clocks[0]
    (free_by_rank,) = search.free_pieces_by_day(
        office, clocks, blocked_within=Interval(clock.start, clock.end)
    )
    keys = _placement_keys(search, clock, free_by_rank)
    key = keys.get(start - clock.start)
    return None if key is None else search.counters[key % len(search.counters)].counter_id


def _placement_keys(
    search: _Search, clock: DayClock, free_by_rank: Sequence[list[Span]]
) -> dict[int, int]:
    """The best placement key per offered start of one day, starts in seconds after the day's
    start.

    ``key = (unusable * _GAP_LIMIT + leftover) * counter_count + rank``: a single int that
    compares like the tuple (unusable gap, leftover gap, counter id).
    """
    duration, step, shortest = search.duration, search.step, search.shortest
    day_start = clock.start
    earliest = search.earliest - day_start
    segments = [
        (segment_start - day_start, segment_end - day_start, origin - day_start)
        for segment_start, segment_end, origin in clock.segments
    ]
    counter_count = len(free_by_rank)
    unusable_weight = _GAP_LIMIT * counter_count
    # Beyond this many seconds between first and last start a piece surely has a calm middle
    # long enough to be worth a run (a run costs about as much as a handful of single starts).
    run_span = 2 * shortest + _SINGLE_STARTS_PER_RUN * step
    runs: list[tuple[int, int, int]] = []  # (key, first start, last start)
    single_keys: dict[int, int] = {}
    for rank, pieces in enumerate(free_by_rank):
        for piece_start_instant, piece_end_instant in pieces:
            piece_start = piece_start_instant - day_start
            latest = piece_end_instant - day_start - duration
            leftover = latest - piece_start
            calm_key = leftover * counter_count + rank
            for segment_start, segment_end, origin in segments:
                # Conditional expressions instead of min()/max(): this is the hot loop.
                low = piece_start if piece_start > segment_start else segment_start
                low = low if low > earliest else earliest
                high = latest if latest < segment_end else segment_end - 1
                first = low + (origin - low) % step
                last = high - (high - origin) % step
                if first > last:
                    continue
                one_by_one: Iterable[int] = range(first, last + 1, step)
                if last - first > run_span:
                    # A long piece: its calm middle becomes one run, only the ends go one by one.
                    calm_first = piece_start + shortest
                    calm_first = first if first > calm_first else calm_first
                    calm_first += (origin - calm_first) % step
                    calm_last = latest - shortest
                    calm_last = last if last < calm_last else calm_last
                    calm_last -= (calm_last - origin) % step
                    runs.append((calm_key, calm_first, calm_last))
                    one_by_one = chain(
                        range(first, calm_first, step), range(calm_last + step, last + 1, step)
                    )
                for start in one_by_one:
                    before = start - piece_start
                    after = leftover - before
                    unusable = (before if before < shortest else 0) + (
                        after if after < shortest else 0
                    )
                    key = unusable * unusable_weight + calm_key
                    if key < single_keys.get(start, _NO_KEY):
                        single_keys[start] = key
    if not runs:
        return single_keys
    runs.sort(reverse=True)  # worst first, so that better runs overwrite worse ones
    keys: dict[int, int] = {}
    for key, first, last in runs:
        keys.update(dict.fromkeys(range(first, last + 1, step), key))
    for start, key in single_keys.items():
        if key < keys.get(start, _NO_KEY):
            keys[start] = key
    return keys


def _overlapping(intervals: Iterable[Interval], within: Interval) -> list[Interval]:
    return [
        interval
        for interval in intervals
        if interval.start < within.end and interval.end > within.start
    ]
