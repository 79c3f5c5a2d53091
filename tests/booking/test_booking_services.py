"""Hold, book, complete, cancel and move through the booking services."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

import pytest
from django.utils import translation

from amtstermin import scheduling
from amtstermin.booking import claim, selectors, services
from amtstermin.booking.demand import Demand, DemandError, parse_demand_text, resolve_demand
from amtstermin.booking.errors import Busy, DeadlinePassed, SlotTaken, StartNotOffered, WrongState
from amtstermin.booking.models import (
    Appointment,
    AppointmentStatus,
    Closure,
    Counter,
    Office,
    Service,
)
from amtstermin.booking.services import CitizenDetails
from amtstermin.booking.tokens import hash_token
from tests.factories import A_MONDAY, small_office

OfficeAndDemand = tuple[Office, dict[str, Service], list[Counter], Demand]

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)  # a Tuesday, a week before A_MONDAY
CITIZEN = CitizenDetails(name="Erika Mustermann", email="erika@example.org")
MAX = CitizenDetails(name="Max Mustermann", email="max@example.org")
JANA = CitizenDetails(name="Jana Novak", email="jana@example.org")


def at(hour: int, minute: int = 0) -> datetime:
    """A_MONDAY at a Berlin wall time (UTC+1 in December)."""
    return datetime(A_MONDAY.year, A_MONDAY.month, A_MONDAY.day, hour - 1, minute, tzinfo=UTC)


def starts_on_monday(demand: Demand, now: datetime = NOW) -> list[datetime]:
    days = selectors.availability(demand, first_day=A_MONDAY, last_day=A_MONDAY, now=now)
    return [datetime.fromtimestamp(s, UTC) for day in days for s in day.starts]


@pytest.fixture
def office_and_demand(db: None) -> OfficeAndDemand:
    office, svc, counters = small_office()
    demand = resolve_demand(office=office, pairs=[(svc["id_card"].pk, 1)])
    return office, svc, counters, demand


def test_demand_duration_depends_on_services_and_persons(db: None) -> None:
    office, svc, _counters = small_office()
    one = resolve_demand(office=office, pairs=[(svc["id_card"].pk, 1)])
    family = resolve_demand(
        office=office, pairs=[(svc["registration"].pk, 4), (svc["id_card"].pk, 1)]
    )
    assert one.duration_minutes == 15
    assert family.duration_minutes == 15 + 10 + 3 * 5


@pytest.mark.parametrize(
    ("text", "message"),
    [("abc", "SERVICE:PERSONS"), ("1:x", "SERVICE:PERSONS"), ("", "at least one")],
)
def test_demand_text_errors_are_readable(db: None, text: str, message: str) -> None:
    office, _svc, _counters = small_office()
    with translation.override("en"), pytest.raises(DemandError, match=message):
        resolve_demand(office=office, pairs=parse_demand_text(text))


def test_demand_refuses_unknown_staff_only_and_too_many_persons(db: None) -> None:
    office, svc, _counters = small_office()
    with translation.override("en"):
        with pytest.raises(DemandError, match="not offered"):
            resolve_demand(office=office, pairs=[(999999, 1)])
        with pytest.raises(DemandError, match="cannot be booked online"):
            resolve_demand(office=office, pairs=[(svc["copies"].pk, 1)])
        assert resolve_demand(office=office, pairs=[(svc["copies"].pk, 1)], staff=True)
        with pytest.raises(DemandError, match="1 to 4"):
            resolve_demand(office=office, pairs=[(svc["id_card"].pk, 5)])
        with pytest.raises(DemandError, match="1 to 4"):
            resolve_demand(office=office, pairs=[(svc["id_card"].pk, 0)])


def test_booking_takes_the_time_and_stores_only_the_token_hash(
    office_and_demand: OfficeAndDemand,
) -> None:
    _office, _svc, _counters, demand = office_and_demand
    appointment, token = services.appointment_book(
        demand=demand, start=at(8), citizen=CITIZEN, now=NOW
    )
    assert appointment.status == AppointmentStatus.CONFIRMED
    assert appointment.end - appointment.start == timedelta(minutes=15)
    assert len(token) >= 43  # 256 bits, URL-safe
    assert appointment.token_hash == hash_token(token) != token
    assert len(appointment.code) == 8 and not set(appointment.code) & set("0O1IL2Z5S8B")
    # Two counters serve the ID card: 08:00 is still offered once, the third booking is refused.
    services.appointment_book(demand=demand, start=at(8), citizen=MAX, now=NOW)
    assert at(8) not in starts_on_monday(demand)
    with pytest.raises(SlotTaken):
        services.appointment_book(demand=demand, start=at(8), citizen=JANA, now=NOW)
    assert Appointment.objects.count() == 2


@pytest.mark.parametrize(
    ("start", "message"),
    [
        (lambda: at(8, 3), "every 5 minutes"),
        (lambda: NOW - timedelta(hours=1), "in the past"),
        (lambda: NOW + timedelta(minutes=30), "at least 2 hours ahead"),
        (lambda: at(8) + timedelta(days=70), "can be booked from"),
        (lambda: at(14), "does not offer"),
    ],
)
def test_a_start_that_is_never_offered_is_refused_with_a_reason(
    office_and_demand: OfficeAndDemand, start: Callable[[], datetime], message: str
) -> None:
    _office, _svc, _counters, demand = office_and_demand
    with translation.override("en"), pytest.raises(StartNotOffered, match=message):
        services.appointment_book(demand=demand, start=start(), citizen=CITIZEN, now=NOW)
    assert Appointment.objects.count() == 0


def test_bookable_from_and_horizon_bound_the_offered_days(
    office_and_demand: OfficeAndDemand,
) -> None:
    office, _svc, _counters, demand = office_and_demand
    office.bookable_from = A_MONDAY + timedelta(days=1)
    office.horizon_days = 14
    office.save()
    days = selectors.availability(
        demand, first_day=NOW.date(), last_day=NOW.date() + timedelta(days=60), now=NOW
    )
    assert days[0].day == A_MONDAY + timedelta(days=1)
    # "Bookable from" starts the horizon: 14 days from that Tuesday, to Monday two weeks on.
    assert days[-1].day == A_MONDAY + timedelta(days=14)
    with pytest.raises(StartNotOffered):
        services.appointment_book(demand=demand, start=at(8), citizen=CITIZEN, now=NOW)


def test_public_holidays_and_closures_offer_nothing(office_and_demand: OfficeAndDemand) -> None:
    office, _svc, _counters, demand = office_and_demand
    christmas = selectors.availability(
        demand,
        first_day=date(2026, 12, 25),
        last_day=date(2026, 12, 26),
        now=NOW,
    )
    assert christmas == []
    Closure.objects.create(office=office, start=at(8), end=at(10), reason="Betriebsversammlung")
    offered = starts_on_monday(demand)
    assert offered[0] == at(10)


def test_a_hold_blocks_the_time_until_it_lapses(office_and_demand: OfficeAndDemand) -> None:
    _office, _svc, counters, demand = office_and_demand
    counters[1].active = False
    counters[1].save()
    hold, _token = services.appointment_hold(demand=demand, start=at(8), now=NOW)
    assert hold.status == AppointmentStatus.HELD and hold.held_until == NOW + timedelta(minutes=10)
    assert at(8) not in starts_on_monday(demand, now=NOW + timedelta(minutes=9))
    # Lapsed: free again at once, before any clean-up task, and bookable by someone else.
    later = NOW + timedelta(minutes=11)
    assert at(8) in starts_on_monday(demand, now=later)
    other, _t = services.appointment_book(demand=demand, start=at(8), citizen=CITIZEN, now=later)
    hold.refresh_from_db()
    assert hold.status == AppointmentStatus.EXPIRED and other.status == AppointmentStatus.CONFIRMED
    with pytest.raises(WrongState):
        services.appointment_complete_hold(appointment=hold, citizen=CITIZEN, now=later)


def test_completing_a_hold_books_it_and_an_extension_restarts_the_clock(
    office_and_demand: OfficeAndDemand,
) -> None:
    _office, _svc, _counters, demand = office_and_demand
    hold, _token = services.appointment_hold(demand=demand, start=at(9), now=NOW)
    extended = services.appointment_extend_hold(appointment=hold, now=NOW + timedelta(minutes=8))
    assert extended.held_until == NOW + timedelta(minutes=18)
    booked = services.appointment_complete_hold(
        appointment=hold, citizen=CITIZEN, now=NOW + timedelta(minutes=15)
    )
    assert booked.status == AppointmentStatus.CONFIRMED
    assert booked.citizen_name == "Erika Mustermann" and booked.held_until is None


def test_a_lapsed_hold_is_renewed_when_nobody_took_the_time(
    office_and_demand: OfficeAndDemand,
) -> None:
    _office, _svc, _counters, demand = office_and_demand
    hold, _token = services.appointment_hold(demand=demand, start=at(9), now=NOW)
    booked = services.appointment_complete_hold(
        appointment=hold, citizen=CITIZEN, now=NOW + timedelta(minutes=30)
    )
    assert booked.status == AppointmentStatus.CONFIRMED


def test_cancelling_frees_the_time_until_the_start_only(office_and_demand: OfficeAndDemand) -> None:
    _office, _svc, counters, demand = office_and_demand
    counters[1].active = False
    counters[1].save()
    appointment, _token = services.appointment_book(
        demand=demand, start=at(8), citizen=CITIZEN, now=NOW
    )
    assert at(8) not in starts_on_monday(demand)
    services.appointment_cancel(appointment=appointment, now=NOW)
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.CANCELLED and appointment.cancelled_at == NOW
    assert at(8) in starts_on_monday(demand)

    late, _token = services.appointment_book(demand=demand, start=at(9), citizen=CITIZEN, now=NOW)
    with pytest.raises(DeadlinePassed):
        services.appointment_cancel(appointment=late, now=at(9) + timedelta(minutes=1))
    services.appointment_cancel(appointment=late, staff=True, now=at(9) + timedelta(minutes=1))


def test_moving_gives_up_the_old_time_only_with_the_new_one(
    office_and_demand: OfficeAndDemand,
) -> None:
    _office, _svc, counters, demand = office_and_demand
    counters[1].active = False
    counters[1].save()
    appointment, _token = services.appointment_book(
        demand=demand, start=at(8), citizen=CITIZEN, now=NOW
    )
    blocker, _t = services.appointment_book(demand=demand, start=at(10), citizen=CITIZEN, now=NOW)
    code = appointment.code
    with pytest.raises(SlotTaken):
        services.appointment_move(appointment=appointment, start=at(10), now=NOW)
    appointment.refresh_from_db()
    assert appointment.start == at(8)  # unchanged after the refused move
    # Overlapping its own old time is fine: the row moves in place.
    moved = services.appointment_move(appointment=appointment, start=at(8, 10), now=NOW)
    assert (moved.start, moved.code) == (at(8, 10), code)
    moved = services.appointment_move(appointment=appointment, start=at(11), now=NOW)
    assert at(8) in starts_on_monday(demand)
    assert blocker.status == AppointmentStatus.CONFIRMED


def test_the_chosen_counter_serves_every_service_of_the_demand(db: None) -> None:
    office, svc, counters = small_office()
    demand = resolve_demand(office=office, pairs=[(svc["copies"].pk, 1)], staff=True)
    first, _t = services.appointment_book(
        demand=demand, start=at(8), citizen=CITIZEN, staff=True, now=NOW
    )
    assert first.counter == counters[0]  # only Schalter 1 serves copies
    with pytest.raises(SlotTaken):
        services.appointment_book(demand=demand, start=at(8), citizen=CITIZEN, staff=True, now=NOW)


def test_staff_may_book_inside_the_lead_time_and_on_counters_kept_back(db: None) -> None:
    office, svc, counters = small_office()
    for counter in counters:
        counter.online_bookable = False
        counter.save()
    # Citizens cannot even ask for it now (Service.bookable_online); staff can.
    with pytest.raises(DemandError):
        resolve_demand(office=office, pairs=[(svc["id_card"].pk, 1)])
    demand = resolve_demand(office=office, pairs=[(svc["id_card"].pk, 1)], staff=True)
    monday_morning = at(8) - timedelta(minutes=30)
    assert (
        selectors.availability(demand, first_day=A_MONDAY, last_day=A_MONDAY, now=monday_morning)
        == []
    )
    staff_days = selectors.availability(
        demand, first_day=A_MONDAY, last_day=A_MONDAY, now=monday_morning, staff=True
    )
    assert datetime.fromtimestamp(staff_days[0].starts[0], UTC) == at(8)
    booked, _t = services.appointment_book(
        demand=demand, start=at(8), citizen=CITIZEN, staff=True, now=monday_morning
    )
    assert booked.status == AppointmentStatus.CONFIRMED


def test_daylight_saving_day_offers_local_wall_times(db: None) -> None:
    office, svc, _counters = small_office()
    demand = resolve_demand(office=office, pairs=[(svc["id_card"].pk, 1)])
    day_after_change = date(2027, 3, 30)  # clocks went forward on Sunday 28 March
    office.horizon_days = 366
    office.save()
    days = selectors.availability(
        demand, first_day=day_after_change, last_day=day_after_change, now=NOW
    )
    first = datetime.fromtimestamp(days[0].starts[0], UTC)
    assert first == datetime(2027, 3, 30, 6, 0, tzinfo=UTC)  # 08:00 CEST
    assert scheduling.local_day(days[0].starts[0], office.zone) == day_after_change


def test_only_lock_timeouts_count_as_busy(office_and_demand: OfficeAndDemand) -> None:
    from unittest import mock

    from django.db import OperationalError

    _office, _svc, _counters, demand = office_and_demand
    for message, expected in (
        ("database is locked", Busy),
        ("no such table", OperationalError),
    ):
        with (
            mock.patch.object(claim, "claim_counter", side_effect=OperationalError(message)),
            pytest.raises(expected),
        ):
            services.appointment_book(demand=demand, start=at(8), citizen=CITIZEN, now=NOW)


def test_releasing_a_hold_that_became_a_booking_keeps_the_booking(
    office_and_demand: OfficeAndDemand,
) -> None:
    _office, _svc, _counters, demand = office_and_demand
    hold, _token = services.appointment_hold(demand=demand, start=at(9), now=NOW)
    stale = Appointment.objects.get(pk=hold.pk)  # the page read it while it was held
    services.appointment_complete_hold(appointment=hold, citizen=CITIZEN, now=NOW)
    services.appointment_release_hold(appointment=stale, now=NOW)
    assert Appointment.objects.get(pk=hold.pk).status == AppointmentStatus.CONFIRMED
    other, _token = services.appointment_hold(demand=demand, start=at(10), now=NOW)
    services.appointment_release_hold(appointment=other, now=NOW)
    assert Appointment.objects.get(pk=other.pk).status == AppointmentStatus.EXPIRED


def test_the_first_time_offered_after_the_lead_time_can_be_booked_to_the_second(
    office_and_demand: OfficeAndDemand,
) -> None:
    # Found by a CI run that loaded the demo 0.15 s after a full minute: the engine counted the
    # lead time in whole seconds, cut down, and offered a start 0.15 s inside it.
    _office, _svc, _counters, demand = office_and_demand
    assert starts_on_monday(demand)[0] == at(8)  # the office opens then
    now = at(8) - timedelta(hours=2) + timedelta(seconds=0.4)  # 08:00 lies 0.4 s inside
    first = starts_on_monday(demand, now=now)[0]
    assert first > now + timedelta(hours=2)
    booked, _token = services.appointment_book(demand=demand, start=first, citizen=CITIZEN, now=now)
    assert booked.start == first
