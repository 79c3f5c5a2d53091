"""The week on the day-and-time page: which week and day are shown, and how its times read."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from amtstermin.citizen.week import Week, present_week
from amtstermin.scheduling import DayAvailability, OpeningDay

BERLIN = ZoneInfo("Europe/Berlin")
FIRST, LAST = date(2026, 12, 2), date(2026, 12, 31)  # a Wednesday; the window's last day


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


def at(day: date, hour: int, minute: int = 0) -> int:
    return int(datetime(day.year, day.month, day.day, hour, minute, tzinfo=BERLIN).timestamp())


def free(*days: tuple[date, list[tuple[int, int]]]) -> list[DayAvailability]:
    return [
        DayAvailability(
            day=day, starts=tuple(at(day, h, m) for h, m in times), counter_ids=(1,) * len(times)
        )
        for day, times in days
    ]


def link(**params: str) -> str:
    return "?" + "&".join(f"{key}={value}" for key, value in sorted(params.items()))


def week_of(
    days: list[DayAvailability],
    week: date | None = None,
    day: date | None = None,
    wanted: datetime | None = None,
) -> Week:
    return present_week(
        days,
        first_day=FIRST,
        last_day=LAST,
        tz=BERLIN,
        week=week,
        day=day,
        wanted=wanted,
        link=link,
    )


def test_without_a_choice_the_first_free_day_and_its_week_are_shown() -> None:
    shown = week_of(free((date(2026, 12, 9), [(8, 0)]), (date(2026, 12, 10), [(9, 0)])))
    assert shown.monday == date(2026, 12, 7) and shown.chosen == date(2026, 12, 9)
    assert [d.count for d in shown.days] == [0, 0, 1, 1, 0, 0, 0]
    assert shown.days[2].url == "?day=2026-12-09&week=2026-12-07" and shown.days[0].url == ""


def test_a_day_without_free_times_is_not_chosen() -> None:
    shown = week_of(free((date(2026, 12, 10), [(9, 0)])), day=date(2026, 12, 9))
    assert shown.chosen == date(2026, 12, 10)


def test_a_week_before_the_window_shows_the_windows_first_week() -> None:
    shown = week_of(free((date(2026, 12, 3), [(9, 0)])), week=date(2020, 1, 6))
    assert shown.monday == date(2026, 11, 30) and shown.previous_url == ""
    assert [d.in_window for d in shown.days] == [False, False, True, True, True, True, True]


def test_the_last_week_of_the_window_has_no_next_week() -> None:
    shown = week_of(free((date(2026, 12, 29), [(9, 0)])), week=date(2026, 12, 28))
    assert shown.next_url == "" and shown.previous_url == "?week=2026-12-21"


def test_times_before_noon_are_morning_the_rest_afternoon() -> None:
    shown = week_of(free((date(2026, 12, 9), [(8, 5), (11, 55), (12, 0), (14, 30)])))
    assert [c.label for c in shown.morning] == ["08:05", "11:55"]
    assert [c.label for c in shown.afternoon] == ["12:00", "14:30"]


def test_a_wanted_time_shows_its_day_and_the_six_nearest_free_times() -> None:
    day = date(2026, 12, 10)
    times = [(8, 0), (8, 30), (9, 0), (9, 30), (10, 0), (10, 30), (11, 0), (11, 30)]
    wanted = datetime(2026, 12, 10, 10, 15, tzinfo=BERLIN)
    shown = week_of(free((date(2026, 12, 9), [(8, 0)]), (day, times)), wanted=wanted)
    assert shown.chosen == day
    assert [c.start for c in shown.nearest] == [
        at(day, h, m) for h, m in [(9, 0), (9, 30), (10, 0), (10, 30), (11, 0), (11, 30)]
    ]
    assert shown.nearest[0].label == "Thursday, 10 December 2026, 09:00"


def test_nothing_free_is_said_and_no_day_chosen() -> None:
    shown = week_of([])
    assert shown.nothing_free and shown.chosen is None and shown.next_free is None
    assert shown.monday == date(2026, 11, 30)


NOON, HALF_PAST_TWELVE = 12 * 3600, 12 * 3600 + 1800


def week_with_hours(days: list[DayAvailability], **opening: tuple[bool, int]) -> Week:
    """The week with what the office's hours say about each day (``d2026_12_09=(open, end)``)."""
    known = {}
    for key, (is_open, morning_ends) in opening.items():
        day = date.fromisoformat(key[1:].replace("_", "-"))
        known[day] = OpeningDay(day=day, open=is_open, morning_ends=morning_ends)
    return present_week(
        days,
        first_day=FIRST,
        last_day=LAST,
        tz=BERLIN,
        week=None,
        day=None,
        wanted=None,
        link=link,
        opening=known,
    )


def test_morning_and_afternoon_follow_where_the_offices_morning_ends() -> None:
    day = free(
        (date(2026, 12, 9), [(8, 0), (12, 0), (12, 15), (14, 0)]),
        (date(2026, 12, 10), [(13, 0), (15, 0)]),
    )
    # Wednesday's morning session runs to 12:30; Thursday opens at 13:00.
    split = week_with_hours(day, d2026_12_09=(True, HALF_PAST_TWELVE), d2026_12_10=(True, NOON))
    assert [c.label for c in split.morning] == ["08:00", "12:00", "12:15"]
    assert [c.label for c in split.afternoon] == ["14:00"]
    thursday = present_week(
        day,
        first_day=FIRST,
        last_day=LAST,
        tz=BERLIN,
        week=None,
        day=date(2026, 12, 10),
        wanted=None,
        link=link,
        opening={date(2026, 12, 10): OpeningDay(date(2026, 12, 10), True, NOON)},
    )
    assert thursday.morning == [] and [c.label for c in thursday.afternoon] == ["13:00", "15:00"]


def test_closed_days_are_marked_closed_and_open_ones_not() -> None:
    shown = week_with_hours(
        free((date(2026, 12, 9), [(9, 0)])),
        d2026_12_08=(True, NOON),
        d2026_12_10=(False, NOON),
        d2026_12_12=(False, NOON),
    )
    assert [d.closed for d in shown.days] == [False, False, False, True, False, True, False]
