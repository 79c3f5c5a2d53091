"""Staff-only capacity: time a counter keeps for phone and counter bookings (ZMS: internal
capacity). Citizens online never get it; staff book it as usual."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, time

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from amtstermin.booking import availability_cache, selectors, services
from amtstermin.booking.demand import Demand, resolve_demand
from amtstermin.booking.demo import load_demo
from amtstermin.booking.errors import SlotTaken, StartNotOffered
from amtstermin.booking.models import (
    AppointmentStatus,
    Channel,
    Counter,
    Office,
    Service,
    StaffOnlyTime,
    Weekday,
)
from amtstermin.booking.services import CitizenDetails
from tests.factories import A_MONDAY, small_office

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)  # a Tuesday, a week before A_MONDAY
ONLINE = CitizenDetails(name="Erika Mustermann", email="erika@example.org")
CALLER = CitizenDetails(name="Karl Anrufer", email="", phone="0221 12345")

OfficeSetup = tuple[Office, dict[str, Service], list[Counter]]


def at(hour: int, minute: int = 0) -> datetime:
    """A_MONDAY at a Berlin wall time (UTC+1 in December)."""
    return datetime(A_MONDAY.year, A_MONDAY.month, A_MONDAY.day, hour - 1, minute, tzinfo=UTC)


def starts(demand: Demand, *, staff: bool = False) -> list[datetime]:
    days = selectors.availability(
        demand, first_day=A_MONDAY, last_day=A_MONDAY, now=NOW, staff=staff
    )
    return [datetime.fromtimestamp(start, UTC) for day in days for start in day.starts]


def keep_back(counter: Counter, **fields: object) -> StaffOnlyTime:
    return StaffOnlyTime.objects.create(counter=counter, weekday=Weekday.MONDAY, **fields)


def book_online(demand: Demand, start: datetime) -> None:
    """Someone else each time (one person may hold only two appointments)."""
    citizen = replace(ONLINE, email=f"erika{start:%H%M}@example.org")
    services.appointment_book(demand=demand, start=start, citizen=citizen, now=NOW)


@pytest.fixture
def office(db: None) -> OfficeSetup:
    return small_office()  # two counters, weekday mornings 08:00-12:00


@pytest.fixture
def id_card(office: OfficeSetup) -> Demand:
    the_office, svc, _counters = office
    return resolve_demand(office=the_office, pairs=[(svc["id_card"].pk, 1)])  # 15 minutes


@pytest.fixture
def mornings_kept_back(office: OfficeSetup) -> None:
    """Both counters keep Monday 08:00-09:00 for phone and counter bookings."""
    for counter in office[2]:
        keep_back(counter, start=time(8), end=time(9))


# --- A time range ---------------------------------------------------------------------------


@pytest.mark.usefixtures("mornings_kept_back")
def test_citizens_online_are_not_offered_the_range(id_card: Demand) -> None:
    found = starts(id_card)
    assert found[0] == at(9)
    assert all(start >= at(9) for start in found)


@pytest.mark.usefixtures("mornings_kept_back")
def test_staff_are_offered_the_range(id_card: Demand) -> None:
    assert at(8) in starts(id_card, staff=True)


@pytest.mark.usefixtures("mornings_kept_back")
@pytest.mark.parametrize("minute", [0, 45], ids=["inside", "running-into-it"])
def test_an_online_hold_in_the_range_is_refused(id_card: Demand, minute: int) -> None:
    with pytest.raises(StartNotOffered):
        services.appointment_hold(demand=id_card, start=at(8, minute), now=NOW)


@pytest.mark.usefixtures("mornings_kept_back")
def test_an_online_booking_in_the_range_is_refused(id_card: Demand) -> None:
    with pytest.raises(StartNotOffered):
        book_online(id_card, at(8, 30))


@pytest.mark.usefixtures("mornings_kept_back")
def test_staff_book_a_caller_into_the_range(id_card: Demand) -> None:
    appointment, _token = services.appointment_book(
        demand=id_card, start=at(8), citizen=CALLER, channel=Channel.PHONE, staff=True, now=NOW
    )
    assert appointment.start == at(8)
    assert appointment.status == AppointmentStatus.CONFIRMED


@pytest.mark.usefixtures("mornings_kept_back")
def test_a_citizen_cannot_move_into_the_range_but_staff_can(id_card: Demand) -> None:
    appointment, _token = services.appointment_book(
        demand=id_card, start=at(10), citizen=ONLINE, now=NOW
    )
    with pytest.raises(StartNotOffered):
        services.appointment_move(appointment=appointment, start=at(8, 15), now=NOW)
    moved = services.appointment_move(appointment=appointment, start=at(8, 15), staff=True, now=NOW)
    assert moved.start == at(8, 15)


def test_a_counter_keeping_time_back_leaves_the_citizen_to_the_other(
    office: OfficeSetup, id_card: Demand
) -> None:
    first, second = office[2]
    keep_back(first, start=time(8), end=time(9))
    appointment, _token = services.appointment_book(
        demand=id_card, start=at(8), citizen=ONLINE, now=NOW
    )
    assert appointment.counter_id == second.pk


def test_a_range_outside_its_validity_keeps_nothing_back(
    office: OfficeSetup, id_card: Demand
) -> None:
    for counter in office[2]:
        keep_back(counter, start=time(8), end=time(9), valid_until=A_MONDAY.replace(day=6))
    assert at(8) in starts(id_card)


# --- A share of the day ---------------------------------------------------------------------


@pytest.fixture
def half_kept_back(office: OfficeSetup) -> Counter:
    """One counter left, open 240 minutes on Monday, half of them kept back: 120 online."""
    first, second = office[2]
    second.active = False
    second.save()
    keep_back(first, share_percent=50)
    return first


@pytest.mark.usefixtures("half_kept_back")
def test_online_bookings_fill_at_most_the_rest_of_the_share(
    office: OfficeSetup, id_card: Demand
) -> None:
    for hour in (8, 9):
        for minute in (0, 15, 30, 45):
            book_online(id_card, at(hour, minute))  # 8 x 15 = 120 minutes
    assert starts(id_card) == []
    with pytest.raises(SlotTaken):
        book_online(id_card, at(10))


@pytest.mark.usefixtures("half_kept_back")
def test_staff_book_the_share_kept_back(office: OfficeSetup, id_card: Demand) -> None:
    for minute in (0, 15, 30, 45):
        book_online(id_card, at(8, minute))
        book_online(id_card, at(9, minute))
    assert at(10) in starts(id_card, staff=True)
    appointment, _token = services.appointment_book(
        demand=id_card, start=at(10), citizen=CALLER, channel=Channel.PHONE, staff=True, now=NOW
    )
    assert appointment.start == at(10)


@pytest.mark.usefixtures("half_kept_back")
def test_phone_bookings_do_not_use_up_the_online_share(
    office: OfficeSetup, id_card: Demand
) -> None:
    for minute in (0, 15, 30, 45):
        services.appointment_book(
            demand=id_card,
            start=at(8, minute),
            citizen=CALLER,
            channel=Channel.PHONE,
            staff=True,
            now=NOW,
        )
    for minute in (0, 15, 30, 45):
        book_online(id_card, at(9, minute))
        book_online(id_card, at(10, minute))  # 120 minutes online after an hour by phone
    assert starts(id_card) == []


@pytest.mark.usefixtures("half_kept_back")
def test_a_hold_spends_the_share_until_it_lapses(office: OfficeSetup, id_card: Demand) -> None:
    the_office, svc, _counters = office
    two_hours = resolve_demand(office=the_office, pairs=[(svc["registration"].pk, 8)])
    assert two_hours.duration_minutes == 45
    services.appointment_hold(demand=two_hours, start=at(8), now=NOW)
    services.appointment_hold(demand=two_hours, start=at(9), now=NOW)
    assert at(10) not in starts(two_hours)  # 90 minutes held, 45 more would overrun the 120
    assert at(10) in starts(id_card)


# --- Configuration ------------------------------------------------------------------------


def test_keeping_time_back_changes_cached_availability_at_once(
    office: OfficeSetup, id_card: Demand
) -> None:
    assert at(8) in starts(id_card)  # cached now
    before = availability_cache.versions(office[0].pk)
    entries = [keep_back(counter, start=time(8), end=time(9)) for counter in office[2]]
    after = availability_cache.versions(office[0].pk)
    assert after.configuration > before.configuration
    assert at(8) not in starts(id_card)
    for entry in entries:
        entry.end = time(8, 30)
        entry.save()
    assert at(8) not in starts(id_card) and at(8, 30) in starts(id_card)
    for entry in entries:
        entry.delete()
    assert at(8) in starts(id_card)


def test_the_configuration_carries_each_counters_staff_only_time(
    office: OfficeSetup, id_card: Demand
) -> None:
    counter = office[2][0]
    keep_back(counter, share_percent=100)
    configuration = selectors.office_configuration(office[0].pk)
    assert configuration is not None
    kept = {c.counter_id: c.reserved for c in configuration.counters}
    assert kept[counter.pk] and not kept[office[2][1].pk]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({}, "Give a time range or a share"),
        ({"start": time(8), "end": time(9), "share_percent": 20}, "not both"),
        ({"start": time(8)}, "end of the time range"),
        ({"end": time(8)}, "start of the time range"),
        ({"start": time(9), "end": time(8)}, "end must be after"),
        ({"share_percent": 0}, "greater than or equal to 1"),
        ({"share_percent": 101}, "less than or equal to 100"),
    ],
    ids=["neither", "both", "no-end", "no-start", "inside-out", "no-share", "over-100"],
)
def test_staff_only_time_is_a_range_or_a_share(
    office: OfficeSetup, fields: dict[str, object], message: str
) -> None:
    entry = StaffOnlyTime(counter=office[2][0], weekday=Weekday.MONDAY, **fields)
    with translation.override("en"), pytest.raises(ValidationError, match=message):
        entry.full_clean()


def test_the_validity_must_not_end_before_it_starts(office: OfficeSetup) -> None:
    entry = StaffOnlyTime(
        counter=office[2][0],
        weekday=Weekday.MONDAY,
        share_percent=20,
        valid_from=A_MONDAY,
        valid_until=A_MONDAY.replace(day=1),
    )
    with translation.override("en"), pytest.raises(ValidationError, match="valid from"):
        entry.full_clean()


def test_the_database_refuses_a_range_with_a_share(office: OfficeSetup) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        keep_back(office[2][0], start=time(8), end=time(9), share_percent=20)


def test_the_demo_keeps_wednesday_morning_at_one_counter_for_staff(db: None) -> None:
    office, _created = load_demo(now=NOW)
    entry = StaffOnlyTime.objects.get(counter__office=office)
    assert (entry.counter.name, entry.weekday, entry.start, entry.end) == (
        "Schalter 1",
        Weekday.WEDNESDAY,
        time(8),
        time(9),
    )
