"""Offices to race for, and the control's switch that removes the database's overlap guard.

The server comes from the ``start_server`` fixture (tests/conftest.py, tests/live_server.py).
``without_database_guard`` drops the overlap constraint / triggers for the control test and
restores them afterwards.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from datetime import time as clock

import pytest
from django.db import connection
from django.utils import timezone

from amtstermin.booking import db_guard
from amtstermin.booking.models import Appointment, Counter, Office, Service
from tests.factories import make_counter, make_office, make_service

# The database's last guard against overlaps, as the project creates it: PostgreSQL's exclusion
# constraint in migration 0002; SQLite's triggers in booking.db_guard (re-created after every
# migrate, because SQLite drops them whenever a migration rebuilds the table).
postgres_guard = importlib.import_module(
    "amtstermin.booking.migrations.0002_appointment_no_overlap"
)


def _guard_statements(*, create: bool) -> list[str]:
    if connection.vendor == "postgresql":
        return [postgres_guard.POSTGRES_CREATE if create else postgres_guard.POSTGRES_DROP]
    return list(db_guard.SQLITE_CREATE if create else db_guard.SQLITE_DROP)


def database_guard_parts() -> int:
    """How many pieces of the overlap guard the database has (PostgreSQL 1, SQLite 2)."""
    if connection.vendor == "postgresql":
        query = "SELECT count(*) FROM pg_constraint WHERE conname = 'appointment_no_overlap'"
    else:
        query = (
            "SELECT count(*) FROM sqlite_master"
            " WHERE type = 'trigger' AND name LIKE 'appointment_no_overlap%'"
        )
    with connection.cursor() as cursor:
        cursor.execute(query)
        return int(cursor.fetchone()[0])


@pytest.fixture
def without_database_guard(transactional_db: None) -> Iterator[None]:
    """The control: drop the overlap constraint (PostgreSQL) or triggers (SQLite) for one test.

    Request it *before* ``start_server`` so an unshared server stops first. Teardown removes
    the double bookings the control made (the constraint could not be added over them) and
    restores the guard with the project's own SQL.
    """
    present = database_guard_parts()
    assert present, "the overlap guard is missing before the control even starts"
    with connection.schema_editor() as editor:
        for statement in _guard_statements(create=False):
            editor.execute(statement)
    assert database_guard_parts() == 0, "the control could not remove the overlap guard"
    try:
        yield
    finally:
        Appointment.objects.all().delete()
        with connection.schema_editor() as editor:
            for statement in _guard_statements(create=True):
                editor.execute(statement)
        assert database_guard_parts() == present


# --- Offices to race for ----------------------------------------------------------------------

EVERY_DAY_8_TO_18 = [(weekday, clock(8, 0), clock(18, 0)) for weekday in range(7)]


@dataclass(frozen=True)
class RaceOffice:
    office: Office
    service: Service
    counters: list[Counter]
    day: date  # a bookable local day a few days ahead, not a public holiday

    def at(self, hour: int, minute: int = 0, *, days_later: int = 0) -> datetime:
        """An aware datetime at this local wall time on ``day`` (+ ``days_later``)."""
        day = self.day + timedelta(days=days_later)
        return datetime.combine(day, clock(hour, minute), tzinfo=self.office.zone)

    def payload(self, start: datetime, n: int, persons: int = 1) -> dict[str, object]:
        """The API body booking the service for ``persons`` at ``start`` (office-local)."""
        return {
            "office_id": self.office.pk,
            "services": [{"service_id": self.service.pk, "persons": persons}],
            "start": start.astimezone(self.office.zone).strftime("%Y-%m-%dT%H:%M"),
            "name": f"Client {n:02d}",
            # Another person for each time: one person may hold only two appointments.
            "email": f"client{n:02d}-{start:%m%d%H%M}@example.org",
        }


def race_office(counter_count: int, **office_fields: object) -> RaceOffice:
    """An office whose ``counter_count`` counters all serve one 15-minute service, 8-18 daily.

    Real time applies (the server books against its own clock), so the day is picked from
    today: three days ahead, past any public holiday, well inside lead time and horizon.
    """
    office = make_office(
        name=f"Bürgerbüro Wettlauf {counter_count}", slot_minutes=15, **office_fields
    )
    service = make_service(office, "Personalausweis", 15, 15)
    counters = [
        make_counter(office, f"Schalter {n}", [service], EVERY_DAY_8_TO_18)
        for n in range(1, counter_count + 1)
    ]
    today = timezone.now().astimezone(office.zone).date()
    day = today + timedelta(days=3)
    closed = office.public_holidays(range(day.year, day.year + 2))
    while day in closed or day + timedelta(days=1) in closed:
        day += timedelta(days=1)
    return RaceOffice(office=office, service=service, counters=counters, day=day)
