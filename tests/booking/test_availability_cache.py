"""Cached availability is always the answer the database would give."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest
from pytest_django import DjangoAssertNumQueries

from amtstermin.booking import selectors, services
from amtstermin.booking.demand import Demand, resolve_demand
from amtstermin.booking.models import Absence, Closure, Counter, Office, OpeningHours
from tests.factories import A_MONDAY, small_office

OneCounterDemand = tuple[Office, Counter, Demand]

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
EIGHT = datetime(2026, 12, 7, 7, 0, tzinfo=UTC)  # Monday 08:00 in Berlin


def starts(demand: Demand, now: datetime = NOW) -> list[int]:
    days = selectors.availability(demand, first_day=A_MONDAY, last_day=A_MONDAY, now=now)
    return [s for day in days for s in day.starts]


@pytest.fixture
def one_counter_demand(db: None) -> OneCounterDemand:
    office, svc, counters = small_office()
    counters[1].delete()
    return office, counters[0], resolve_demand(office=office, pairs=[(svc["id_card"].pk, 1)])


def test_a_repeated_question_is_answered_from_the_cache(
    one_counter_demand: OneCounterDemand, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    _office, _counter, demand = one_counter_demand
    first = starts(demand)
    with django_assert_max_num_queries(2):  # the version, nothing else
        assert starts(demand) == first


@pytest.mark.parametrize("change", ["closure", "absence", "hours", "counter_off", "service_slower"])
def test_every_configuration_change_shows_at_once(
    one_counter_demand: OneCounterDemand, change: str
) -> None:
    office, counter, demand = one_counter_demand
    before = starts(demand)
    assert int(EIGHT.timestamp()) in before
    if change == "closure":
        Closure.objects.create(office=office, start=EIGHT, end=EIGHT + timedelta(hours=1))
    elif change == "absence":
        Absence.objects.create(counter=counter, start=EIGHT, end=EIGHT + timedelta(hours=1))
    elif change == "hours":
        OpeningHours.objects.filter(counter=counter, weekday=0).update(start=time(9, 0))
        # A queryset update sends no signal; the configuration pages save instances.
        hours = OpeningHours.objects.filter(counter=counter, weekday=0).first()
        assert hours is not None
        hours.save()
    elif change == "counter_off":
        counter.services.clear()
    elif change == "service_slower":
        service = demand.items[0].service
        service.first_person_minutes = 300
        service.save()
        demand = resolve_demand(office=office, pairs=[(service.pk, 1)])
    assert starts(demand) != before
    assert int(EIGHT.timestamp()) not in starts(demand)


def test_bookings_cancellations_and_lapsed_holds_show_at_once(
    one_counter_demand: OneCounterDemand,
) -> None:
    _office, _counter, demand = one_counter_demand
    eight = int(EIGHT.timestamp())
    assert eight in starts(demand)
    hold, _token = services.appointment_hold(demand=demand, start=EIGHT, now=NOW)
    assert eight not in starts(demand)
    # No write happens when the hold lapses; the cached answer must still expire with it.
    assert hold.held_until is not None
    assert eight not in starts(demand, now=hold.held_until - timedelta(seconds=1))
    assert eight in starts(demand, now=hold.held_until)
    booked, _token = services.appointment_book(
        demand=demand,
        start=EIGHT,
        citizen=services.CitizenDetails("A", "a@example.org"),
        now=NOW + timedelta(minutes=20),
    )
    assert eight not in starts(demand, now=NOW + timedelta(minutes=20))
    services.appointment_cancel(appointment=booked, now=NOW + timedelta(minutes=21))
    assert eight in starts(demand, now=NOW + timedelta(minutes=21))


def test_the_lead_time_moves_with_the_clock(one_counter_demand: OneCounterDemand) -> None:
    _office, _counter, demand = one_counter_demand
    monday_six = datetime(2026, 12, 7, 5, 0, tzinfo=UTC)  # 06:00 local, lead time 2 h
    assert starts(demand, now=monday_six)[0] == int(EIGHT.timestamp())
    later = monday_six + timedelta(minutes=1)
    assert starts(demand, now=later)[0] == int((EIGHT + timedelta(minutes=5)).timestamp())


def test_writes_that_free_no_time_leave_the_cached_answers_valid(db: None) -> None:
    """A walk-in number or a new walk-in limit takes no appointment time: every "next number"
    at the counters must not throw the office's cached free times away."""
    from datetime import UTC, datetime

    import time_machine

    from amtstermin.booking import desk
    from amtstermin.booking.models import AvailabilityVersion
    from tests.factories import small_office

    office, svc, _counters = small_office()
    with time_machine.travel(datetime(2026, 12, 7, 8, 0, tzinfo=UTC), tick=False):  # Mon 09:00
        desk.ticket_issue(office=office, services=[svc["id_card"]])  # creates the version row
        before = AvailabilityVersion.objects.get(office=office).answers
        desk.ticket_issue(office=office, services=[svc["id_card"]])
        assert AvailabilityVersion.objects.get(office=office).answers == before
