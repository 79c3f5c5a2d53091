"""A booking keeps the office's write lock for few statements (docs/benchmarks.md)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import pytest
from django.db import connection

from amtstermin.booking import services
from amtstermin.booking.demand import resolve_demand
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
