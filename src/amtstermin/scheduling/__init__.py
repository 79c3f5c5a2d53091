"""Slot engine: free appointment starts of a citizens' office.

Pure standard library, no Django: the booking side converts its models into the value types
below and instants (``int`` seconds since the epoch, UTC) back into datetimes.
"""

from amtstermin.scheduling.calendar import (
    day_bounds,
    local_day,
    local_instant,
    monday_of,
    open_intervals,
)
from amtstermin.scheduling.duration import duration_minutes
from amtstermin.scheduling.opening import OpeningDay, opening_days
from amtstermin.scheduling.search import counter_for_start, find_free_starts
from amtstermin.scheduling.types import (
    CounterInput,
    DayAvailability,
    DemandLine,
    Interval,
    OfficeCalendar,
    ReservedTime,
    SearchWindow,
    WeeklyHours,
)

__all__ = [
    "CounterInput",
    "DayAvailability",
    "DemandLine",
    "Interval",
    "OfficeCalendar",
    "OpeningDay",
    "ReservedTime",
    "SearchWindow",
    "WeeklyHours",
    "counter_for_start",
    "day_bounds",
    "duration_minutes",
    "find_free_starts",
    "local_day",
    "local_instant",
    "monday_of",
    "open_intervals",
    "opening_days",
]
