"""PostgreSQL refuses two active appointments that overlap on one counter.

SQLite's equivalent, triggers, is kept in place after every migrate by booking.db_guard, since
SQLite drops a table's triggers whenever a migration rebuilds the table. See docs/locking.md.
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

def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_DROP)


class Migration(migrations.Migration):
    dependencies = [("booking", "0001_initial")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
