"""The booking path reads the office's configuration from its cache and writes little, and
stays exact: every configuration change shows in the next booking."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pytest_django import DjangoAssertNumQueries

from amtstermin.booking import availability_cache, selectors, services, write_queue
from amtstermin.booking.demand import Demand, resolve_demand
from amtstermin.booking.errors import Busy, DeadlinePassed, StartNotOffered, WrongState
from amtstermin.booking.models import (
    ACTIVE_STATUSES,
    LONGEST_APPOINTMENT,
    Absence,
    Appointment,
    AppointmentStatus,
    Channel,
    Counter,
    Office,
)
from amtstermin.booking.services import CitizenDetails
from amtstermin.notifications.models import Message, MessageKind, MessageSetting
from tests.factories import A_MONDAY, small_office

OfficeAndDemand = tuple[Office, list[Counter], Demand]

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
CITIZEN = CitizenDetails(name="Erika Mustermann", email="erika@example.org")


def at(hour: int, minute: int = 0) -> datetime:
    """A_MONDAY at a Berlin wall time (UTC+1 in December)."""
    return datetime(A_MONDAY.year, A_MONDAY.month, A_MONDAY.day, hour - 1, minute, tzinfo=UTC)


@pytest.fixture
def office_and_demand(db: None) -> OfficeAndDemand:
    office, svc, counters = small_office()
    demand = resolve_demand(office=office, pairs=[(svc["id_card"].pk, 1)])
    return office, counters, demand


def book(demand: Demand, start: datetime, now: datetime = NOW) -> Appointment:
    """A booking by someone else at each start (one person may hold only two)."""
    citizen = replace(CITIZEN, email=f"erika{start:%d%H%M}@example.org")
    appointment, _token = services.appointment_book(
        demand=demand, start=start, citizen=citizen, now=now
    )
    return appointment


def test_a_booking_leaves_the_cached_configuration_valid(
    office_and_demand: OfficeAndDemand,
) -> None:
    office, _counters, demand = office_and_demand
    before = availability_cache.versions(office.pk)
    book(demand, at(8))
    after = availability_cache.versions(office.pk)
    assert after.answers > before.answers  # cached free times are outdated
    assert after.configuration == before.configuration  # the configuration is not


def test_a_booking_runs_few_queries(
    office_and_demand: OfficeAndDemand, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    _office, _counters, demand = office_and_demand
    book(demand, at(8))  # the configuration is cached now, as in a running server
    # Savepoint (the test's transaction) or BEGIN, PostgreSQL's lock, the configuration version,
    # the per-person count, busy times, appointment, line, message, task, reminder task, version
    # bump, release. No configuration query.
    with django_assert_max_num_queries(12):
        book(demand, at(9))


@pytest.mark.parametrize("confirmation", [False, True], ids=["confirmed", "pending"])
def test_a_booking_reads_the_office_configuration_once(
    office_and_demand: OfficeAndDemand, confirmation: bool
) -> None:
    office, _counters, demand = office_and_demand
    office.require_email_confirmation = confirmation
    office.save()
    book(demand, at(8))
    with CaptureQueriesContext(connection) as captured:
        book(demand, at(9))
    version_reads = [
        query["sql"]
        for query in captured.captured_queries
        if query["sql"].startswith("SELECT") and "booking_availabilityversion" in query["sql"]
    ]
    assert len(version_reads) == 1


def test_a_booking_sees_an_absence_entered_after_its_office_was_read(
    office_and_demand: OfficeAndDemand,
) -> None:
    # The API resolves the demand against the cached configuration before the booking lock; the
    # counter is chosen from the configuration as it is under the lock.
    office, counters, demand = office_and_demand
    configuration = selectors.office_configuration(office.pk)
    assert configuration is not None
    pairs = [(item.service.pk, item.persons) for item in demand.items]
    demand = resolve_demand(
        office=configuration.office, pairs=pairs, services=configuration.services
    )
    for counter in counters:
        Absence.objects.create(counter=counter, start=at(8), end=at(9))
    with pytest.raises(StartNotOffered):
        book(demand, at(8))


def test_an_absence_entered_after_caching_refuses_the_booking(
    office_and_demand: OfficeAndDemand,
) -> None:
    office, counters, demand = office_and_demand
    assert selectors.office_configuration(office.pk) is not None  # cached now
    for counter in counters:
        Absence.objects.create(counter=counter, start=at(8), end=at(9))
    with pytest.raises(StartNotOffered):
        book(demand, at(8))
    assert book(demand, at(9)).start == at(9)


def test_turning_an_e_mail_off_and_on_shows_at_once(office_and_demand: OfficeAndDemand) -> None:
    office, _counters, demand = office_and_demand
    book(demand, at(8))  # caches the settings: all on
    setting = MessageSetting.objects.create(
        office=office, kind=MessageKind.CONFIRMED, enabled=False
    )
    second = book(demand, at(9))
    assert not Message.objects.filter(appointment=second, kind=MessageKind.CONFIRMED).exists()
    setting.enabled = True
    setting.save()
    third = book(demand, at(10))
    assert Message.objects.filter(appointment=third, kind=MessageKind.CONFIRMED).exists()


def test_a_booking_code_that_is_taken_is_replaced(
    office_and_demand: OfficeAndDemand, monkeypatch: pytest.MonkeyPatch
) -> None:
    _office, _counters, demand = office_and_demand
    first = book(demand, at(8))
    codes = iter([first.code, "NEWCODE3"])
    monkeypatch.setattr(services, "new_code", lambda: next(codes))
    second = book(demand, at(9))
    assert second.code == "NEWCODE3"
    assert Appointment.objects.filter(code=first.code).count() == 1


def test_a_code_that_keeps_colliding_ends_in_busy_not_in_a_loop(
    office_and_demand: OfficeAndDemand, monkeypatch: pytest.MonkeyPatch
) -> None:
    _office, _counters, demand = office_and_demand
    first = book(demand, at(8))
    monkeypatch.setattr(services, "new_code", lambda: first.code)
    with pytest.raises(Busy):
        book(demand, at(9))
    assert Appointment.objects.count() == 1


def test_cancelling_decides_on_the_row_as_it_is_now(office_and_demand: OfficeAndDemand) -> None:
    _office, _counters, demand = office_and_demand
    booked = book(demand, at(8))
    stale = Appointment.objects.get(pk=booked.pk)
    services.appointment_cancel(appointment=booked, now=NOW)
    messages = Message.objects.filter(appointment=booked, kind=MessageKind.CANCELLED).count()
    # The stale copy still says confirmed: no second cancellation, no second e-mail.
    result = services.appointment_cancel(appointment=stale, now=NOW)
    assert result.status == AppointmentStatus.CANCELLED
    assert (
        Message.objects.filter(appointment=booked, kind=MessageKind.CANCELLED).count() == messages
    )


def test_a_stale_hold_that_was_booked_meanwhile_keeps_the_deadline(
    office_and_demand: OfficeAndDemand,
) -> None:
    _office, _counters, demand = office_and_demand
    hold, _token = services.appointment_hold(demand=demand, start=at(8), now=NOW)
    services.appointment_complete_hold(appointment=hold, citizen=CITIZEN, now=NOW)
    # ``hold`` still says held; the row is a booking now, and it has begun.
    late = at(8) + timedelta(minutes=1)
    with pytest.raises(DeadlinePassed):
        services.appointment_cancel(appointment=hold, now=late)
    assert Appointment.objects.get(pk=hold.pk).status == AppointmentStatus.CONFIRMED


def test_the_busy_times_query_matches_the_orm(office_and_demand: OfficeAndDemand) -> None:
    _office, counters, demand = office_and_demand
    kept = book(demand, at(8))
    book(demand, at(8, 30))
    cancelled = book(demand, at(9))
    services.appointment_cancel(appointment=cancelled, now=NOW)
    hold, _token = services.appointment_hold(demand=demand, start=at(10), now=NOW)
    book(demand, at(11, 45))  # ends at 12:00, inside the range
    start, end = at(8, 15), at(12)
    # Written directly: the longest possible, ending inside the range, and one that ends before.
    long_ago = Appointment.objects.create(
        office=demand.office,
        counter=counters[1],
        start=start - LONGEST_APPOINTMENT + timedelta(minutes=1),
        end=start + timedelta(minutes=1),
        status=AppointmentStatus.CONFIRMED,
        code="LONGAGO1",
        token_hash="long-ago",
        channel=Channel.PHONE,
    )
    Appointment.objects.create(
        office=demand.office,
        counter=counters[1],
        start=start - LONGEST_APPOINTMENT - timedelta(hours=2),
        end=start - LONGEST_APPOINTMENT - timedelta(hours=1),
        status=AppointmentStatus.CONFIRMED,
        code="LONGAGO2",
        token_hash="long-ago-2",
        channel=Channel.PHONE,
    )
    ids = [counter.pk for counter in counters]
    expected = sorted(
        Appointment.objects.filter(
            status__in=ACTIVE_STATUSES, counter_id__in=ids, start__lt=end, end__gt=start
        )
        .exclude(pk=kept.pk)
        .values_list("pk", "counter_id", "status", "start", "end", "held_until", "pending_until")
    )
    found = sorted(selectors._active_appointments(ids, start, end, kept.pk))
    assert found == expected
    assert {row[0] for row in found} >= {hold.pk, long_ago.pk}
    assert cancelled.pk not in {row[0] for row in found}
    assert all(row[3].tzinfo is not None for row in found)


@pytest.mark.django_db
def test_the_write_queue_excludes_other_processes_and_threads() -> None:
    if connection.vendor != "sqlite":
        with write_queue.turn():  # PostgreSQL queues in its advisory lock: nothing to do
            assert write_queue._lock_file() is None
        return
    path = f"{connection.settings_dict['NAME']}-writers.lock"
    probe = (
        "import fcntl, os, sys\n"
        f"fd = os.open({path!r}, os.O_RDWR)\n"
        "try:\n    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)\nexcept BlockingIOError:\n"
        "    sys.exit(3)\n"
    )
    with write_queue.turn():
        held = subprocess.run([sys.executable, "-c", probe], check=False)
    free = subprocess.run([sys.executable, "-c", probe], check=False)
    assert (held.returncode, free.returncode) == (3, 0)

    inside: list[str] = []

    def writer(name: str) -> None:
        with write_queue.turn():
            inside.append(f"{name} in")
            time.sleep(0.05)
            inside.append(f"{name} out")

    threads = [threading.Thread(target=writer, args=(n,)) for n in "ab"]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert inside in (["a in", "a out", "b in", "b out"], ["b in", "b out", "a in", "a out"])


def test_an_unconfirmed_booking_that_lapsed_cannot_be_moved(
    office_and_demand: OfficeAndDemand,
) -> None:
    office, _counters, demand = office_and_demand
    office.require_email_confirmation = True
    office.save()
    pending = book(demand, at(8))
    assert pending.status == AppointmentStatus.PENDING
    assert pending.pending_until is not None
    after = pending.pending_until + timedelta(seconds=1)
    with pytest.raises(WrongState):
        services.appointment_move(appointment=pending, start=at(9), now=after)
    assert Appointment.objects.get(pk=pending.pk).start == at(8)
    # Before it lapses it moves, and stays pending.
    fresh = book(demand, at(10))
    moved = services.appointment_move(appointment=fresh, start=at(11), now=NOW)
    assert (moved.start, moved.status) == (at(11), AppointmentStatus.PENDING)
