"""The database itself refuses two active, overlapping appointments on one counter."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.db import IntegrityError, connection, transaction

from amtstermin.booking import db_guard, housekeeping
from amtstermin.booking.models import (
    LONGEST_APPOINTMENT,
    Appointment,
    AppointmentStatus,
    Channel,
    Counter,
)
from tests.factories import small_office

T0 = datetime(2026, 12, 7, 8, 0, tzinfo=UTC)


def _row(
    counter: Counter, start: datetime, minutes: int, status: AppointmentStatus, n: int
) -> Appointment:
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
    "status",
    [
        AppointmentStatus.HELD,
        AppointmentStatus.PENDING,
        AppointmentStatus.CONFIRMED,
        AppointmentStatus.CHECKED_IN,
    ],
)
def test_overlapping_active_appointment_is_refused(status: AppointmentStatus) -> None:
    _office, _services, (counter, _other) = small_office()
    _row(counter, T0, 30, AppointmentStatus.CONFIRMED, 1)
    with pytest.raises(IntegrityError), transaction.atomic():
        _row(counter, T0 + timedelta(minutes=15), 30, status, 2)
    assert Appointment.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_adjacent_other_counter_and_inactive_appointments_are_allowed() -> None:
    _office, _services, (counter, other) = small_office()
    _row(counter, T0, 30, AppointmentStatus.CONFIRMED, 1)
    _row(
        counter, T0 + timedelta(minutes=30), 15, AppointmentStatus.CONFIRMED, 2
    )  # touches, no overlap
    _row(other, T0, 30, AppointmentStatus.CONFIRMED, 3)  # another counter
    for n, status in enumerate(
        [AppointmentStatus.CANCELLED, AppointmentStatus.EXPIRED, AppointmentStatus.NO_SHOW], start=4
    ):
        _row(counter, T0, 30, status, n)
    assert Appointment.objects.count() == 6


@pytest.mark.django_db(transaction=True)
def test_moving_into_an_occupied_time_is_refused() -> None:
    _office, _services, (counter, _other) = small_office()
    _row(counter, T0, 30, AppointmentStatus.CONFIRMED, 1)
    later = _row(counter, T0 + timedelta(hours=1), 30, AppointmentStatus.CONFIRMED, 2)
    later.start, later.end = T0 + timedelta(minutes=10), T0 + timedelta(minutes=40)
    with pytest.raises(IntegrityError), transaction.atomic():
        later.save(update_fields=["start", "end"])


@pytest.mark.django_db(transaction=True)
def test_reactivating_a_cancelled_appointment_over_a_new_one_is_refused() -> None:
    _office, _services, (counter, _other) = small_office()
    old = _row(counter, T0, 30, AppointmentStatus.CANCELLED, 1)
    _row(counter, T0, 30, AppointmentStatus.CONFIRMED, 2)
    old.status = AppointmentStatus.CONFIRMED
    with pytest.raises(IntegrityError), transaction.atomic():
        old.save(update_fields=["status"])


LONGEST_MINUTES = int(LONGEST_APPOINTMENT.total_seconds()) // 60


@pytest.mark.django_db(transaction=True)
def test_an_appointment_longer_than_the_longest_is_refused() -> None:
    # The searches for a clash start LONGEST_APPOINTMENT before; a longer row would escape them.
    _office, _services, (counter, _other) = small_office()
    with pytest.raises(IntegrityError), transaction.atomic():
        _row(counter, T0, LONGEST_MINUTES + 1, AppointmentStatus.CANCELLED, 1)
    _row(counter, T0, LONGEST_MINUTES - 1, AppointmentStatus.CONFIRMED, 2)
    assert Appointment.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_clash_with_the_longest_appointment_is_refused_on_insert_and_on_move() -> None:
    # It began almost LONGEST_APPOINTMENT before: any tighter bound on the search would miss it.
    _office, _services, (counter, _other) = small_office()
    began = T0 - LONGEST_APPOINTMENT + timedelta(minutes=30)
    _row(counter, began, LONGEST_MINUTES - 1, AppointmentStatus.CONFIRMED, 1)  # ends at T0 + 29 min
    with pytest.raises(IntegrityError), transaction.atomic():
        _row(counter, T0 + timedelta(minutes=15), 30, AppointmentStatus.CONFIRMED, 2)
    later = _row(
        counter, T0 + timedelta(minutes=29), 30, AppointmentStatus.CONFIRMED, 3
    )  # right after
    later.start, later.end = T0 + timedelta(minutes=20), T0 + timedelta(minutes=50)
    with pytest.raises(IntegrityError), transaction.atomic():
        later.save(update_fields=["start", "end"])


@pytest.mark.django_db
def test_the_guard_does_not_read_the_whole_history() -> None:
    if connection.vendor == "postgresql":
        # The exclusion constraint searches its own GiST index; the length check is a constraint.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT conname FROM pg_constraint WHERE conrelid = 'booking_appointment'::regclass"
                " AND conname IN ('appointment_no_overlap', 'appointment_not_too_long')"
            )
            assert sorted(row[0] for row in cursor.fetchall()) == [
                "appointment_no_overlap",
                "appointment_not_too_long",
            ]
        return
    with connection.cursor() as cursor:
        # A database made by an older release keeps its old trigger until the next migrate.
        cursor.execute("DROP TRIGGER appointment_no_overlap_insert")
        cursor.execute(
            "CREATE TRIGGER appointment_no_overlap_insert BEFORE INSERT ON booking_appointment"
            " BEGIN SELECT 1; END"
        )
        db_guard.ensure_sqlite_triggers()
        triggers = dict(
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger'"
                " AND name LIKE 'appointment_no_overlap_%'"
            ).fetchall()
        )
        assert set(triggers) == {"appointment_no_overlap_insert", "appointment_no_overlap_update"}
        assert all(db_guard.CLASH_SEARCH.format(new="NEW") in sql for sql in triggers.values())
        # The triggers' own search, for a new row given as a table: the start index is read
        # between two bounds, not from the counter's first appointment on.
        search = db_guard.CLASH_SEARCH.format(new="new")
        plan = cursor.execute(
            'EXPLAIN QUERY PLAN WITH new(id, counter_id, start, "end") AS'  # noqa: S608 (constant)
            " (SELECT 0, 1, '2026-12-07 08:00:00', '2026-12-07 09:00:00')"
            f" SELECT EXISTS ({search}) FROM new"
        ).fetchall()
    assert "(counter_id=? AND start>? AND start<?)" in " ".join(str(row) for row in plan)


@pytest.mark.django_db
def test_releasing_lapsed_holds_reads_only_held_and_pending_rows() -> None:
    from django.test.utils import CaptureQueriesContext

    office, _services, (counter, _other) = small_office()
    lapsed = _row(counter, T0, 30, AppointmentStatus.HELD, 1)
    Appointment.objects.filter(pk=lapsed.pk).update(held_until=T0 - timedelta(hours=1))
    for n in range(2, 40):
        _row(counter, T0 - timedelta(days=n), 30, AppointmentStatus.COMPLETED, n)
    with CaptureQueriesContext(connection) as captured:
        assert housekeeping.release_lapsed(office_id=office.pk, now=T0) == 1
    (update,) = [
        query["sql"]
        for query in captured
        if query["sql"].startswith('UPDATE "booking_appointment"')
    ]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # A tiny table: with its statistics read and no full scan allowed, the planner
            # shows which index it takes.
            cursor.execute("ANALYZE booking_appointment")
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(f"EXPLAIN {update}")
        else:
            cursor.execute(f"EXPLAIN QUERY PLAN {update}")
        plan = " ".join(str(row) for row in cursor.fetchall())
    # Either index holds the active rows apart from the history: ours, or on PostgreSQL the
    # exclusion constraint's (partial, active rows only), which its planner may prefer.
    assert "appointment_status_office" in plan or (
        connection.vendor == "postgresql" and "appointment_no_overlap" in plan
    )
    assert "appointment_office_start" not in plan
    assert Appointment.objects.get(pk=lapsed.pk).status == AppointmentStatus.EXPIRED


@pytest.mark.django_db
def test_the_purge_reads_only_rows_that_still_hold_personal_data() -> None:
    from django.test.utils import CaptureQueriesContext

    from amtstermin.booking import housekeeping

    office, _services, (counter, _other) = small_office()
    due = _row(
        counter, T0 - timedelta(days=office.retention_days + 1), 30, AppointmentStatus.COMPLETED, 1
    )
    for n in range(2, 40):
        _row(counter, T0 - timedelta(days=30 + n), 30, AppointmentStatus.COMPLETED, n)
    Appointment.objects.exclude(pk=due.pk).update(personal_data_erased_at=T0 - timedelta(days=9))
    with CaptureQueriesContext(connection) as captured:
        assert housekeeping.purge_personal_data(now=T0) == {office.name: 1}
    (select,) = [
        query["sql"]
        for query in captured
        if query["sql"].startswith("SELECT")
        and "personal_data_erased_at" in query["sql"]
        and "booking_waitlistentry" not in query["sql"]  # the wishes' purge, a small table
    ]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # As above: statistics read, no full scan allowed, so the plan shows the index.
            cursor.execute("ANALYZE booking_appointment")
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(f"EXPLAIN {select}")
        else:
            cursor.execute(f"EXPLAIN QUERY PLAN {select}")
        plan = " ".join(str(row) for row in cursor.fetchall())
    assert "appointment_not_erased" in plan
    assert "appointment_office_start" not in plan
