"""SQLite's guard against overlapping appointments: triggers, kept in place after every migrate.

PostgreSQL has a real exclusion constraint (migration 0002). SQLite has none, and it rebuilds a
table (dropping its triggers) whenever a migration alters it, so the triggers are (re)created
after every ``migrate`` instead of once in a migration, and replaced if their text has changed.

The search for a clash starts ``LONGEST_APPOINTMENT`` before the new start, so it reads a few
index entries, not the counter's whole history (which made a booking ten times slower after
60,000 appointments, docs/benchmarks.md); the first trigger statement makes that bound hold.
"""

from __future__ import annotations

from typing import Any

from django.db import connections, transaction

from amtstermin.booking.models import LONGEST_APPOINTMENT

ACTIVE = "('held', 'pending', 'confirmed', 'checked_in')"
# SQLite stores instants as text 'YYYY-MM-DD HH:MM:SS[.ffffff]' in UTC; datetime() answers in
# whole seconds, rounded, so the search starts two seconds earlier than the longest allows.
_LONGEST_SECONDS = int(LONGEST_APPOINTMENT.total_seconds())
# The clash search, with ``{new}`` naming the new row (``NEW`` in the triggers).
CLASH_SEARCH = f"""
        SELECT 1 FROM booking_appointment AS other
        WHERE other.counter_id = {{new}}.counter_id AND other.id IS NOT {{new}}.id
          AND other.status IN {ACTIVE}
          AND other."start" < {{new}}."end" AND other."end" > {{new}}."start"
          AND other."start" > datetime({{new}}."start", '-{_LONGEST_SECONDS + 2} seconds')"""
_CLASH = f"""
    SELECT RAISE(ABORT, 'appointment_too_long')
        WHERE NEW."end" > datetime(NEW."start", '+{_LONGEST_SECONDS} seconds');
    SELECT RAISE(ABORT, 'appointment_no_overlap') WHERE NEW.status IN {ACTIVE} AND EXISTS (
        {CLASH_SEARCH.format(new="NEW")});
"""
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS appointment_no_overlap_insert;",
    "DROP TRIGGER IF EXISTS appointment_no_overlap_update;",
]
SQLITE_CREATE = [
    f"""CREATE TRIGGER appointment_no_overlap_insert
        BEFORE INSERT ON booking_appointment BEGIN {_CLASH} END;""",
    f"""CREATE TRIGGER appointment_no_overlap_update
        BEFORE UPDATE OF status, counter_id, "start", "end" ON booking_appointment
        BEGIN {_CLASH} END;""",
]


def ensure_sqlite_triggers(using: str = "default", **_: Any) -> None:
    connection = connections[using]
    if connection.vendor != "sqlite":
        return
    # Replaced in one transaction, so no write ever meets the table without its guard.
    with transaction.atomic(using=using), connection.cursor() as cursor:
        for statement in (*SQLITE_DROP, *SQLITE_CREATE):
            cursor.execute(statement)
