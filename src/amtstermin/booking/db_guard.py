"""SQLite's guard against overlapping appointments: triggers, kept in place after every migrate.

PostgreSQL has a real exclusion constraint (migration 0002). SQLite has none, and it rebuilds a
table (dropping its triggers) whenever a migration alters it, so the triggers are (re)created
after every ``migrate`` instead of once in a migration.
"""

from __future__ import annotations

from typing import Any

from django.db import connections

ACTIVE = "('held', 'pending', 'confirmed', 'checked_in')"
_CLASH = f"""
    SELECT RAISE(ABORT, 'appointment_no_overlap') WHERE EXISTS (
        SELECT 1 FROM booking_appointment AS other
        WHERE other.counter_id = NEW.counter_id AND other.id IS NOT NEW.id
          AND other.status IN {ACTIVE}
          AND other."start" < NEW."end" AND other."end" > NEW."start");
"""
SQLITE_CREATE = [
    f"""CREATE TRIGGER IF NOT EXISTS appointment_no_overlap_insert
        BEFORE INSERT ON booking_appointment
        WHEN NEW.status IN {ACTIVE} BEGIN {_CLASH} END;""",
    f"""CREATE TRIGGER IF NOT EXISTS appointment_no_overlap_update
        BEFORE UPDATE OF status, counter_id, "start", "end" ON booking_appointment
        WHEN NEW.status IN {ACTIVE} BEGIN {_CLASH} END;""",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS appointment_no_overlap_insert;",
    "DROP TRIGGER IF EXISTS appointment_no_overlap_update;",
]


def ensure_sqlite_triggers(using: str = "default", **_: Any) -> None:
    connection = connections[using]
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        for statement in SQLITE_CREATE:
            cursor.execute(statement)
