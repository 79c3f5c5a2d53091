"""Days as citizens read them: closed or open, and where the morning ends (issue 16)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from amtstermin.scheduling import OfficeCalendar, opening_days
from amtstermin.scheduling.opening import hours_on, morning_end

from .helpers import BERLIN, counter, hours, span, weekdays

MONDAY = date(2026, 5, 4)
SUNDAY = MONDAY + timedelta(days=6)
OFFICE = OfficeCalendar(tz=BERLIN)


def _clock(text: str) -> int:
    hour, minute = text.split(":")
    return int(hour) * 3600 + int(minute) * 60


def _morning_end(*blocks: tuple[str, str]) -> str:
    seconds = morning_end([(_clock(a), _clock(b)) for a, b in blocks])
    return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}"


@pytest.mark.parametrize(
    ("blocks", "ends"),
    [
        # A split day: the first block is the morning, even past noon.
        ((("08:00", "12:30"), ("14:00", "18:00")), "12:30"),
        # A morning session alone keeps its 12:00 and 12:15 in the morning.
        ((("08:00", "12:30"),), "12:30"),
        ((("08:00", "13:00"),), "13:00"),
        ((("11:00", "12:45"), ("13:00", "17:00")), "12:45"),
        # Open without a break: noon divides the day; 12:00 is afternoon.
        ((("08:00", "18:00"),), "12:00"),
        ((("08:00", "13:05"),), "12:00"),
        # A block ending at noon: the next one is the afternoon.
        ((("08:00", "12:00"), ("12:30", "16:00")), "12:00"),
        # Opening at or after noon: no morning at all.
        ((("13:00", "18:00"),), "12:00"),
        ((("12:00", "13:00"),), "12:00"),
        ((), "12:00"),
    ],
)
def test_the_morning_ends_where_the_offices_hours_say(
    blocks: tuple[tuple[str, str], ...], ends: str
) -> None:
    assert _morning_end(*blocks) == ends


def test_the_offices_hours_merge_every_counters_hours_of_the_day() -> None:
    counters = [
        counter(1, weekdays("08:00", "12:30")),
        counter(2, (hours(0, "12:00", "13:00"), hours(0, "14:00", "16:00"))),
    ]
    assert hours_on(counters, MONDAY) == [
        (_clock("08:00"), _clock("13:00")),
        (_clock("14:00"), _clock("16:00")),
    ]


def test_hours_valid_only_later_do_not_count_today() -> None:
    # From next week the office stays open over lunch: then noon divides the day.
    later = hours(0, "12:30", "18:00", valid_from=MONDAY + timedelta(days=7))
    counters = [counter(1, (hours(0, "08:00", "12:30"), later))]
    days = opening_days(counters, OFFICE, MONDAY, MONDAY + timedelta(days=7))
    assert days[MONDAY].morning_ends == _clock("12:30")
    assert days[MONDAY + timedelta(days=7)].morning_ends == _clock("12:00")


def test_days_without_hours_holidays_and_whole_closures_are_closed() -> None:
    counters = [counter(1, weekdays("08:00", "12:00", days=range(4)))]  # no Friday hours
    tuesday, wednesday = MONDAY + timedelta(days=1), MONDAY + timedelta(days=2)
    office = OfficeCalendar(
        tz=BERLIN,
        closed_days=frozenset({tuesday}),  # a public holiday
        closures=(span(wednesday, "07:00", "13:00"),),  # closed over all of its hours
    )
    days = opening_days(counters, office, MONDAY, SUNDAY)
    assert [days[MONDAY + timedelta(days=n)].open for n in range(7)] == [
        True,  # Monday
        False,  # holiday
        False,  # closure
        True,  # Thursday
        False,  # no hours on Fridays
        False,
        False,  # the weekend
    ]


def test_a_closure_of_part_of_the_day_or_an_absence_leaves_the_day_open() -> None:
    absent = span(MONDAY, "00:00", "23:59")
    counters = [
        counter(1, weekdays("08:00", "12:00"), absences=[absent]),
        counter(2, weekdays("08:00", "12:00"), absences=[absent]),
    ]
    office = OfficeCalendar(tz=BERLIN, closures=(span(MONDAY, "08:00", "10:00"),))
    assert opening_days(counters, office, MONDAY, MONDAY)[MONDAY].open
