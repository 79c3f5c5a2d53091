"""booking.localtime: instants to office-local HH:MM, and wall times to instants."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from amtstermin import scheduling
from amtstermin.booking.localtime import (
    AmbiguousWallTime,
    NonexistentWallTime,
    instant_from_wall,
    local_isoformat,
    local_times,
)

BERLIN = ZoneInfo("Europe/Berlin")
# Half-hour DST (Lord Howe), a southern-hemisphere change, a half-hour offset, no DST at all.
ZONES = ["Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata", "UTC"]
CHANGE_DAYS = [date(2027, 3, 28), date(2027, 10, 31), date(2026, 3, 29), date(2026, 10, 25)]


def wall(text: str) -> datetime:
    """A naive office-local wall time, as people type it."""
    return datetime.fromisoformat(text)


def slow_local_times(starts: list[int], tz: ZoneInfo) -> list[str]:
    return [datetime.fromtimestamp(start, tz).strftime("%H:%M") for start in starts]


@given(
    zone=st.sampled_from(ZONES),
    day=st.one_of(
        st.sampled_from(CHANGE_DAYS),
        st.dates(min_value=date(2026, 1, 1), max_value=date(2028, 12, 31)),
    ),
    minutes=st.lists(st.integers(min_value=0, max_value=25 * 60 - 1), max_size=60, unique=True),
)
@settings(max_examples=300, deadline=None)
def test_local_times_agree_with_converting_each_instant(
    zone: str, day: date, minutes: list[int]
) -> None:
    tz = ZoneInfo(zone)
    bounds = scheduling.day_bounds(day, tz)
    starts = sorted(
        bounds.start + minute * 60 for minute in minutes if bounds.start + minute * 60 < bounds.end
    )
    availability = scheduling.DayAvailability(day=day, starts=tuple(starts))
    assert local_times(availability, tz) == slow_local_times(starts, tz)


def test_local_times_across_the_spring_change_in_berlin() -> None:
    # 01:50 and 01:55 CET, then the clock jumps: 03:00 and 03:05 CEST.
    first = int(datetime(2027, 3, 28, 0, 50, tzinfo=UTC).timestamp())
    starts = tuple(first + step * 300 for step in range(4))
    day = scheduling.DayAvailability(day=date(2027, 3, 28), starts=starts)
    assert local_times(day, BERLIN) == ["01:50", "01:55", "03:00", "03:05"]


def test_an_empty_day_has_no_times() -> None:
    assert local_times(scheduling.DayAvailability(day=date(2027, 3, 28), starts=()), BERLIN) == []


def test_local_isoformat_carries_the_offset_in_force() -> None:
    winter = datetime(2026, 12, 1, 7, 0, tzinfo=UTC)
    summer = winter + timedelta(days=180)
    assert local_isoformat(winter, BERLIN) == "2026-12-01T08:00:00+01:00"
    assert local_isoformat(summer, BERLIN) == "2027-05-30T09:00:00+02:00"


def test_a_wall_time_becomes_its_one_instant() -> None:
    assert instant_from_wall(wall("2026-12-01T08:00"), BERLIN) == datetime(
        2026, 12, 1, 7, 0, tzinfo=UTC
    )
    assert instant_from_wall(wall("2027-03-28T03:00"), BERLIN) == datetime(
        2027, 3, 28, 1, 0, tzinfo=UTC
    )


def test_a_wall_time_in_the_gap_or_the_overlap_is_refused() -> None:
    with pytest.raises(NonexistentWallTime):
        instant_from_wall(wall("2027-03-28T02:30"), BERLIN)
    with pytest.raises(AmbiguousWallTime):
        instant_from_wall(wall("2027-10-31T02:30"), BERLIN)
    with pytest.raises(ValueError, match="naive"):
        instant_from_wall(datetime(2027, 10, 31, 2, 30, tzinfo=UTC), BERLIN)
