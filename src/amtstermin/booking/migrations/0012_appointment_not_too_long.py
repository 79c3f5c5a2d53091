"""PostgreSQL refuses an appointment longer than LONGEST_APPOINTMENT (48 hours: an interval of
"2 days" would follow the session's time zone across a clock change).

Searches for overlapping appointments read from ``start - LONGEST_APPOINTMENT`` on (see
booking.models). SQLite's triggers (booking.db_guard) refuse a longer one likewise.
"""

from django.db import migrations

POSTGRES_CREATE = """
ALTER TABLE booking_appointment ADD CONSTRAINT appointment_not_too_long
    CHECK ("end" <= "start" + interval '48 hours');
"""
POSTGRES_DROP = (
    "ALTER TABLE booking_appointment DROP CONSTRAINT IF EXISTS appointment_not_too_long;"
)


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_DROP)


class Migration(migrations.Migration):
    dependencies = [("booking", "0011_availability_configuration_version")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
