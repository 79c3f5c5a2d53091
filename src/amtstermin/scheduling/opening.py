"""An office's days as citizens read them: open at all, and where the morning ends.

A day is *closed* when no counter is open on it: no opening hours on that weekday, a public
holiday, or an office closure over all of its hours. A counter's absence does not close the
office (the others may serve; the day then merely has no free time).

*Morning and afternoon* follow the office's hours (docs/decisions.md): a start before 12:00 is
in the morning and one from 12:00 in the afternoon, except that an opening block that begins
before noon and ends by 13:00 (a morning session such as 08:00-12:30) keeps all its starts in
the morning. A split day 08:00-12:30 and 14:00-18:00 thus has the first block as its morning
and the second as its afternoon; a day open 08:00-18:00 without a break divides at 12:00; a
day that opens at 13:00 has only an afternoon.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

from amtstermin.scheduling.calendar import local_day, open_intervals, weekly_schedule
from amtstermin.scheduling.spans import Span, merge_spans
from amtstermin.scheduling.types import CounterInput, OfficeCalendar

NOON = 12 * 3600  # seconds after local midnight
LATE_MORNING_END = 13 * 3600  # a block that starts before noon and ends by then is a morning


@dataclass(frozen=True, slots=True)
class OpeningDay:
    day: date
    open: bool  # some counter is open after public holidays and office closures
    morning_ends: int  # seconds after local midnight: a start before this is in the morning


def hours_on(counters: Iterable[CounterInput], day: date) -> list[Span]:
    """The office's opening hours on ``day`` (every counter's, merged), in seconds after local
    midnight; closures and holidays not taken off."""
    return merge_spans(
        span
        for counter in counters
        for span in weekly_schedule(counter.weekly_hours).wall_spans_on(day, day.weekday())
    )


def morning_end(hours: Sequence[Span]) -> int:
    """Where the morning ends on a day with these merged opening hours (see the module)."""
    for opens, closes in hours:
        if opens < NOON < closes <= LATE_MORNING_END:
            return closes
    return NOON


def opening_days(
    counters: Sequence[CounterInput], office: OfficeCalendar, first_day: date, last_day: date
) -> dict[date, OpeningDay]:
    """Each local day from ``first_day`` to ``last_day``: open or closed, and its morning."""
    open_on: set[date] = set()
    for counter in counters:
        present = replace(counter, absences=())  # an absence does not close the office
        for interval in open_intervals(present, office, first_day, last_day):
            open_on.add(local_day(interval.start, office.tz))
            open_on.add(local_day(max(interval.start, interval.end - 1), office.tz))
    days = {}
    day = first_day
    while day <= last_day:
        days[day] = OpeningDay(
            day=day, open=day in open_on, morning_ends=morning_end(hours_on(counters, day))
        )
        day += timedelta(days=1)
    return days
