"""Small builders shared by the example tests."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from amtstermin.scheduling import CounterInput, Interval, WeeklyHours

BERLIN = ZoneInfo("Europe/Berlin")


def wall(text: str) -> time:
    return time.fromisoformat(text)


def at(day: date, text: str, tz: ZoneInfo = BERLIN) -> int:
    """The instant of an unambiguous local wall time."""
    return int(datetime.combine(day, wall(text), tzinfo=tz).timestamp())


def span(day: date, opens: str, closes: str) -> Interval:
    return Interval(at(day, opens), at(day, closes))


def hours(weekday: int, opens: str, closes: str, **validity: date) -> WeeklyHours:
    return WeeklyHours(weekday, wall(opens), wall(closes), **validity)


def weekdays(opens: str, closes: str, days: Iterable[int] = range(5)) -> tuple[WeeklyHours, ...]:
    return tuple(hours(weekday, opens, closes) for weekday in days)


def counter(
    counter_id: int,
    weekly_hours: tuple[WeeklyHours, ...],
    *,
    services: Iterable[int] = (1,),
    absences: Iterable[Interval] = (),
    busy: Iterable[Interval] = (),
) -> CounterInput:
    return CounterInput(
        counter_id=counter_id,
        service_ids=frozenset(services),
        weekly_hours=weekly_hours,
        absences=tuple(absences),
        busy=tuple(busy),
    )


def local_text(instant: int, tz: ZoneInfo = BERLIN) -> str:
    """``HH:MM`` plus the zone abbreviation, to tell the two 02:30s of a fall-back day apart."""
    return datetime.fromtimestamp(instant, tz).strftime("%H:%M %Z")
