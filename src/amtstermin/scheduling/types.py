"""Value types of the slot engine.

An *instant* is an ``int``: seconds since the Unix epoch, UTC. Integers keep the search fast
and make comparisons exact; the Django side converts with ``int(dt.timestamp())`` and back with
``datetime.fromtimestamp(value, UTC)``. Wall times (weekly hours) are local to the office's zone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time
from zoneinfo import ZoneInfo


@dataclass(frozen=True, slots=True)
class Interval:
    """Half-open range of instants ``[start, end)``."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError("an interval cannot end before it starts")


@dataclass(frozen=True, slots=True)
class WeeklyHours:
    """One opening interval on one weekday (0 = Monday), in office-local wall time.

    ``valid_from`` / ``valid_until`` (both inclusive, optional) let an office plan a change.
    """

    weekday: int
    start: time
    end: time
    valid_from: date | None = None
    valid_until: date | None = None


@dataclass(frozen=True, slots=True)
class ReservedTime:
    """Capacity a counter keeps back from a search on one weekday (ZMS: internal capacity).

    Either the wall-time range ``[start, end)``, office-local like ``WeeklyHours``, or
    ``share_percent`` (1 to 100) of the counter's open time that day; ``valid_from`` and
    ``valid_until`` as in ``WeeklyHours``. See ``capacity.py`` for the rule.
    """

    weekday: int
    start: time | None = None
    end: time | None = None
    share_percent: int | None = None
    valid_from: date | None = None
    valid_until: date | None = None

    def __post_init__(self) -> None:
        is_range = self.start is not None and self.end is not None
        if is_range == (self.share_percent is not None) or (self.start is None) != (
            self.end is None
        ):
            raise ValueError("reserved time is either a range or a share of the day")
        if self.start is not None and self.end is not None and self.end <= self.start:
            raise ValueError("a reserved range must end after it starts")
        if self.share_percent is not None and not 1 <= self.share_percent <= 100:
            raise ValueError("a reserved share lies between 1 and 100 percent")


@dataclass(frozen=True, slots=True)
class CounterInput:
    """A counter as the engine sees it.

    ``reserved`` is kept back from this search (the booking side passes a counter's staff-only
    time to searches for citizens online, none to staff); ``spent`` are the intervals of
    ``busy`` that use up the share of the day this search may fill (the online bookings).
    """

    counter_id: int
    service_ids: frozenset[int]
    weekly_hours: tuple[WeeklyHours, ...]
    absences: tuple[Interval, ...] = ()
    busy: tuple[Interval, ...] = ()
    reserved: tuple[ReservedTime, ...] = ()
    spent: tuple[Interval, ...] = ()


@dataclass(frozen=True, slots=True)
class DemandLine:
    """One service asked for, for a number of persons."""

    service_id: int
    first_person_minutes: int
    per_person_minutes: int
    persons: int


@dataclass(frozen=True, slots=True)
class OfficeCalendar:
    """What applies to every counter of an office."""

    tz: ZoneInfo
    grid_minutes: int = 5
    closed_days: frozenset[date] = frozenset()  # public holidays and whole-day closures
    closures: tuple[Interval, ...] = ()  # office-wide closed ranges


@dataclass(frozen=True, slots=True)
class SearchWindow:
    """Which start times may be offered.

    ``earliest`` is an instant (now plus the lead time); ``first_day`` and ``last_day`` are
    office-local dates, both inclusive.
    """

    earliest: int
    first_day: date
    last_day: date


@dataclass(frozen=True, slots=True)
class DayAvailability:
    """Free start times of one office-local day.

    ``starts`` are instants in ascending order; ``counter_ids[i]`` is the counter that an
    appointment starting at ``starts[i]`` would get.
    """

    day: date
    starts: tuple[int, ...]
    counter_ids: tuple[int, ...] = field(default=())
