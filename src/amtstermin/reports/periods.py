"""The period a statistics page shows, from its GET form: dates, a week or a month."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from amtstermin import scheduling
from amtstermin.booking.parsing import date_or_none

DEFAULT_WEEKS = 12
LONGEST_DAYS = 3 * 366
_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True)
class Period:
    first: date
    last: date
    week: str = ""  # as given: 2026-W49
    month: str = ""  # as given: 2026-12

    def query(self) -> str:
        """The GET parameters that ask for this period again."""
        if self.month:
            return f"month={self.month}"
        if self.week:
            return f"week={self.week}"
        return f"first={self.first.isoformat()}&last={self.last.isoformat()}"


def _week(text: str) -> tuple[date, date] | None:
    match = _WEEK.match(text)
    if not match:
        return None
    try:
        monday = date.fromisocalendar(int(match[1]), int(match[2]), 1)
    except ValueError:
        return None
    return monday, monday + timedelta(days=6)


def _month(text: str) -> tuple[date, date] | None:
    match = _MONTH.match(text)
    if not match:
        return None
    year, month = int(match[1]), int(match[2])
    if not (1 <= month <= 12 and 1 <= year <= 9998):
        return None
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def period_from(params: dict[str, str], *, today: date) -> Period:
    """A month wins over a week, a week over dates; the default is the last twelve weeks."""
    month = (params.get("month") or "").strip()
    found = _month(month)
    if found:
        return Period(*found, month=month)
    week = (params.get("week") or "").strip()
    found = _week(week)
    if found:
        return Period(*found, week=week)
    last = date_or_none(params.get("last")) or today
    first = date_or_none(params.get("first")) or (
        scheduling.monday_of(last) - timedelta(weeks=DEFAULT_WEEKS - 1)
    )
    if first > last:
        first, last = last, first
    first = max(first, last - timedelta(days=LONGEST_DAYS))
    return Period(first, last)
