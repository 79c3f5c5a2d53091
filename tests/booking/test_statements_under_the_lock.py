"""A booking and a cancellation keep the office's write lock for few statements, also when the
cancellation offers its time to the waitlist (docs/benchmarks.md)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.db import connection

from amtstermin.booking import services
from amtstermin.booking.demand import resolve_demand
from tests.booking.waitlist_cast import EIGHT, leave_wish, one_time_office
from tests.factories import A_MONDAY, small_office

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
CITIZEN = services.CitizenDetails(name="Erika Mustermann", email="erika@example.org")


def at(hour: int) -> datetime:
    """A_MONDAY at a Berlin wall time (UTC+1 in December)."""
    return datetime(A_MONDAY.year, A_MONDAY.month, A_MONDAY.day, hour - 1, tzinfo=UTC)


@contextmanager
def statements_under_the_lock() -> Iterator[list[str]]:
    """The statements run after the office's lock is taken: PostgreSQL's advisory lock, or
    SQLite's BEGIN IMMEDIATE (a real one: the test runs outside a test transaction). The commit
    is a call of the driver, not a statement."""
    recorded: list[str] = []
    locked = False

    def record(execute: Callable[..., Any], sql: str, *args: Any) -> Any:
        nonlocal locked
        if locked:
            recorded.append(sql)
        locked = locked or "pg_advisory_xact_lock" in sql or sql.startswith("BEGIN IMMEDIATE")
        return execute(sql, *args)

    with connection.execute_wrapper(record):
        yield recorded


@pytest.mark.parametrize("confirmation", [False, True], ids=["confirmed", "pending"])
def test_a_booking_runs_nine_statements_under_the_lock(
    transactional_db: None, confirmation: bool
) -> None:
    office, svc, _counters = small_office()
    office.require_email_confirmation = confirmation
    office.save()
    demand = resolve_demand(office=office, pairs=[(svc["id_card"].pk, 1)])
    services.appointment_book(demand=demand, start=at(8), citizen=CITIZEN, now=NOW)  # warm
    with statements_under_the_lock() as statements:
        services.appointment_book(demand=demand, start=at(9), citizen=CITIZEN, now=NOW)
    # The configuration version, the person's active appointments (the per-person limit), the
    # busy times, the appointment and its line, the e-mail and its task, the reminder's or the
    # release's task, the version raised.
    assert len(statements) == 9, statements


def _a_cancellation_s_statements(wish: dict[str, object] | None) -> list[str]:
    """A citizen cancels the one time of a Monday (the waitlist's test office); a wish waits
    (``wish``: how it differs from a wish for that Monday at any time) or none."""
    place = one_time_office()
    warm, _token = services.appointment_book(
        demand=place.demand, start=EIGHT + timedelta(days=7), citizen=CITIZEN, now=NOW
    )
    services.appointment_cancel(appointment=warm, now=NOW)  # the configuration is cached
    booked, _token = services.appointment_book(
        demand=place.demand, start=EIGHT, citizen=CITIZEN, now=NOW
    )
    if wish is not None:
        leave_wish(place, "wartend@example.org", **wish)  # type: ignore[arg-type]
    with statements_under_the_lock() as statements:
        services.appointment_cancel(appointment=booked, now=NOW)
    return statements


def test_a_cancellation_runs_six_statements_under_the_lock_unless_a_wish_wants_its_day(
    transactional_db: None,
) -> None:
    # The appointment cancelled, the configuration version (the e-mail settings), the e-mail
    # and its task, the waiting wishes that may want the day, the version raised.
    assert len(_a_cancellation_s_statements(None)) == 6
    # A wish waits, but for Tuesdays: it is not read beyond that one statement.
    assert len(_a_cancellation_s_statements({"weekdays": frozenset({2})})) == 6


def test_a_cancellation_that_offers_its_time_to_a_waiting_wish_runs_eighteen_statements(
    transactional_db: None,
) -> None:
    statements = _a_cancellation_s_statements({})
    # Beyond the six: the wish's services, the configuration version, the day's busy times;
    # the offer in a savepoint (two statements): the busy times again under the lock, the hold
    # and its line, the task that releases it at the deadline, the wish offered, the e-mail and
    # its task.
    assert len(statements) == 18, statements
    assert any(sql.startswith('UPDATE "booking_waitlistentry"') for sql in statements)
