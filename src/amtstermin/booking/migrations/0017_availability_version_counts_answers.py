"""AvailabilityVersion.value is called answers, after what it counts; its column keeps the name
"value", so only Django's picture of the model changes, not the table."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("booking", "0016_ticket_status_without_serving"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RenameField(
                    model_name="availabilityversion", old_name="value", new_name="answers"
                ),
                migrations.AlterField(
                    model_name="availabilityversion",
                    name="answers",
                    field=models.BigIntegerField(db_column="value", default=0),
                ),
            ],
            database_operations=[],
        ),
    ]
