"""Free times for staff booking for a caller or at the counter: the next ones from now across
days, and the free starts of a range of days, for any counter or one chosen counter. Reads only.

Staff see every counter (the staff-only ones too) and book from now on (no lead time), as
``selectors.booking_window(staff=True)`` says. Without a chosen counter the answers come from the
cached ``selectors.availability``; with one, the slot engine is asked for that counter alone.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from django.db.models import QuerySet

from amtstermin import scheduling
from amtstermin.booking import selectors
from amtstermin.booking.demand import Demand
from amtstermin.booking.models import Counter, Office

NEXT_COUNT = 9  # free times offered "next"
NEXT_PER_DAY = 3  # at most this many of them on one day, so they reach across days
NEXT_SPACING = timedelta(hours=1)  # between two of them on one day
SEARCH_WEEKS = 13  # how far ahead the next free times are looked for


def counters_offering(office: Office, service_ids: set[int]) -> QuerySet[Counter]:
    """The office's active counters that offer every one of these services (all counters if
    none are given), online or staff-only, in name order."""
    counters = Counter.objects.filter(office=office, active=True)
    for service_id in service_ids:
        counters = counters.filter(services=service_id)
    return counters.distinct().order_by("name", "pk")


def staff_free_days(
    demand: Demand,
    *,
    first_day: date,
    last_day: date,
    now: datetime,
    counter_id: int | None = None,
) -> list[scheduling.DayAvailability]:
    """The free starts for the demand on local days first..last, as staff may book them, on any
    counter or only on ``counter_id``."""
    if counter_id is None:
        return selectors.availability(
            demand, first_day=first_day, last_day=last_day, now=now, staff=True
        )
    window = selectors.booking_window(demand.office, now=now, staff=True)
    window = window.clipped(first_day, last_day)
    if window.first_day > window.last_day:
        return []
    inputs = selectors.engine_inputs(
        demand.office, first_day=window.first_day, last_day=window.last_day, now=now, staff=True
    )
    return scheduling.find_free_starts(
        office=inputs.calendar,
        counters=[counter for counter in inputs.counters if counter.counter_id == counter_id],
        demand=demand.engine_lines(),
        window=window.as_engine(),
        shortest_minutes=inputs.shortest_minutes,
    )


def spread(
    days: list[scheduling.DayAvailability],
    *,
    count: int = NEXT_COUNT,
    per_day: int = NEXT_PER_DAY,
    spacing: timedelta = NEXT_SPACING,
) -> list[int]:
    """From free days in order, up to ``count`` starts: per day the first free one, then the
    next free one at least ``spacing`` later, at most ``per_day`` a day."""
    gap = int(spacing.total_seconds())
    chosen: list[int] = []
    for found in days:
        taken = 0
        last: int | None = None
        for start in found.starts:
            if len(chosen) == count:
                return chosen
            if taken == per_day:
                break
            if last is None or start >= last + gap:
                chosen.append(start)
                last = start
                taken += 1
    return chosen


def next_free_starts(
    demand: Demand,
    *,
    now: datetime,
    counter_id: int | None = None,
    count: int = NEXT_COUNT,
    weeks: int = SEARCH_WEEKS,
) -> list[datetime]:
    """The next free times from now (``spread`` across days), looked for a week at a time."""
    today = now.astimezone(demand.office.zone).date()
    days: list[scheduling.DayAvailability] = []
    for week in range(weeks):
        first = today + timedelta(days=7 * week)
        days.extend(
            staff_free_days(
                demand,
                first_day=first,
                last_day=first + timedelta(days=6),
                now=now,
                counter_id=counter_id,
            )
        )
        starts = spread(days, count=count)
        if len(starts) == count:
            break
    return [datetime.fromtimestamp(start, UTC) for start in starts]
