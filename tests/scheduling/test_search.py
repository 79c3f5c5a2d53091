"""Finding free starts and choosing the counter, by example."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from amtstermin.scheduling import (
    CounterInput,
    DemandLine,
    Interval,
    OfficeCalendar,
    SearchWindow,
    counter_for_start,
    find_free_starts,
)

from .helpers import BERLIN, at, counter, hours, local_text, span, weekdays

MONDAY = date(2026, 5, 4)
TUESDAY = date(2026, 5, 5)
WEDNESDAY = date(2026, 5, 6)
OFFICE = OfficeCalendar(tz=BERLIN, grid_minutes=15)
MORNINGS = weekdays("08:00", "12:00")


def demand(minutes: int, *services: int) -> list[DemandLine]:
    return [
        DemandLine(
            service_id=service, first_person_minutes=minutes, per_person_minutes=0, persons=1
        )
        for service in services or (1,)
    ]


def window(first: date = MONDAY, last: date | None = None, earliest: int = 0) -> SearchWindow:
    return SearchWindow(earliest=earliest, first_day=first, last_day=last or first)


def offers(
    counters: Sequence[CounterInput],
    wanted: list[DemandLine],
    *,
    office: OfficeCalendar = OFFICE,
    search_window: SearchWindow | None = None,
    shortest_minutes: int | None = None,
) -> list[tuple[str, int]]:
    """``(HH:MM, counter id)`` per offered start, across all days."""
    availability = find_free_starts(
        office=office,
        counters=counters,
        demand=wanted,
        window=search_window or window(),
        shortest_minutes=shortest_minutes,
    )
    return [
        (local_text(start)[:5], counter_id)
        for day in availability
        for start, counter_id in zip(day.starts, day.counter_ids, strict=True)
    ]


def times(
    counters: Sequence[CounterInput],
    wanted: list[DemandLine],
    *,
    search_window: SearchWindow | None = None,
) -> list[str]:
    return [text for text, _ in offers(counters, wanted, search_window=search_window)]


def test_offers_every_grid_start_that_ends_by_closing_time() -> None:
    desk = counter(1, weekdays("08:00", "09:00"))
    assert times([desk], demand(30)) == ["08:00", "08:15", "08:30"]


def test_an_appointment_may_end_as_a_busy_one_starts_and_start_as_it_ends() -> None:
    desk = counter(1, weekdays("08:00", "10:00"), busy=[span(MONDAY, "08:30", "09:00")])
    assert times([desk], demand(30)) == ["08:00", "09:00", "09:15", "09:30"]


def test_after_a_busy_interval_off_the_grid_the_next_grid_start_is_offered() -> None:
    desk = counter(1, weekdays("08:00", "09:30"), busy=[span(MONDAY, "08:00", "08:37")])
    assert times([desk], demand(30)) == ["08:45", "09:00"]


def test_starts_before_the_earliest_instant_are_not_offered() -> None:
    desk = counter(1, weekdays("08:00", "09:30"))
    later = window(earliest=at(MONDAY, "08:07"))
    assert times([desk], demand(30), search_window=later) == ["08:15", "08:30", "08:45", "09:00"]


def test_only_days_of_the_window_with_a_start_are_returned_in_date_order() -> None:
    desk = counter(1, weekdays("08:00", "08:30"), busy=[span(TUESDAY, "08:00", "08:30")])
    availability = find_free_starts(
        office=OFFICE,
        counters=[desk],
        demand=demand(30),
        window=window(MONDAY, date(2026, 5, 10)),
    )
    assert [day.day for day in availability] == [
        MONDAY,
        WEDNESDAY,
        date(2026, 5, 7),
        date(2026, 5, 8),
    ]
    assert availability[0].starts == (at(MONDAY, "08:00"),)
    assert availability[0].counter_ids == (1,)


def test_closed_days_and_closures_offer_nothing() -> None:
    office = OfficeCalendar(
        tz=BERLIN,
        grid_minutes=15,
        closed_days=frozenset({MONDAY}),
        closures=(span(TUESDAY, "08:00", "11:30"),),
    )
    desk = counter(1, MORNINGS)
    found = find_free_starts(
        office=office, counters=[desk], demand=demand(30), window=window(MONDAY, TUESDAY)
    )
    assert [(day.day, [local_text(start)[:5] for start in day.starts]) for day in found] == [
        (TUESDAY, ["11:30"])
    ]


def test_a_counter_must_serve_every_service_of_the_demand() -> None:
    passports_only = counter(1, MORNINGS, services=[1])
    both = counter(2, weekdays("10:00", "11:00"), services=[1, 2])
    assert offers([passports_only, both], demand(30, 1, 2)) == [("10:00", 2)]


def test_nothing_is_offered_when_no_counter_serves_the_demand() -> None:
    assert (
        find_free_starts(
            office=OFFICE, counters=[counter(1, MORNINGS)], demand=demand(30, 7), window=window()
        )
        == []
    )


def test_an_appointment_does_not_span_a_break_between_opening_intervals() -> None:
    desk = counter(1, (hours(0, "08:00", "09:00"), hours(0, "09:15", "10:00")))
    assert times([desk], demand(30)) == ["08:00", "08:15", "08:30", "09:15", "09:30"]


def test_touching_opening_intervals_count_as_one() -> None:
    desk = counter(1, (hours(0, "08:00", "09:00"), hours(0, "09:00", "10:00")))
    assert "08:45" in times([desk], demand(30))


def test_an_appointment_is_not_split_between_two_counters() -> None:
    early = counter(1, weekdays("08:00", "09:00"))
    late = counter(2, weekdays("09:00", "10:00"))
    assert times([early, late], demand(60)) == ["08:00", "09:00"]


def test_the_counter_with_a_fitting_hole_gets_the_appointment_so_the_day_stays_packed() -> None:
    holey = counter(
        1, MORNINGS, busy=[span(MONDAY, "08:00", "09:00"), span(MONDAY, "09:30", "12:00")]
    )
    free_all_morning = counter(2, MORNINGS)
    assert dict(offers([free_all_morning, holey], demand(30)))["09:00"] == 1


def test_a_start_next_to_a_busy_appointment_goes_to_the_counter_it_leaves_no_gap_at() -> None:
    # Counter 1 is busy until 09:00, counter 2 all morning free: 09:00 packs against 1.
    busy_until_nine = counter(1, MORNINGS, busy=[span(MONDAY, "08:00", "09:00")])
    free_all_morning = counter(2, MORNINGS)
    assert dict(offers([busy_until_nine, free_all_morning], demand(30)))["09:00"] == 1
    assert dict(offers([busy_until_nine, free_all_morning], demand(30)))["08:00"] == 2


def test_a_counter_left_with_a_gap_too_short_to_book_loses_to_a_usable_gap() -> None:
    # At 09:00 counter 1 would keep 10 min (< 15 min shortest); counter 2 keeps 60 usable min,
    # although its total leftover is larger.
    tight = counter(1, weekdays("09:00", "09:40"))
    roomy = counter(2, weekdays("09:00", "10:30"))
    chosen = dict(offers([tight, roomy], demand(30), shortest_minutes=15))
    assert chosen["09:00"] == 2
    # With a 10-min shortest booking the 10-min gap is usable and the tighter piece wins.
    assert dict(offers([tight, roomy], demand(30), shortest_minutes=10))["09:00"] == 1


def test_a_start_leaving_a_sliver_before_it_goes_to_the_counter_where_it_leaves_none() -> None:
    office = OfficeCalendar(tz=BERLIN, grid_minutes=5)
    # At 09:05 counter 1 would keep 2 min after its 09:03 appointment; counter 2 keeps nothing
    # before 09:05, although it has more time left over after the appointment.
    sliver = counter(1, MORNINGS, busy=[span(MONDAY, "08:00", "09:03")])
    flush = counter(2, weekdays("08:00", "12:30"), busy=[span(MONDAY, "08:00", "09:05")])
    chosen = dict(offers([sliver, flush], demand(30), office=office, shortest_minutes=15))
    assert chosen["09:05"] == 2


def test_a_start_leaving_a_sliver_after_it_goes_to_the_counter_where_it_leaves_none() -> None:
    office = OfficeCalendar(tz=BERLIN, grid_minutes=5)
    # At 11:25 counter 1 would keep 2 min before its 11:57 appointment; counter 2 keeps nothing
    # after the appointment, although it has more time left over before it.
    sliver = counter(1, MORNINGS, busy=[span(MONDAY, "11:57", "12:00")])
    flush = counter(2, weekdays("07:00", "12:00"), busy=[span(MONDAY, "11:55", "12:00")])
    chosen = dict(offers([sliver, flush], demand(30), office=office, shortest_minutes=15))
    assert chosen["11:25"] == 2


def test_the_shortest_bookable_duration_defaults_to_the_grid() -> None:
    office = OfficeCalendar(tz=BERLIN, grid_minutes=5)
    # At 09:00 counter 1 keeps 3 min (unusable on a 5-min grid), counter 2 keeps 10 min.
    tight = counter(1, weekdays("09:00", "09:33"))
    roomy = counter(2, weekdays("09:00", "09:40"))
    assert dict(offers([tight, roomy], demand(30), office=office))["09:00"] == 2


def test_equal_placements_go_to_the_lower_counter_id() -> None:
    chosen = offers([counter(8, MORNINGS), counter(3, MORNINGS)], demand(30))
    assert {counter_id for _, counter_id in chosen} == {3}


def test_counter_for_start_names_the_counter_of_the_search() -> None:
    holey = counter(
        1, MORNINGS, busy=[span(MONDAY, "08:00", "09:00"), span(MONDAY, "09:30", "12:00")]
    )
    free_all_morning = counter(2, MORNINGS)

    def assigned(start: int) -> int | None:
        return counter_for_start(
            office=OFFICE,
            counters=[free_all_morning, holey],
            demand=demand(30),
            window=window(),
            start=start,
        )

    assert assigned(at(MONDAY, "09:00")) == 1
    assert assigned(at(MONDAY, "10:00")) == 2


def test_counter_for_start_is_none_for_starts_the_search_does_not_offer() -> None:
    office = OfficeCalendar(tz=BERLIN, grid_minutes=15, closed_days=frozenset({TUESDAY}))
    desk = counter(1, MORNINGS, busy=[span(MONDAY, "10:00", "11:00")])
    week = window(MONDAY, WEDNESDAY, earliest=at(MONDAY, "09:00"))

    def assigned(start: int, search_window: SearchWindow = week) -> int | None:
        return counter_for_start(
            office=office, counters=[desk], demand=demand(30), window=search_window, start=start
        )

    assert assigned(at(MONDAY, "09:00")) == 1
    assert assigned(at(MONDAY, "08:30")) is None  # before the earliest instant
    assert assigned(at(MONDAY, "09:05")) is None  # off the grid
    assert assigned(at(MONDAY, "09:45")) is None  # runs into a busy interval
    assert assigned(at(MONDAY, "11:45")) is None  # runs past closing time
    assert assigned(at(TUESDAY, "09:00")) is None  # closed day
    assert assigned(at(date(2026, 5, 7), "09:00")) is None  # after the window
    assert assigned(at(MONDAY, "09:00") + 1) is None  # a second off
    assert assigned(at(WEDNESDAY, "09:00"), window(WEDNESDAY)) == 1


def test_an_empty_busy_interval_blocks_nothing() -> None:
    nine = at(MONDAY, "09:00")
    desk = counter(1, weekdays("08:30", "09:30"), busy=[Interval(nine, nine)])
    assert times([desk], demand(30)) == ["08:30", "08:45", "09:00"]


def test_an_empty_window_offers_nothing() -> None:
    found = find_free_starts(
        office=OFFICE,
        counters=[counter(1, MORNINGS)],
        demand=demand(30),
        window=window(TUESDAY, MONDAY),
    )
    assert found == []


def test_busy_intervals_outside_the_window_are_ignored() -> None:
    long_ago = Interval(at(date(2025, 5, 5), "08:00"), at(date(2025, 5, 5), "12:00"))
    desk = counter(1, weekdays("08:00", "09:00"), busy=[long_ago])
    assert times([desk], demand(30)) == ["08:00", "08:15", "08:30"]
