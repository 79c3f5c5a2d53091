"""The office's opening hours for display: the counters' hours merged per weekday, and the
days of a week as the time page lists them (closed or open, where the morning ends).

Reads for the citizen pages only; free times are decided by ``booking.selectors`` alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time

from django.db.models import Q

from amtstermin import scheduling
from amtstermin.booking import selectors
from amtstermin.booking.models import Office, OpeningHours, Weekday
from amtstermin.languages import formatting


@dataclass(frozen=True)
class DayHours:
    weekday: str
    spans: tuple[tuple[time, time], ...]

    @property
    def ranges(self) -> list[str]:
        """Each span as the active language writes it; the template isolates each (``ltr``)."""
        return [formatting.hours_range(start, end) for start, end in self.spans]

    @property
    def text(self) -> str:
        return ", ".join(self.ranges)


def weekly_hours(office: Office, *, today: date) -> list[DayHours]:
    """Monday to Friday always, Saturday and Sunday only when open; overlapping hours merged."""
    rows = (
        OpeningHours.objects.filter(counter__office=office, counter__active=True)
        .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=today))
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))
        .values_list("weekday", "start", "end")
    )
    per_day: dict[int, list[tuple[time, time]]] = {day: [] for day in range(7)}
    for weekday, start, end in rows:
        per_day[weekday].append((start, end))
    result = []
    for day in range(7):
        merged: list[tuple[time, time]] = []
        for start, end in sorted(per_day[day]):
            if merged and start <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(merged[-1][1], end))
            else:
                merged.append((start, end))
        if merged or day < 5:
            result.append(DayHours(weekday=str(Weekday(day).label), spans=tuple(merged)))
    return result


def opening_days(
    office: Office, first_day: date, last_day: date
) -> dict[date, scheduling.OpeningDay]:
    """Which of these days the office is open (any active counter, online or not, after public
    holidays and closures) and where each day's morning ends (``scheduling.opening``)."""
    configuration = selectors.office_configuration(office.pk, include_inactive=True)
    if configuration is None:
        return {}
    calendar = scheduling.OfficeCalendar(
        tz=office.zone,
        closed_days=frozenset(office.public_holidays(range(first_day.year, last_day.year + 1))),
        closures=configuration.closures,
    )
    return scheduling.opening_days(configuration.counters, calendar, first_day, last_day)
