"""A published release time: each working day at 07:30 the day six weeks ahead becomes
bookable, to the second; "bookable from" starts the horizon."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from amtstermin.booking import release, selectors, services
from amtstermin.booking.demand import Demand, resolve_demand
from amtstermin.booking.errors import StartNotOffered
from amtstermin.booking.models import Office
from amtstermin.booking.services import CitizenDetails
from tests.factories import small_office

BERLIN = ZoneInfo("Europe/Berlin")
RELEASED_DAY = date(2027, 1, 13)  # a Wednesday, 42 days after Wednesday 2 December 2026


def berlin(day: date, hour: int, minute: int = 0, second: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute, second), tzinfo=BERLIN)


@pytest.fixture
def demand(db: None) -> Demand:
    office, svc, _counters = small_office()
    office.release_time = time(7, 30)
    office.save()
    return resolve_demand(office=office, pairs=[(svc["id_card"].pk, 1)])


def times_on(demand: Demand, day: date, now: datetime) -> list[int]:
    days = selectors.availability(demand, first_day=day, last_day=day, now=now)
    return [start for found in days for start in found.starts]


def test_the_day_six_weeks_ahead_opens_at_the_release_second(demand: Demand) -> None:
    just_before = berlin(date(2026, 12, 2), 7, 29, 59)
    at_release = berlin(date(2026, 12, 2), 7, 30)
    window = selectors.booking_window(demand.office, now=just_before)
    assert window.last_day == RELEASED_DAY - timedelta(days=1)
    assert times_on(demand, RELEASED_DAY, just_before) == []
    assert selectors.booking_window(demand.office, now=at_release).last_day == RELEASED_DAY
    assert times_on(demand, RELEASED_DAY, at_release)[0] == berlin(RELEASED_DAY, 8).timestamp()

    citizen = CitizenDetails(name="Erika Mustermann", email="erika@example.org")
    with pytest.raises(StartNotOffered):
        services.appointment_book(
            demand=demand, start=berlin(RELEASED_DAY, 8), citizen=citizen, now=just_before
        )
    booked, _token = services.appointment_book(
        demand=demand, start=berlin(RELEASED_DAY, 8), citizen=citizen, now=at_release
    )
    assert booked.start == berlin(RELEASED_DAY, 8)


@pytest.mark.parametrize(
    ("now", "released_on"),
    [
        (berlin(date(2026, 12, 5), 12), date(2026, 12, 4)),  # Saturday: Friday's release holds
        (berlin(date(2026, 12, 7), 7, 29), date(2026, 12, 4)),  # Monday before 07:30
        (berlin(date(2026, 12, 7), 7, 30), date(2026, 12, 7)),  # Monday from 07:30
        (berlin(date(2026, 12, 25), 9), date(2026, 12, 24)),  # Christmas is no working day
    ],
)
def test_no_release_on_weekends_and_public_holidays(
    demand: Demand, now: datetime, released_on: date
) -> None:
    assert release.last_bookable_day(demand.office, now) == released_on + timedelta(days=42)


def test_the_next_release_is_the_next_working_morning(demand: Demand) -> None:
    upcoming = release.next_release(demand.office, berlin(date(2026, 12, 4), 8))  # Friday
    assert upcoming is not None
    assert upcoming.moment == berlin(date(2026, 12, 7), 7, 30)
    assert upcoming.up_to == date(2026, 12, 7) + timedelta(days=42)


def test_without_a_release_time_the_window_slides_at_midnight(db: None) -> None:
    office, _svc, _counters = small_office()
    assert release.next_release(office, berlin(date(2026, 12, 5), 0, 0, 1)) is None
    assert release.last_bookable_day(office, berlin(date(2026, 12, 5), 0, 0, 1)) == date(
        2027, 1, 16
    )


def test_bookable_from_starts_the_horizon(db: None) -> None:
    office, _svc, _counters = small_office()
    Office.objects.filter(pk=office.pk).update(bookable_from=date(2026, 12, 14), horizon_days=14)
    office.refresh_from_db()
    window = selectors.booking_window(office, now=berlin(date(2026, 11, 30), 10))
    assert (window.first_day, window.last_day) == (date(2026, 12, 14), date(2026, 12, 27))
    # Once the first day has come, the window slides as before.
    later = selectors.booking_window(office, now=berlin(date(2026, 12, 20), 10))
    assert later.last_day == date(2027, 1, 3)


def test_the_pages_say_when_the_next_times_are_released(demand: Demand) -> None:
    client = Client(headers={"Accept-Language": "en"})
    with time_machine.travel(berlin(date(2026, 12, 4), 8), tick=False):
        page = client.get(f"/o/{demand.office.pk}/").content.decode()
        times = client.get(
            f"/o/{demand.office.pk}/time/", {"services": demand.key()}
        ).content.decode()
    for html in (page, times):
        assert 'id="next-release"' in html
        assert "every working day at 07:30" in html
        assert "18 January 2027" in html  # Monday 7 December + 42 days
