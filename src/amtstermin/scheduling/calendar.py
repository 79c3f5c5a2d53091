"""Office-local calendar: wall times to instants, local days and opening intervals.

DST rule: a wall time maps to the *first instant at which the office's clock shows that wall
time or later*. For ordinary times that is the only instant with that wall time; in the
fall-back overlap it is the first occurrence (``fold=0``); inside the spring-forward gap it is
the first instant after the gap (02:30 on 2026-03-29 in Europe/Berlin becomes 03:00 CEST). The
mapping never decreases, so an opening interval cannot turn inside out on a DST day.

The engine assumes that a zone's UTC offset changes at most once per local day and that changes
are more than a day apart, which holds for the tz database's zones in this century.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from itertools import chain
from operator import attrgetter
from zoneinfo import ZoneInfo

from amtstermin.scheduling.spans import Span, merge_spans
from amtstermin.scheduling.types import CounterInput, Interval, OfficeCalendar, WeeklyHours

SECONDS_PER_DAY = 86_400
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
_ONE_DAY = timedelta(days=1)
_START = attrgetter("start")


def wall_seconds(wall: time) -> int:
    """Seconds since local midnight; instants are whole seconds, so microseconds are dropped."""
    return wall.hour * 3600 + wall.minute * 60 + wall.second


def _offset_seconds(offset: timedelta | None) -> int:
    if offset is None:
        raise ValueError("the time zone gave no UTC offset")
    return offset.days * SECONDS_PER_DAY + offset.seconds


def utc_offset_at(instant: int, tz: ZoneInfo) -> int:
    """The zone's UTC offset in seconds at ``instant``."""
    return _offset_seconds(datetime.fromtimestamp(instant, tz).utcoffset())


def local_instant(day: date, wall: time, tz: ZoneInfo) -> int:
    """The first instant at which the clock in ``tz`` shows ``wall`` on ``day`` (or later).

    See the module docstring for what that means in the DST gap and overlap; ``wall.fold`` and
    ``wall.tzinfo`` are ignored, microseconds dropped.
    """
    # Naive on purpose: the zone is asked for this wall time's offset under either fold.
    local = datetime(  # noqa: DTZ001
        day.year, day.month, day.day, wall.hour, wall.minute, wall.second
    )
    return _first_instant_showing(local, tz)


def _first_instant_showing(local: datetime, tz: ZoneInfo) -> int:
    """``local_instant`` for a naive local datetime with whole seconds."""
    naive = (local.toordinal() - _EPOCH_ORDINAL) * SECONDS_PER_DAY + (
        local.hour * 3600 + local.minute * 60 + local.second
    )
    earlier = _offset_seconds(tz.utcoffset(local))  # fold=0: the offset before a transition
    later = _offset_seconds(tz.utcoffset(local.replace(fold=1)))
    if earlier >= later:
        return naive - earlier  # no transition, or the overlap's first occurrence
    # In the gap: the clock jumps past ``naive`` somewhere in (naive - later, naive - earlier].
    too_early, reached = naive - later, naive - earlier
    while reached - too_early > 1:
        middle = (too_early + reached) // 2
        if middle + utc_offset_at(middle, tz) >= naive:
            reached = middle
        else:
            too_early = middle
    return reached


def local_day(instant: int, tz: ZoneInfo) -> date:
    """The office-local date of ``instant``."""
    return datetime.fromtimestamp(instant, tz).date()


def monday_of(day: date) -> date:
    """The Monday of ``day``'s week (weeks run Monday to Sunday, as in ISO 8601)."""
    return day - timedelta(days=day.weekday())


def day_bounds(day: date, tz: ZoneInfo) -> Interval:
    """Local midnight to the next local midnight (23 h or 25 h on DST days)."""
    return Interval(local_instant(day, time(0), tz), local_instant(day + _ONE_DAY, time(0), tz))


class DayClock:
    """One local date with its wall-clock arithmetic worked out once.

    ``segments`` holds ``(from, until, origin)`` per stretch of constant UTC offset: an instant
    ``t`` in ``[from, until)`` shows ``t - origin`` seconds after midnight on the office clock.
    Ordinary days have one segment whose origin is the day's start (``plain``); a DST day has
    two, or just one if the offset changes at a midnight that fell into a gap.
    """

    __slots__ = ("day", "end", "plain", "segments", "start", "weekday")

    def __init__(self, day: date, start: int, end: int, tz: ZoneInfo) -> None:
        """``start`` and ``end`` are the instants of the day's local midnights."""
        self.day = day
        self.weekday = day.weekday()
        self.start = start
        self.end = end
        self.plain = end - start == SECONDS_PER_DAY
        self.segments: tuple[tuple[int, int, int], ...]
        if self.plain:
            self.segments = ((start, end, start),)
            return
        naive_midnight = (day.toordinal() - _EPOCH_ORDINAL) * SECONDS_PER_DAY
        offset_at_start = utc_offset_at(start, tz)
        offset_at_end = utc_offset_at(end - 1, tz)
        if offset_at_start == offset_at_end:
            # The offset changes exactly at one of the midnights, which fell into a gap.
            self.segments = ((start, end, naive_midnight - offset_at_start),)
            return
        before, transition = start, end - 1  # the offset changes in (before, transition]
        while transition - before > 1:
            middle = (before + transition) // 2
            if utc_offset_at(middle, tz) == offset_at_start:
                before = middle
            else:
                transition = middle
        self.segments = (
            (start, transition, naive_midnight - offset_at_start),
            (transition, end, naive_midnight - offset_at_end),
        )

    def instant_at(self, seconds_after_midnight: int) -> int:
        """Same rule as ``local_instant``, without asking the zone again."""
        for segment_start, segment_end, origin in self.segments:
            candidate = origin + seconds_after_midnight
            if candidate < segment_end:
                # Below the segment start only in a gap: clamp to the first instant after it.
                return max(candidate, segment_start)
        # In a gap that runs into the next day: the first instant after it ends this day.
        return self.end


def day_clocks(first_day: date, last_day: date, tz: ZoneInfo) -> list[DayClock]:
    """A ``DayClock`` for every date in ``[first_day, last_day]``.

    A midnight with the same fold-0 offset as the next midnight lies in no gap or overlap, so
    its instant is plain arithmetic; only midnights next to a DST change take the slow path.
    """
    day_count = (last_day - first_day).days + 1
    first_midnight = datetime(first_day.year, first_day.month, first_day.day)  # noqa: DTZ001
    midnights = [first_midnight + index * _ONE_DAY for index in range(day_count + 2)]
    offsets = [tz.utcoffset(midnight) for midnight in midnights]
    naive_first = (first_day.toordinal() - _EPOCH_ORDINAL) * SECONDS_PER_DAY
    bounds = [
        naive_first + index * SECONDS_PER_DAY - _offset_seconds(offsets[index])
        if offsets[index] == offsets[index + 1]
        else _first_instant_showing(midnights[index], tz)
        for index in range(day_count + 1)
    ]
    return [
        DayClock(midnights[index].date(), bounds[index], bounds[index + 1], tz)
        for index in range(day_count)
    ]


class WeeklySchedule:
    """Weekly hours compiled for lookups by date. Shared between searches (see
    ``weekly_schedule``), so the span lists it hands out must not be changed."""

    __slots__ = ("_hours_by_weekday", "_validity_changes", "_wall_spans")

    def __init__(self, weekly_hours: tuple[WeeklyHours, ...]) -> None:
        hours_by_weekday: list[list[tuple[int, int, date | None, date | None]]] = [
            [] for _ in range(7)
        ]
        changes: set[date] = set()
        for hours in weekly_hours:
            hours_by_weekday[hours.weekday].append(
                (
                    wall_seconds(hours.start),
                    wall_seconds(hours.end),
                    hours.valid_from,
                    hours.valid_until,
                )
            )
            if hours.valid_from is not None:
                changes.add(hours.valid_from)
            if hours.valid_until is not None:
                changes.add(hours.valid_until + _ONE_DAY)
        self._hours_by_weekday = hours_by_weekday
        # Between two change dates every entry is either valid or not: cache per stretch.
        self._validity_changes = sorted(changes)
        self._wall_spans: dict[int, list[Span]] = {}

    def wall_spans_on(self, day: date, weekday: int) -> list[Span]:
        """Merged opening hours valid on ``day``, in seconds after local midnight."""
        changes = self._validity_changes
        key = weekday + 7 * bisect_right(changes, day) if changes else weekday
        spans = self._wall_spans.get(key)
        if spans is None:
            spans = self._wall_spans[key] = merge_spans(
                (opens, closes)
                for opens, closes, valid_from, valid_until in self._hours_by_weekday[weekday]
                if (valid_from is None or valid_from <= day)
                and (valid_until is None or day <= valid_until)
            )
        return spans


@lru_cache(maxsize=1024)
def weekly_schedule(weekly_hours: tuple[WeeklyHours, ...]) -> WeeklySchedule:
    """Hours change rarely and counters often share them: compile each set once."""
    return WeeklySchedule(weekly_hours)


class CounterCalendar:
    """A counter's opening hours and blocked time, prepared for day-by-day lookups."""

    __slots__ = ("_blocked", "_schedule")

    def __init__(self, counter: CounterInput, blocked: Iterable[Interval]) -> None:
        self._schedule = weekly_schedule(counter.weekly_hours)
        self._blocked = sorted(blocked, key=_START)

    def _open_spans_on_dst_day(self, clock: DayClock) -> list[Span]:
        """The wall-to-instant map may squeeze spans empty or make them touch: merge again."""
        return merge_spans(
            (clock.instant_at(opens), clock.instant_at(closes))
            for opens, closes in self._schedule.wall_spans_on(clock.day, clock.weekday)
        )

    def free_spans_by_day(
        self, clocks: Iterable[DayClock], min_length: int = 1
    ) -> list[list[Span]]:
        """Per clock (in ascending order), the open time that no blocked interval covers, in
        spans of at least ``min_length`` seconds.

        One sweep over the blocked intervals, which are sorted by start but may overlap; a
        blocked interval is passed over once it ends before the sweep's position.
        """
        blocked = self._blocked
        blocked_count = len(blocked)
        index = 0
        free_by_day: list[list[Span]] = []
        for clock in clocks:
            free: list[Span] = []
            if clock.plain:  # wall seconds plus the day's start, no conversion needed
                shift, open_spans = (
                    clock.start,
                    self._schedule.wall_spans_on(clock.day, clock.weekday),
                )
            else:
                shift, open_spans = 0, self._open_spans_on_dst_day(clock)
            for opens, closes in open_spans:
                cursor, end = shift + opens, shift + closes
                while index < blocked_count:
                    interval = blocked[index]
                    if interval.start >= end:
                        break
                    # An empty interval blocks nothing (but would split the free piece).
                    if interval.end > cursor and interval.end > interval.start:
                        if interval.start - cursor >= min_length:
                            free.append((cursor, interval.start))
                        cursor = interval.end
                        if cursor >= end:
                            break  # may block the next open span as well
                    index += 1
                if end - cursor >= min_length:
                    free.append((cursor, end))
            free_by_day.append(free)
        return free_by_day


def open_days(office: OfficeCalendar, first_day: date, last_day: date) -> list[DayClock]:
    """Day clocks for the dates in range that are not whole-day closures."""
    return [
        clock
        for clock in day_clocks(first_day, last_day, office.tz)
        if clock.day not in office.closed_days
    ]


def open_intervals(
    counter: CounterInput, office: OfficeCalendar, first_day: date, last_day: date
) -> list[Interval]:
    """The counter's opening hours on ``[first_day, last_day]`` minus closed days, office
    closures and the counter's absences; sorted, merged, non-overlapping."""
    calendar = CounterCalendar(counter, chain(office.closures, counter.absences))
    free_by_day = calendar.free_spans_by_day(open_days(office, first_day, last_day))
    # Days only touch if a DST gap swallowed midnight; merge those too.
    return [Interval(*span) for span in merge_spans(chain.from_iterable(free_by_day))]
