"""Demand against capacity for the next weeks, from the daily figures.

Demand of a past week, in counter-minutes: the booked minutes of its appointments that were
not cancelled, the minutes spent serving walk-ins, and each refused search and waitlist
sign-up at the average length of a booking. The expected demand of a coming week is that of
the same week a year before (52 weeks back) when figures exist for it, else the mean of the
weeks with figures among the last ``RECENT_WEEKS``. Capacity: the counters' opening hours in
that week minus public holidays, closures and absences entered so far.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Sum

from amtstermin import scheduling
from amtstermin.booking import selectors
from amtstermin.booking.models import Office
from amtstermin.reports.models import DailyServiceFigures

WEEKS_AHEAD = 8
RECENT_WEEKS = 8
DEFAULT_BOOKING_MINUTES = 15  # when there is no booking to take the average from
LAST_YEAR = "last_year"
RECENT = "recent"
NONE = "none"


@dataclass(frozen=True)
class ForecastWeek:
    monday: date
    demand_minutes: float
    capacity_minutes: int
    method: str  # LAST_YEAR, RECENT or NONE (no figures at all)

    @property
    def shortfall_hours(self) -> float:
        """Counter-hours of demand above capacity (0 if it fits)."""
        return round(max(self.demand_minutes - self.capacity_minutes, 0) / 60, 1)

    @property
    def exceeds(self) -> bool:
        return self.demand_minutes > self.capacity_minutes


def weekly_demand(office: Office, first: date, last: date) -> dict[date, float]:
    """Demand in counter-minutes of each week (by its Monday) with figures in first..last."""
    rows = (
        DailyServiceFigures.objects.filter(office=office, day__gte=first, day__lte=last)
        .values("day")
        .annotate(
            booked=Sum("booked_minutes"),
            walk_in=Sum("walk_in_minutes"),
            online=Sum("booked_online"),
            phone=Sum("booked_phone"),
            counter=Sum("booked_counter"),
            cancelled_citizen=Sum("cancelled_by_citizen"),
            cancelled_office=Sum("cancelled_by_office"),
            refused_limit=Sum("refused_limit"),
            refused_free=Sum("refused_nothing_free"),
            waitlist=Sum("waitlist_signups"),
        )
    )
    booked_minutes = 0.0
    kept_bookings = 0
    per_week: dict[date, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
    for row in rows:
        week = per_week[scheduling.monday_of(row["day"])]
        week[0] += row["booked"] or 0
        week[1] += row["walk_in"] or 0
        week[2] += (row["refused_limit"] or 0) + (row["refused_free"] or 0) + (row["waitlist"] or 0)
        booked_minutes += row["booked"] or 0
        kept_bookings += (
            (row["online"] or 0)
            + (row["phone"] or 0)
            + (row["counter"] or 0)
            - (row["cancelled_citizen"] or 0)
            - (row["cancelled_office"] or 0)
        )
    average = booked_minutes / kept_bookings if kept_bookings > 0 else DEFAULT_BOOKING_MINUTES
    return {
        monday: booked + walk_in + extra * average
        for monday, (booked, walk_in, extra) in per_week.items()
    }


def weekly_capacity(
    office: Office, first_monday: date, weeks: int, *, now: datetime
) -> dict[date, int]:
    """Open counter-minutes per week: opening hours minus holidays, closures, absences."""
    last = first_monday + timedelta(days=7 * weeks - 1)
    inputs = selectors.engine_inputs(
        office, first_day=first_monday, last_day=last, now=now, staff=True
    )
    capacity = {first_monday + timedelta(days=7 * n): 0 for n in range(weeks)}
    for counter in inputs.counters:
        for span in scheduling.open_intervals(counter, inputs.calendar, first_monday, last):
            day = scheduling.local_day(span.start, office.zone)
            capacity[scheduling.monday_of(day)] += (span.end - span.start) // 60
    return capacity


def forecast(
    office: Office, *, today: date, now: datetime, weeks: int = WEEKS_AHEAD
) -> list[ForecastWeek]:
    """The coming ``weeks`` weeks from next Monday on."""
    first_monday = scheduling.monday_of(today) + timedelta(days=7)
    this_monday = scheduling.monday_of(today)
    history = weekly_demand(
        office, first_monday - timedelta(weeks=52), this_monday - timedelta(days=1)
    )
    recent = [
        demand
        for monday, demand in history.items()
        if this_monday - timedelta(weeks=RECENT_WEEKS) <= monday < this_monday
    ]
    recent_mean = sum(recent) / len(recent) if recent else None
    capacity = weekly_capacity(office, first_monday, weeks, now=now)
    result = []
    for n in range(weeks):
        monday = first_monday + timedelta(days=7 * n)
        last_year = history.get(monday - timedelta(weeks=52))
        if last_year is not None:
            demand, method = last_year, LAST_YEAR
        elif recent_mean is not None:
            demand, method = recent_mean, RECENT
        else:
            demand, method = 0.0, NONE
        result.append(
            ForecastWeek(
                monday=monday,
                demand_minutes=round(demand, 1),
                capacity_minutes=capacity[monday],
                method=method,
            )
        )
    return result
