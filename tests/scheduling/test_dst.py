"""Daylight saving time: wall times, day lengths and grid alignment on transition days."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from amtstermin.scheduling import (
    DemandLine,
    Interval,
    OfficeCalendar,
    SearchWindow,
    day_bounds,
    find_free_starts,
    local_instant,
    open_intervals,
)

from .helpers import BERLIN, counter, hours, local_text, wall

SPRING_FORWARD = date(2026, 3, 29)  # Sunday, 02:00 CET -> 03:00 CEST
FALL_BACK = date(2026, 10, 25)  # Sunday, 03:00 CEST -> 02:00 CET
EVERY_DAY = range(7)
HOUR = 3600


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> int:
    return int(datetime(year, month, day, hour, minute, tzinfo=UTC).timestamp())


def local_starts(
    day: date,
    opens: str,
    closes: str,
    *,
    grid_minutes: int = 30,
    minutes: int = 30,
    tz: ZoneInfo = BERLIN,
) -> tuple[int, ...]:
    office = OfficeCalendar(tz=tz, grid_minutes=grid_minutes)
    desk = counter(1, tuple(hours(weekday, opens, closes) for weekday in EVERY_DAY))
    found = find_free_starts(
        office=office,
        counters=[desk],
        demand=[DemandLine(1, minutes, 0, 1)],
        window=SearchWindow(earliest=day_bounds(day, tz).start, first_day=day, last_day=day),
    )
    return found[0].starts if found else ()


def test_spring_forward_day_lasts_23_hours_and_fall_back_day_25() -> None:
    assert day_bounds(SPRING_FORWARD, BERLIN) == Interval(
        utc(2026, 3, 28, 23), utc(2026, 3, 29, 22)
    )
    assert day_bounds(FALL_BACK, BERLIN) == Interval(utc(2026, 10, 24, 22), utc(2026, 10, 25, 23))


def test_a_sunday_office_opens_at_0800_local_on_both_transition_days() -> None:
    spring = local_starts(SPRING_FORWARD, "08:00", "12:00")
    autumn = local_starts(FALL_BACK, "08:00", "12:00")
    assert spring[0] == utc(2026, 3, 29, 6)  # 08:00 CEST
    assert autumn[0] == utc(2026, 10, 25, 7)  # 08:00 CET
    expected = ["08:00", "08:30", "09:00", "09:30", "10:00", "10:30", "11:00", "11:30"]
    assert [local_text(start)[:5] for start in spring] == expected
    assert [local_text(start)[:5] for start in autumn] == expected


def test_the_grid_follows_local_wall_time_not_utc() -> None:
    # 08:00 is not on a 25-min grid (480 % 25 = 5); 08:20 is, in summer and in winter alike,
    # although the UTC minutes differ by an hour.
    for day in (date(2026, 1, 12), SPRING_FORWARD, date(2026, 7, 13), FALL_BACK):
        starts = local_starts(day, "08:00", "10:00", grid_minutes=25, minutes=25)
        assert [local_text(start)[:5] for start in starts] == ["08:20", "08:45", "09:10", "09:35"]


def test_a_wall_time_in_the_spring_gap_means_the_first_instant_after_the_gap() -> None:
    after_gap = utc(2026, 3, 29, 1)  # 03:00 CEST
    assert local_instant(SPRING_FORWARD, time(2, 0), BERLIN) == after_gap
    assert local_instant(SPRING_FORWARD, time(2, 30), BERLIN) == after_gap
    assert local_instant(SPRING_FORWARD, time(3, 0), BERLIN) == after_gap
    assert local_instant(SPRING_FORWARD, time(1, 59), BERLIN) == after_gap - 60


def test_a_wall_time_in_the_autumn_overlap_means_its_first_occurrence() -> None:
    assert local_instant(FALL_BACK, time(2, 30), BERLIN) == utc(2026, 10, 25, 0, 30)  # CEST
    assert local_instant(FALL_BACK, time(3, 0), BERLIN) == utc(2026, 10, 25, 2)  # CET


def test_hours_across_the_spring_gap_are_one_hour_shorter() -> None:
    desk = counter(1, (hours(6, "01:00", "04:00"),))
    office = OfficeCalendar(tz=BERLIN, grid_minutes=30)
    assert open_intervals(desk, office, SPRING_FORWARD, SPRING_FORWARD) == [
        Interval(utc(2026, 3, 29, 0), utc(2026, 3, 29, 2))
    ]
    starts = local_starts(SPRING_FORWARD, "01:00", "04:00")
    assert [local_text(start) for start in starts] == [
        "01:00 CET",
        "01:30 CET",
        "03:00 CEST",
        "03:30 CEST",
    ]


def test_hours_inside_the_spring_gap_vanish() -> None:
    desk = counter(1, (hours(6, "02:00", "02:45"),))
    office = OfficeCalendar(tz=BERLIN)
    assert open_intervals(desk, office, SPRING_FORWARD, SPRING_FORWARD) == []


def test_hours_across_the_autumn_overlap_offer_the_repeated_hour_twice() -> None:
    starts = local_starts(FALL_BACK, "01:00", "04:00")
    assert [local_text(start) for start in starts] == [
        "01:00 CEST",
        "01:30 CEST",
        "02:00 CEST",
        "02:30 CEST",
        "02:00 CET",
        "02:30 CET",
        "03:00 CET",
        "03:30 CET",
    ]


def test_an_appointment_may_run_through_the_fall_back_transition() -> None:
    starts = local_starts(FALL_BACK, "02:00", "03:00", minutes=60)
    # 02:00 CEST to 03:00 CET is two real hours; a one-hour appointment fits at every step.
    assert [local_text(start) for start in starts] == [
        "02:00 CEST",
        "02:30 CEST",
        "02:00 CET",
    ]


def test_a_midnight_inside_a_gap_starts_the_day_when_the_gap_ends() -> None:
    havana = ZoneInfo("America/Havana")  # 2026-03-08: 00:00 CST -> 01:00 CDT
    day = date(2026, 3, 8)
    assert day_bounds(day, havana) == Interval(utc(2026, 3, 8, 5), utc(2026, 3, 9, 4))
    starts = local_starts(day, "00:00", "02:00", tz=havana)
    assert [local_text(start, havana) for start in starts] == ["01:00 CDT", "01:30 CDT"]


def test_a_gap_running_into_the_next_day_ends_the_day_early() -> None:
    nuuk = ZoneInfo("America/Nuuk")  # 2026-03-28: 23:00 -02 -> 00:00 -01 on the 29th
    day = date(2026, 3, 28)
    assert day_bounds(day, nuuk) == Interval(utc(2026, 3, 28, 2), utc(2026, 3, 29, 1))
    desk = counter(1, (hours(5, "22:00", "23:30"),))
    office = OfficeCalendar(tz=nuuk)
    assert open_intervals(desk, office, day, day) == [
        Interval(utc(2026, 3, 29, 0), utc(2026, 3, 29, 1))
    ]


def test_a_midnight_deep_inside_a_gap_starts_the_day_when_the_gap_ends() -> None:
    toronto = ZoneInfo("America/Toronto")  # 1919-03-30: 23:30 EST -> 00:30 EDT on the 31st
    saturday, sunday = date(1919, 3, 30), date(1919, 3, 31)
    assert day_bounds(sunday, toronto) == Interval(utc(1919, 3, 31, 4, 30), utc(1919, 4, 1, 4))
    desk = counter(1, (hours(6, "23:00", "23:59"), hours(0, "00:00", "02:00")))
    office = OfficeCalendar(tz=toronto)
    # Saturday's hours end when the gap begins; Sunday's begin when it ends: one interval.
    assert open_intervals(desk, office, saturday, sunday) == [
        Interval(utc(1919, 3, 31, 4), utc(1919, 3, 31, 6))
    ]
    starts = local_starts(sunday, "00:00", "02:00", tz=toronto)
    assert [local_text(start, toronto) for start in starts] == [
        "00:30 EDT",
        "01:00 EDT",
        "01:30 EDT",
    ]


dates_2026_2027 = st.dates(date(2026, 1, 1), date(2027, 12, 31))
# Transition days are rare among random dates: draw them on purpose as well.
transition_days = st.sampled_from(
    [SPRING_FORWARD, FALL_BACK, date(2027, 3, 28), date(2027, 10, 31)]
)
any_day = dates_2026_2027 | transition_days
wall_times = st.times().map(lambda value: value.replace(microsecond=0, fold=0))


@settings(max_examples=300, deadline=None)
@given(any_day, wall_times)
def test_local_instant_is_the_first_instant_the_clock_shows_that_time(
    day: date, wall_time: time
) -> None:
    instant = local_instant(day, wall_time, BERLIN)
    wanted = datetime.combine(day, wall_time)

    def shown(at: int) -> datetime:
        return datetime.fromtimestamp(at, BERLIN).replace(tzinfo=None)

    assert shown(instant) >= wanted
    assert shown(instant - 1) < wanted
    exists = shown(int(datetime.combine(day, wall_time, tzinfo=BERLIN).timestamp())) == wanted
    if exists:
        assert shown(instant) == wanted
        # No earlier instant shows it: the fold=0 reading is the first occurrence.
        assert instant == int(datetime.combine(day, wall_time, tzinfo=BERLIN).timestamp())
    else:
        assert BERLIN.utcoffset(shown(instant - 1)) != BERLIN.utcoffset(shown(instant))


@settings(max_examples=300, deadline=None)
@given(any_day)
def test_day_bounds_span_midnight_to_midnight(day: date) -> None:
    bounds = day_bounds(day, BERLIN)
    assert bounds.start == int(datetime.combine(day, time(0), tzinfo=BERLIN).timestamp())
    next_day = day + timedelta(days=1)
    assert bounds.end == int(datetime.combine(next_day, time(0), tzinfo=BERLIN).timestamp())
    lengths = {SPRING_FORWARD: 23, date(2027, 3, 28): 23, FALL_BACK: 25, date(2027, 10, 31): 25}
    assert bounds.end - bounds.start == lengths.get(day, 24) * HOUR


@settings(max_examples=300, deadline=None)
@given(any_day, wall_times, wall_times)
def test_opening_hours_on_any_day_map_their_ends_like_local_instant(
    day: date, opens: time, closes: time
) -> None:
    desk = counter(1, (hours(day.weekday(), opens.isoformat(), closes.isoformat()),))
    start = local_instant(day, opens, BERLIN)
    end = local_instant(day, closes, BERLIN)
    expected = [Interval(start, end)] if end > start else []
    assert open_intervals(desk, OfficeCalendar(tz=BERLIN), day, day) == expected


@settings(max_examples=200, deadline=None)
@given(any_day, st.sampled_from([5, 10, 15, 20, 30, 45]))
def test_an_office_open_0800_to_1200_offers_the_same_local_times_every_day(
    day: date, grid_minutes: int
) -> None:
    starts = local_starts(day, "08:00", "12:00", grid_minutes=grid_minutes, minutes=grid_minutes)
    on_grid = [minute for minute in range(8 * 60, 12 * 60) if minute % grid_minutes == 0]
    expected = [f"{minute // 60:02d}:{minute % 60:02d}" for minute in on_grid]
    assert [local_text(start)[:5] for start in starts] == expected
    assert starts[0] == local_instant(day, wall(expected[0]), BERLIN)
