"""What reading the queue costs: the measured service times come from the shared cache for five
minutes (the configured ones are read fresh), and no busy times are read."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from amtstermin.booking import busy, queue_selectors
from amtstermin.booking.models import Office, Service, Ticket, TicketStatus
from amtstermin.scheduling.queue import MIN_SAMPLES
from tests.factories import small_office

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)  # Tuesday 10:00 in Berlin: both counters open


@pytest.fixture
def office(db: None) -> Iterator[tuple[Office, dict[str, Service]]]:
    with time_machine.travel(NOW, tick=False):
        office, services, _counters = small_office()
        yield office, services


def _served(office: Office, service: Service, *, minutes: int, count: int, first: int) -> None:
    """``count`` numbers of yesterday, each served in ``minutes``."""
    for number in range(first, first + count):
        called = NOW - timedelta(days=1, hours=3) + timedelta(minutes=number)
        ticket = Ticket.objects.create(
            office=office,
            day=called.date(),
            prefix=Ticket.WALK_IN_PREFIX,
            number=number,
            status=TicketStatus.DONE,
            created_at=called - timedelta(minutes=5),
            called_at=called,
            finished_at=called + timedelta(minutes=minutes),
        )
        ticket.services.set([service])


def test_the_measured_service_times_are_kept_for_five_minutes_the_configured_ones_not(
    office: tuple[Office, dict[str, Service]],
) -> None:
    office_, services = office
    registration, copies = services["registration"], services["copies"]
    _served(office_, registration, minutes=30, count=MIN_SAMPLES, first=1)
    assert queue_selectors.queue_state(office_, now=NOW).seconds[registration.pk] == 30 * 60
    _served(office_, registration, minutes=60, count=MIN_SAMPLES + 1, first=100)
    copies.first_person_minutes = 25  # nothing measured for copies: the configured time counts
    copies.save(update_fields=["first_person_minutes"])
    later = queue_selectors.queue_state(office_, now=NOW + timedelta(minutes=4, seconds=59))
    assert later.seconds[registration.pk] == 30 * 60
    assert later.seconds[copies.pk] == 25 * 60
    five = NOW + timedelta(minutes=5)
    assert queue_selectors.queue_state(office_, now=five).seconds[registration.pk] == 60 * 60


def test_the_queue_reads_no_busy_times(
    office: tuple[Office, dict[str, Service]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only the slot engine needs what is booked; the queue needs when counters are open."""

    def refuse(*args: object) -> None:
        raise AssertionError("the queue read the busy times")

    monkeypatch.setattr(busy, "active_appointments", refuse)
    state = queue_selectors.queue_state(office[0], now=NOW)
    assert state.open and len(state.loads) == 2
