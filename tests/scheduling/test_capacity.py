"""Staff-only capacity (reserved time), by example: ranges and shares of the day."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from amtstermin.scheduling import (
    CounterInput,
    OfficeCalendar,
    ReservedTime,
    SearchWindow,
    counter_for_start,
    find_free_starts,
)

from .helpers import BERLIN, at, counter, hours, local_text, span, wall
from .test_search import MONDAY, MORNINGS, OFFICE, demand, offers, window

WEDNESDAY = date(2026, 5, 6)


def kept_back(
    opens: str, closes: str, weekday: int = 0, valid_from: date | None = None
) -> ReservedTime:
    return ReservedTime(weekday, start=wall(opens), end=wall(closes), valid_from=valid_from)


def share(percent: int, weekday: int = 0) -> ReservedTime:
    return ReservedTime(weekday, share_percent=percent)


def starts(counters: list[CounterInput], minutes: int, day: date = MONDAY) -> list[str]:
    return [time for time, _counter in offers(counters, demand(minutes), search_window=window(day))]


def test_no_start_overlaps_a_reserved_range() -> None:
    online = replace(counter(1, MORNINGS), reserved=(kept_back("09:00", "10:00"),))
    found = starts([online], 30)
    assert "08:30" in found
    assert not {"08:45", "09:00", "09:30", "09:45"} & set(found)
    assert found[found.index("08:30") + 1] == "10:00"


def test_without_the_reserved_time_staff_see_the_range() -> None:
    staff = counter(1, MORNINGS)
    assert {"09:00", "09:15", "09:30"} <= set(starts([staff], 30))


def test_a_range_applies_on_its_weekday_within_its_validity() -> None:
    ranges = (kept_back("08:00", "12:00", weekday=2, valid_from=date(2026, 5, 13)),)
    online = replace(counter(1, MORNINGS), reserved=ranges)
    assert starts([online], 30, WEDNESDAY)  # valid from next week on
    assert starts([online], 30, date(2026, 5, 13)) == []
    assert starts([online], 30, date(2026, 5, 12))  # a Tuesday


def test_another_counter_takes_the_start_a_reserved_range_keeps_back() -> None:
    first = replace(counter(1, MORNINGS), reserved=(kept_back("08:00", "09:00"),))
    second = counter(2, MORNINGS)
    found = dict(offers([first, second], demand(30)))
    assert found["08:00"] == 2


def test_the_share_leaves_online_the_rest_of_the_open_time() -> None:
    # Open 08:00-12:00 (240 minutes); 25 % kept back: online may fill 180 minutes.
    spent = span(MONDAY, "08:00", "10:30")  # 150 minutes booked online
    online = replace(counter(1, MORNINGS, busy=[spent]), reserved=(share(25),), spent=(spent,))
    assert starts([online], 30)[0] == "10:30"
    assert starts([online], 35) == []


def test_bookings_by_staff_do_not_spend_the_share() -> None:
    by_staff = span(MONDAY, "08:00", "10:30")  # busy, but not an online booking
    online = replace(counter(1, MORNINGS, busy=[by_staff]), reserved=(share(25),))
    assert starts([online], 35)[0] == "10:30"


def test_the_share_is_of_the_time_left_by_absences_and_closures() -> None:
    absence = span(MONDAY, "08:00", "10:00")  # 120 minutes open; half kept back: 60 online
    online = replace(counter(1, MORNINGS, absences=[absence]), reserved=(share(50),))
    assert starts([online], 60)
    assert starts([online], 65) == []
    closure = OfficeCalendar(tz=BERLIN, grid_minutes=15, closures=(absence,))
    plain = replace(counter(1, MORNINGS), reserved=(share(50),))
    assert offers([plain], demand(65), office=closure) == []


def test_of_several_shares_the_largest_counts() -> None:
    online = replace(counter(1, MORNINGS), reserved=(share(10), share(75)))  # 60 minutes left
    assert starts([online], 60)
    assert starts([online], 75) == []


def test_a_whole_day_share_offers_nothing_online() -> None:
    online = replace(counter(1, MORNINGS), reserved=(share(100),))
    assert starts([online], 15) == []
    assert starts([online], 15, date(2026, 5, 5))  # Tuesday keeps nothing back


def test_the_booking_check_agrees_with_the_search_on_the_budget() -> None:
    spent = span(MONDAY, "08:00", "10:30")
    online = replace(counter(1, MORNINGS, busy=[spent]), reserved=(share(25),), spent=(spent,))

    def counter_at_eleven(minutes: int) -> int | None:
        return counter_for_start(
            office=OFFICE,
            counters=[online],
            demand=demand(minutes),
            window=window(),
            start=at(MONDAY, "11:00"),
        )

    assert counter_at_eleven(30) == 1
    assert counter_at_eleven(45) is None


def test_a_range_on_the_fall_back_day_keeps_both_repeated_hours() -> None:
    sunday = date(2026, 10, 25)  # 03:00 CEST becomes 02:00 CET
    night = (hours(6, "01:00", "05:00"),)
    online = replace(counter(1, night), reserved=(kept_back("02:00", "03:00", weekday=6),))
    found = find_local(online, sunday)
    assert "01:45 CEST" in found
    assert not [text for text in found if text.startswith("02:")]
    assert "03:00 CET" in found


def find_local(online: CounterInput, day: date) -> list[str]:
    found = find_free_starts(
        office=OfficeCalendar(tz=BERLIN, grid_minutes=15),
        counters=[online],
        demand=demand(15),
        window=SearchWindow(earliest=0, first_day=day, last_day=day),
    )
    return [local_text(start) for available in found for start in available.starts]


@pytest.mark.parametrize(
    ("start", "end", "share_percent"),
    [
        (None, None, None),
        ("08:00", "09:00", 20),
        ("08:00", None, None),
        ("09:00", "08:00", None),
        (None, None, 0),
        (None, None, 101),
    ],
    ids=["neither", "both", "open-ended", "inside-out", "no-share", "over-100"],
)
def test_reserved_time_is_either_a_range_or_a_share(
    start: str | None, end: str | None, share_percent: int | None
) -> None:
    with pytest.raises(ValueError):
        ReservedTime(
            0,
            start=wall(start) if start else None,
            end=wall(end) if end else None,
            share_percent=share_percent,
        )
