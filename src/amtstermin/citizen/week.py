"""The week on the day-and-time page: which week and day to show, the week's days with their
number of free times (or closed), the chosen day's times split into morning and afternoon as
the office's hours divide the day (``scheduling.opening``), and the free times nearest to a
wanted one.

Presentation only: no request and no database. The view passes the free times it read and a
function that builds the page's links.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo

from django.utils.translation import gettext as _

from amtstermin import scheduling
from amtstermin.citizen import formatting

NEAREST_COUNT = 6


@dataclass(frozen=True)
class TimeChoice:
    start: int  # an engine instant: what the page posts back
    label: str  # "08:05" on the day view, a full date and time in the nearest list


@dataclass(frozen=True)
class WeekDay:
    date: date
    label: str
    count: int  # free times on the day
    in_window: bool  # bookable online at all
    closed: bool  # the office is closed (no hours, public holiday, closure)
    current: bool  # the chosen day
    url: str  # "" when nothing is free


@dataclass(frozen=True)
class Week:
    monday: date
    chosen: date | None  # None: nothing free this week
    label: str
    days: list[WeekDay]
    previous_url: str  # "" at the start of the booking window
    next_url: str  # "" at its end
    chosen_label: str
    morning: list[TimeChoice]
    afternoon: list[TimeChoice]
    nearest: list[TimeChoice]  # around the wanted time, if one was wanted
    next_free: TimeChoice | None
    nothing_free: bool
    link: str  # this week and day again (e.g. after switching the language)


def present_week(
    free_days: Sequence[scheduling.DayAvailability],
    *,
    first_day: date,
    last_day: date,
    tz: tzinfo,
    week: date | None,
    day: date | None,
    wanted: datetime | None,
    link: Callable[..., str],
    opening: Mapping[date, scheduling.OpeningDay] | None = None,
) -> Week:
    """The week to show, for the asked ``week`` and ``day`` (from the page's links, either may
    be None) inside the booking window first_day..last_day.

    Without a week, the chosen day's, the wanted time's, the first free day's or the window's
    first week is shown; a day without free times is not chosen. ``link(week=..., day=...)``
    gives the page's address for a week and day. ``opening`` (from ``hours.opening_days``)
    says which days are closed and where each morning ends; without it, no day is called
    closed and mornings end at noon.
    """
    opening = opening or {}
    free = {found.day: found.starts for found in free_days if found.starts}
    all_starts = [start for found in free_days for start in found.starts]
    wanted_day = wanted.astimezone(tz).date() if wanted else None
    chosen = day if day in free else None
    if week is None:
        week = scheduling.monday_of(
            chosen or wanted_day or (min(free) if free else None) or first_day
        )
    week = scheduling.monday_of(min(max(week, first_day), max(first_day, last_day)))
    if chosen is None or scheduling.monday_of(chosen) != week:
        in_week = sorted(d for d in free if scheduling.monday_of(d) == week)
        chosen = wanted_day if wanted_day in in_week else (in_week[0] if in_week else None)

    days = []
    for offset in range(7):
        current = week + timedelta(days=offset)
        days.append(
            WeekDay(
                date=current,
                label=formatting.day_label(current),
                count=len(free.get(current, ())),
                in_window=first_day <= current <= last_day,
                closed=current in opening and not opening[current].open,
                current=current == chosen,
                url=link(week=week.isoformat(), day=current.isoformat()) if current in free else "",
            )
        )
    morning: list[TimeChoice] = []
    afternoon: list[TimeChoice] = []
    known = opening.get(chosen) if chosen else None
    morning_ends = known.morning_ends if known else scheduling.opening.NOON
    for start in free.get(chosen, ()) if chosen else ():
        choice = TimeChoice(start=start, label=formatting.hhmm(start, tz))
        wall = formatting.local(start, tz)
        seconds = wall.hour * 3600 + wall.minute * 60 + wall.second
        (morning if seconds < morning_ends else afternoon).append(choice)
    nearest: list[TimeChoice] = []
    if wanted is not None and all_starts:
        target = int(wanted.timestamp())
        closest = sorted(all_starts, key=lambda start: (abs(start - target), start))
        nearest = [
            TimeChoice(start=start, label=formatting.date_time(start, tz, html=True))
            for start in sorted(closest[:NEAREST_COUNT])
        ]
    previous_week = week - timedelta(days=7)
    next_week = week + timedelta(days=7)
    return Week(
        monday=week,
        chosen=chosen,
        label=_("%(first)s to %(last)s")
        % {
            "first": formatting.long_date(week),
            "last": formatting.long_date(week + timedelta(days=6)),
        },
        days=days,
        previous_url=link(week=previous_week.isoformat()) if week > first_day else "",
        next_url=link(week=next_week.isoformat()) if next_week <= last_day else "",
        chosen_label=formatting.long_date(chosen) if chosen else "",
        morning=morning,
        afternoon=afternoon,
        nearest=nearest,
        next_free=(
            TimeChoice(
                start=all_starts[0], label=formatting.date_time(all_starts[0], tz, html=True)
            )
            if all_starts
            else None
        ),
        nothing_free=not free,
        link=link(week=week.isoformat(), **({"day": chosen.isoformat()} if chosen else {})),
    )
