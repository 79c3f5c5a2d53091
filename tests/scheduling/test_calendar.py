"""Local days and opening intervals."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from amtstermin.scheduling import (
    Interval,
    OfficeCalendar,
    day_bounds,
    local_day,
    local_instant,
    monday_of,
    open_intervals,
)

from .helpers import BERLIN, at, counter, hours, span, weekdays

MONDAY = date(2026, 5, 4)
TUESDAY = date(2026, 5, 5)
WEDNESDAY = date(2026, 5, 6)
THURSDAY = date(2026, 5, 7)
FRIDAY = date(2026, 5, 8)
OFFICE = OfficeCalendar(tz=BERLIN)


def test_local_instant_of_a_summer_morning_is_two_hours_before_utc() -> None:
    instant = local_instant(MONDAY, time(8), BERLIN)
    assert datetime.fromtimestamp(instant, UTC) == datetime(2026, 5, 4, 6, tzinfo=UTC)


def test_local_instant_drops_microseconds() -> None:
    assert local_instant(MONDAY, time(8, 0, 0, 999_999), BERLIN) == at(MONDAY, "08:00")


def test_local_day_uses_the_office_zone_not_utc() -> None:
    # 23:30 UTC on Monday is already Tuesday in Berlin.
    late_monday_utc = int(datetime(2026, 5, 4, 23, 30, tzinfo=UTC).timestamp())
    assert local_day(late_monday_utc, BERLIN) == TUESDAY


def test_a_week_runs_from_monday_to_sunday() -> None:
    assert monday_of(MONDAY) == MONDAY
    assert monday_of(FRIDAY) == MONDAY
    assert monday_of(date(2026, 5, 10)) == MONDAY  # Sunday
    assert monday_of(date(2027, 1, 1)) == date(2026, 12, 28)  # across the year


def test_day_bounds_run_from_local_midnight_to_local_midnight() -> None:
    assert day_bounds(MONDAY, BERLIN) == Interval(at(MONDAY, "00:00"), at(TUESDAY, "00:00"))


def test_open_intervals_follow_the_weekly_hours_in_date_order() -> None:
    desk = counter(1, weekdays("08:00", "12:30"))
    assert open_intervals(desk, OFFICE, MONDAY, WEDNESDAY) == [
        span(MONDAY, "08:00", "12:30"),
        span(TUESDAY, "08:00", "12:30"),
        span(WEDNESDAY, "08:00", "12:30"),
    ]


def test_a_weekday_may_have_several_intervals() -> None:
    desk = counter(1, (hours(1, "14:00", "18:00"), hours(1, "08:00", "12:30")))
    assert open_intervals(desk, OFFICE, TUESDAY, TUESDAY) == [
        span(TUESDAY, "08:00", "12:30"),
        span(TUESDAY, "14:00", "18:00"),
    ]


def test_touching_and_overlapping_hours_merge() -> None:
    desk = counter(
        1, (hours(0, "08:00", "10:00"), hours(0, "10:00", "11:00"), hours(0, "10:30", "12:00"))
    )
    assert open_intervals(desk, OFFICE, MONDAY, MONDAY) == [span(MONDAY, "08:00", "12:00")]


def test_hours_that_end_before_they_start_contribute_nothing() -> None:
    desk = counter(1, (hours(0, "12:00", "08:00"),))
    assert open_intervals(desk, OFFICE, MONDAY, MONDAY) == []


def test_days_without_hours_have_no_interval() -> None:
    desk = counter(1, (hours(0, "08:00", "12:00"), hours(4, "08:00", "12:00")))
    assert open_intervals(desk, OFFICE, MONDAY, FRIDAY) == [
        span(MONDAY, "08:00", "12:00"),
        span(FRIDAY, "08:00", "12:00"),
    ]


def test_validity_ranges_switch_hours_on_the_planned_date() -> None:
    desk = counter(
        1,
        (
            hours(2, "08:00", "12:00", valid_until=WEDNESDAY),
            hours(3, "08:00", "12:00", valid_until=WEDNESDAY),
            hours(3, "07:00", "11:00", valid_from=THURSDAY),
            hours(4, "07:00", "11:00", valid_from=THURSDAY),
        ),
    )
    assert open_intervals(desk, OFFICE, MONDAY, FRIDAY) == [
        span(WEDNESDAY, "08:00", "12:00"),
        span(THURSDAY, "07:00", "11:00"),
        span(FRIDAY, "07:00", "11:00"),
    ]


def test_validity_bounds_are_inclusive() -> None:
    desk = counter(1, (hours(1, "08:00", "12:00", valid_from=TUESDAY, valid_until=TUESDAY),))
    assert open_intervals(desk, OFFICE, MONDAY, date(2026, 5, 12)) == [
        span(TUESDAY, "08:00", "12:00")
    ]


def test_closed_days_are_left_out_whole() -> None:
    office = OfficeCalendar(tz=BERLIN, closed_days=frozenset({TUESDAY, THURSDAY}))
    desk = counter(1, weekdays("08:00", "12:00"))
    assert [interval.start for interval in open_intervals(desk, office, MONDAY, FRIDAY)] == [
        at(MONDAY, "08:00"),
        at(WEDNESDAY, "08:00"),
        at(FRIDAY, "08:00"),
    ]


def test_an_office_closure_cuts_into_a_day() -> None:
    office = OfficeCalendar(tz=BERLIN, closures=(span(MONDAY, "10:00", "11:00"),))
    desk = counter(1, weekdays("08:00", "12:30"))
    assert open_intervals(desk, office, MONDAY, MONDAY) == [
        span(MONDAY, "08:00", "10:00"),
        span(MONDAY, "11:00", "12:30"),
    ]


def test_a_closure_over_midnight_cuts_both_days() -> None:
    overnight = Interval(at(MONDAY, "11:00"), at(TUESDAY, "09:00"))
    office = OfficeCalendar(tz=BERLIN, closures=(overnight,))
    desk = counter(1, weekdays("08:00", "12:30"))
    assert open_intervals(desk, office, MONDAY, TUESDAY) == [
        span(MONDAY, "08:00", "11:00"),
        span(TUESDAY, "09:00", "12:30"),
    ]


def test_absences_close_only_their_counter() -> None:
    away = counter(1, weekdays("08:00", "12:00"), absences=[span(MONDAY, "07:00", "09:30")])
    present = counter(2, weekdays("08:00", "12:00"))
    assert open_intervals(away, OFFICE, MONDAY, MONDAY) == [span(MONDAY, "09:30", "12:00")]
    assert open_intervals(present, OFFICE, MONDAY, MONDAY) == [span(MONDAY, "08:00", "12:00")]


def test_overlapping_closures_and_absences_are_subtracted_once() -> None:
    office = OfficeCalendar(
        tz=BERLIN,
        closures=(span(MONDAY, "09:00", "10:00"), span(MONDAY, "09:30", "10:30")),
    )
    desk = counter(1, weekdays("08:00", "12:00"), absences=[span(MONDAY, "09:15", "11:00")])
    assert open_intervals(desk, office, MONDAY, MONDAY) == [
        span(MONDAY, "08:00", "09:00"),
        span(MONDAY, "11:00", "12:00"),
    ]


def test_busy_time_does_not_reduce_opening_hours() -> None:
    desk = counter(1, weekdays("08:00", "12:00"), busy=[span(MONDAY, "08:00", "09:00")])
    assert open_intervals(desk, OFFICE, MONDAY, MONDAY) == [span(MONDAY, "08:00", "12:00")]


def test_an_empty_date_range_has_no_intervals() -> None:
    desk = counter(1, weekdays("08:00", "12:00"))
    assert open_intervals(desk, OFFICE, TUESDAY, MONDAY) == []
