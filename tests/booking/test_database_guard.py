"""The database itself refuses two active, overlapping appointments on one counter."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.db import IntegrityError, transaction

from amtstermin.booking.models import Appointment, Channel, Counter, Status
from tests.factories import small_office

T0 = datetime(2026, 12, 7, 8, 0, tzinfo=UTC)


def _row(counter: Counter, start: datetime, minutes: int, status: Status, n: int) -> Appointment:
    # Written directly, bypassing the booking service, to test the database on its own.
    return Appointment.objects.create(
        office=counter.office,
        counter=counter,
        start=start,
        end=start + timedelta(minutes=minutes),
        status=status,
        code=f"TEST{n:04d}",
        token_hash=f"{n:064d}",
        channel=Channel.ONLINE,
    )


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "status", [Status.HELD, Status.PENDING, Status.CONFIRMED, Status.CHECKED_IN]
)
def test_overlapping_active_appointment_is_refused(status: Status) -> None:
    _office, _services, (counter, _other) = small_office()
    _row(counter, T0, 30, Status.CONFIRMED, 1)
    with pytest.raises(IntegrityError), transaction.atomic():
        _row(counter, T0 + timedelta(minutes=15), 30, status, 2)
    assert Appointment.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_adjacent_other_counter_and_inactive_appointments_are_allowed() -> None:
    _office, _services, (counter, other) = small_office()
    _row(counter, T0, 30, Status.CONFIRMED, 1)
    _row(counter, T0 + timedelta(minutes=30), 15, Status.CONFIRMED, 2)  # touches, no overlap
    _row(other, T0, 30, Status.CONFIRMED, 3)  # another counter
    for n, status in enumerate([Status.CANCELLED, Status.EXPIRED, Status.NO_SHOW], start=4):
        _row(counter, T0, 30, status, n)
    assert Appointment.objects.count() == 6


@pytest.mark.django_db(transaction=True)
def test_moving_into_an_occupied_time_is_refused() -> None:
    _office, _services, (counter, _other) = small_office()
    _row(counter, T0, 30, Status.CONFIRMED, 1)
    later = _row(counter, T0 + timedelta(hours=1), 30, Status.CONFIRMED, 2)
    later.start, later.end = T0 + timedelta(minutes=10), T0 + timedelta(minutes=40)
    with pytest.raises(IntegrityError), transaction.atomic():
        later.save(update_fields=["start", "end"])


@pytest.mark.django_db(transaction=True)
def test_reactivating_a_cancelled_appointment_over_a_new_one_is_refused() -> None:
    _office, _services, (counter, _other) = small_office()
    old = _row(counter, T0, 30, Status.CANCELLED, 1)
    _row(counter, T0, 30, Status.CONFIRMED, 2)
    old.status = Status.CONFIRMED
    with pytest.raises(IntegrityError), transaction.atomic():
        old.save(update_fields=["status"])
