"""Facts about one appointment, asked of the appointment itself."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from amtstermin.booking.models import Appointment, AppointmentStatus, Channel, Office
from tests.factories import small_office

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
LATER = NOW + timedelta(minutes=10)
EARLIER = NOW - timedelta(seconds=1)


def appointment(**fields: object) -> Appointment:
    office = Office(require_email_confirmation=True, cancel_deadline_hours=24)
    defaults: dict[str, object] = {
        "office": office,
        "status": AppointmentStatus.CONFIRMED,
        "channel": Channel.ONLINE,
        "start": NOW + timedelta(days=3),
    }
    return Appointment(**{**defaults, **fields})


def test_a_hold_holds_its_time_until_its_deadline() -> None:
    assert appointment(status=AppointmentStatus.HELD, held_until=LATER).holds_time(NOW)
    assert not appointment(status=AppointmentStatus.HELD, held_until=EARLIER).holds_time(NOW)


def test_an_unconfirmed_booking_past_its_deadline_holds_no_time() -> None:
    assert appointment(status=AppointmentStatus.PENDING, pending_until=LATER).holds_time(NOW)
    assert not appointment(status=AppointmentStatus.PENDING, pending_until=EARLIER).holds_time(NOW)


def test_a_cancelled_appointment_holds_no_time() -> None:
    assert appointment(status=AppointmentStatus.CONFIRMED).holds_time(NOW)
    assert not appointment(status=AppointmentStatus.CANCELLED).holds_time(NOW)


def test_an_expired_hold_still_began_as_a_hold() -> None:
    assert appointment(status=AppointmentStatus.EXPIRED, held_until=EARLIER).is_hold
    assert not appointment(status=AppointmentStatus.EXPIRED, pending_until=EARLIER).is_hold


def test_only_online_bookings_with_an_address_need_confirmation() -> None:
    assert appointment(email="erika@example.org").needs_confirmation
    assert not appointment(email="").needs_confirmation
    assert not appointment(email="erika@example.org", channel=Channel.PHONE).needs_confirmation


def test_a_lapsed_unconfirmed_booking_may_not_be_changed_online() -> None:
    assert appointment(status=AppointmentStatus.PENDING, pending_until=LATER).may_change_online(NOW)
    assert not appointment(
        status=AppointmentStatus.PENDING, pending_until=EARLIER
    ).may_change_online(NOW)


def test_a_booking_may_not_be_changed_online_after_the_office_deadline() -> None:
    assert not appointment(start=NOW + timedelta(hours=23)).may_change_online(NOW)


@pytest.mark.django_db
def test_lapsed_finds_the_holds_and_unconfirmed_bookings_past_their_deadline() -> None:
    office, _services, counters = small_office()

    def stored(code: str, **fields: object) -> Appointment:
        start = NOW + timedelta(days=3, hours=len(code))
        return Appointment.objects.create(
            office=office,
            counter=counters[0],
            start=start,
            end=start + timedelta(minutes=15),
            code=code,
            token_hash=code,
            channel=Channel.ONLINE,
            **fields,
        )

    lapsed_hold = stored("A", status=AppointmentStatus.HELD, held_until=EARLIER)
    lapsed_booking = stored("BB", status=AppointmentStatus.PENDING, pending_until=EARLIER)
    stored("CCC", status=AppointmentStatus.HELD, held_until=LATER)
    stored("DDDD", status=AppointmentStatus.CONFIRMED)
    assert set(Appointment.objects.lapsed(NOW)) == {lapsed_hold, lapsed_booking}
