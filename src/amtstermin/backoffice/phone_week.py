"""The free times on the phone booking page, as the template shows them: the next free times,
a week as hours x days with the first free time of each hour, and one day's every free time
by hour. Presentation only: no request and no database."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo

from amtstermin import scheduling

WORKING_DAYS = 5  # Monday to Friday are shown even when nothing is free; weekends only if so


@dataclass(frozen=True)
class Slot:
    """A free start as the form posts it back (``value``, office-local) and as people read it."""

    value: str  # "2026-12-07T08:05"
    day: date
    time: str  # "08:05"


@dataclass(frozen=True)
class HourRow:
    hour: str  # "08:00"
    slots: list[Slot | None]  # the week grid: one per day; a day's list: only free ones


@dataclass(frozen=True)
class WeekGrid:
    monday: date
    days: list[date]
    counts: list[int]  # free times per day
    rows: list[HourRow]


def slot(instant: int | datetime, tz: tzinfo) -> Slot:
    moment = instant if isinstance(instant, datetime) else datetime.fromtimestamp(instant, UTC)
    local = moment.astimezone(tz)
    return Slot(value=f"{local:%Y-%m-%dT%H:%M}", day=local.date(), time=f"{local:%H:%M}")


def slots(instants: Iterable[int | datetime], tz: tzinfo) -> list[Slot]:
    return [slot(instant, tz) for instant in instants]


def _by_hour(found: Sequence[int], tz: tzinfo) -> dict[int, list[Slot]]:
    hours: dict[int, list[Slot]] = {}
    for start in found:
        free = slot(start, tz)
        hours.setdefault(int(free.time[:2]), []).append(free)
    return hours


def week_grid(
    free_days: Sequence[scheduling.DayAvailability], *, monday: date, tz: tzinfo
) -> WeekGrid:
    """Rows for the hours with any free time in the week, a column per day (Monday to Friday,
    and Saturday or Sunday if anything is free then), the first free time of each hour."""
    starts = {found.day: found.starts for found in free_days}
    days = [
        monday + timedelta(days=offset)
        for offset in range(7)
        if offset < WORKING_DAYS or starts.get(monday + timedelta(days=offset))
    ]
    hours = {day: _by_hour(starts.get(day, ()), tz) for day in days}
    all_hours = sorted({hour for by_hour in hours.values() for hour in by_hour})
    return WeekGrid(
        monday=monday,
        days=days,
        counts=[len(starts.get(day, ())) for day in days],
        rows=[
            HourRow(
                hour=f"{hour:02d}:00",
                slots=[hours[day][hour][0] if hour in hours[day] else None for day in days],
            )
            for hour in all_hours
        ],
    )


def day_by_hour(
    free_days: Sequence[scheduling.DayAvailability], day: date, tz: tzinfo
) -> list[HourRow]:
    """Every free time of ``day``, a row per hour."""
    found = next((found.starts for found in free_days if found.day == day), ())
    return [
        HourRow(hour=f"{hour:02d}:00", slots=list(free))
        for hour, free in sorted(_by_hour(found, tz).items())
    ]
