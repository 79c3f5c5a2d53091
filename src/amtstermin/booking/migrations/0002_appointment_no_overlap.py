"""The database refuses two active appointments that overlap on one counter.

PostgreSQL: an exclusion constraint. SQLite has none, so triggers raise on such an insert or
update; besides, every SQLite write transaction begins IMMEDIATE (one writer at a time) and the
booking service re-checks under that lock. See docs/locking.md.
"""

from django.db import migrations

ACTIVE = "('held', 'pending', 'confirmed', 'checked_in')"

POSTGRES_CREATE = f"""
CREATE EXTENSION IF NOT EXISTS btree_gist;
ALTER TABLE booking_appointment ADD CONSTRAINT appointment_no_overlap
    EXCLUDE USING gist (counter_id WITH =, tstzrange("start", "end", '[)') WITH &&)
    WHERE (status IN {ACTIVE});
"""
POSTGRES_DROP = "ALTER TABLE booking_appointment DROP CONSTRAINT IF EXISTS appointment_no_overlap;"

_SQLITE_CLASH = f"""
    SELECT RAISE(ABORT, 'appointment_no_overlap') WHERE EXISTS (
        SELECT 1 FROM booking_appointment AS other
        WHERE other.counter_id = NEW.counter_id AND other.id IS NOT NEW.id
          AND other.status IN {ACTIVE}
          AND other."start" < NEW."end" AND other."end" > NEW."start");
"""
SQLITE_CREATE = [
    f"""CREATE TRIGGER appointment_no_overlap_insert BEFORE INSERT ON booking_appointment
        WHEN NEW.status IN {ACTIVE} BEGIN {_SQLITE_CLASH} END;""",
    f"""CREATE TRIGGER appointment_no_overlap_update
        BEFORE UPDATE OF status, counter_id, "start", "end" ON booking_appointment
        WHEN NEW.status IN {ACTIVE} BEGIN {_SQLITE_CLASH} END;""",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS appointment_no_overlap_insert;",
    "DROP TRIGGER IF EXISTS appointment_no_overlap_update;",
]


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_CREATE)
    elif vendor == "sqlite":
        for statement in SQLITE_CREATE:
            schema_editor.execute(statement)


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_DROP)
    elif vendor == "sqlite":
        for statement in SQLITE_DROP:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("booking", "0001_initial")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
