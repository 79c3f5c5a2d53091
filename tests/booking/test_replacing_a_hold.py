"""A citizen who chooses another time gives the earlier hold back in the same step."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from amtstermin.booking import services
from amtstermin.booking.demand import Demand, resolve_demand
from amtstermin.booking.errors import SlotTaken
from amtstermin.booking.models import Appointment, AppointmentStatus
from tests.factories import small_office

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
MONDAY_8 = datetime(2026, 12, 7, 7, 0, tzinfo=UTC)


@pytest.fixture
def demand(db: None) -> Demand:
    office, svc, _counters = small_office()
    return resolve_demand(office=office, pairs=[(svc["id_card"].pk, 1)])


def status_of(appointment: Appointment) -> str:
    return Appointment.objects.get(pk=appointment.pk).status


def test_replacing_a_hold_gives_the_old_time_back_and_holds_the_new(demand: Demand) -> None:
    first, _token = services.appointment_hold(demand=demand, start=MONDAY_8, now=NOW)
    later = MONDAY_8 + timedelta(hours=1)
    second, _token = services.appointment_hold(demand=demand, start=later, now=NOW, replacing=first)
    assert status_of(first) == AppointmentStatus.EXPIRED
    assert status_of(second) == AppointmentStatus.HELD and second.start == later


def test_the_replaced_hold_frees_its_own_time_for_the_new_one(demand: Demand) -> None:
    services.appointment_hold(demand=demand, start=MONDAY_8, now=NOW)  # another citizen
    mine, _token = services.appointment_hold(demand=demand, start=MONDAY_8, now=NOW)
    # Both counters are taken at 08:00; 08:05 overlaps only the citizen's own hold.
    moved, _token = services.appointment_hold(
        demand=demand, start=MONDAY_8 + timedelta(minutes=5), now=NOW, replacing=mine
    )
    assert status_of(mine) == AppointmentStatus.EXPIRED
    assert status_of(moved) == AppointmentStatus.HELD


def test_when_the_new_time_is_taken_the_old_hold_stays(demand: Demand) -> None:
    mine, _token = services.appointment_hold(demand=demand, start=MONDAY_8, now=NOW)
    later = MONDAY_8 + timedelta(hours=1)
    for _counter in range(2):
        services.appointment_hold(demand=demand, start=later, now=NOW)
    with pytest.raises(SlotTaken):
        services.appointment_hold(demand=demand, start=later, now=NOW, replacing=mine)
    assert status_of(mine) == AppointmentStatus.HELD


def test_a_hold_at_another_office_is_given_back_once_the_new_one_is_held(demand: Demand) -> None:
    other_office, other_svc, _counters = small_office()
    elsewhere = resolve_demand(office=other_office, pairs=[(other_svc["id_card"].pk, 1)])
    first, _token = services.appointment_hold(demand=elsewhere, start=MONDAY_8, now=NOW)
    second, _token = services.appointment_hold(
        demand=demand, start=MONDAY_8, now=NOW, replacing=first
    )
    assert status_of(first) == AppointmentStatus.EXPIRED
    assert status_of(second) == AppointmentStatus.HELD
