"""The office's own texts in every language (django-modeltranslation, booking/translation.py).

Each translated field gets a column per language. The English columns that existed already
(``name_en``, ``description_en``, ``fee_note_en``, ``note_en``) become modeltranslation's own:
they are only made nullable, so their data stays where it is. The German text, so far in the
field itself, is copied into ``<field>_de``; empty translations become NULL (the per-language
unique names then allow many services without, say, a Turkish name). Going back copies the
German columns into the fields and drops the other languages (English stays, as before).

The languages are written out here, as they were when this migration was made: a migration
never reads the settings that may change later.
"""

from django.db import migrations, models
from django.db.models import F

LANGUAGES = ("de", "en", "tr", "ar", "uk", "ru", "pl")
EXISTING = "en"  # the one language that had columns before


def _name() -> models.CharField:
    return models.CharField(max_length=200, null=True, verbose_name="name")


def _service_description() -> models.TextField:
    return models.TextField(blank=True, null=True, verbose_name="short description")


def _fee_note() -> models.CharField:
    return models.CharField(blank=True, max_length=300, null=True, verbose_name="fee note")


def _general_note() -> models.CharField:
    return models.CharField(
        blank=True,
        help_text="Shown with the document for every service that asks for it.",
        max_length=300,
        null=True,
        verbose_name="general note",
    )


def _service_note() -> models.CharField:
    return models.CharField(
        blank=True,
        help_text="For this service only, e.g. “im Original” or “je Seite”.",
        max_length=300,
        null=True,
        verbose_name="note for this service",
    )


def _address_note() -> models.TextField:
    return models.TextField(
        blank=True,
        help_text="Shown with the address on the office page and in the e-mails, e.g. the "
        "entrance, floor and room, or step-free access.",
        max_length=500,
        null=True,
        verbose_name="how to find us",
    )


def _accessibility_statement() -> models.TextField:
    return models.TextField(
        blank=True,
        help_text="Known limitations and the enforcement body, shown in the statement.",
        null=True,
        verbose_name="accessibility statement (additional text)",
    )


# (model, field, its column in one language): every translated field of the app.
TRANSLATED = [
    ("service", "name", _name),
    ("service", "description", _service_description),
    ("service", "fee_note", _fee_note),
    ("documenttype", "name", _name),
    ("documenttype", "note", _general_note),
    ("document", "note", _service_note),
    ("office", "address_note", _address_note),
    ("office", "accessibility_statement", _accessibility_statement),
]
# The fields that had an English column of their own.
HAD_ENGLISH = {
    ("service", "name"),
    ("service", "description"),
    ("service", "fee_note"),
    ("documenttype", "name"),
    ("documenttype", "note"),
    ("document", "note"),
}
MODELS = {"service": "Service", "documenttype": "DocumentType", "document": "Document"}
MODELS["office"] = "Office"


def _columns() -> list[migrations.operations.base.Operation]:
    operations: list[migrations.operations.base.Operation] = []
    for model, field, column in TRANSLATED:
        for language in LANGUAGES:
            name = f"{field}_{language}"
            if language == EXISTING and (model, field) in HAD_ENGLISH:
                operations.append(migrations.AlterField(model, name, column()))
            else:
                operations.append(migrations.AddField(model, name, column()))
    return operations


def checks_now(schema_editor):
    """PostgreSQL checks foreign keys at the commit; rows updated here would leave those checks
    pending, and the ALTER TABLEs after them in this migration's transaction would fail ("pending
    trigger events"). So the checks of this transaction run at once."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def german_and_nulls(apps, schema_editor):
    """The field's text becomes the German one; an empty translation becomes NULL."""
    checks_now(schema_editor)
    for model, field, _column in TRANSLATED:
        manager = apps.get_model("booking", MODELS[model]).objects
        manager.update(**{f"{field}_de": F(field)})
        for language in LANGUAGES:
            manager.filter(**{f"{field}_{language}": ""}).update(**{f"{field}_{language}": None})


def back_to_german_fields(apps, schema_editor):
    """The German column becomes the field's text again; English empties are empty strings."""
    checks_now(schema_editor)
    for model, field, _column in TRANSLATED:
        manager = apps.get_model("booking", MODELS[model]).objects
        manager.exclude(**{f"{field}_de": None}).update(**{field: F(f"{field}_de")})
        if (model, field) in HAD_ENGLISH:
            manager.filter(**{f"{field}_en": None}).update(**{f"{field}_en": ""})


def _unique_names() -> list[migrations.operations.base.Operation]:
    return [
        migrations.AddConstraint(
            model,
            models.UniqueConstraint(fields=("office", f"name_{language}"), name=f"{name}-{language}"),
        )
        for model, name in (
            ("documenttype", "document_type_name_unique_per_office"),
            ("service", "service_name_unique_per_office"),
        )
        for language in LANGUAGES
    ]


class Migration(migrations.Migration):
    dependencies = [
        ("booking", "0031_service_categories_and_accessibility_statement"),
    ]

    operations = [
        migrations.AddField(
            model_name="office",
            name="address_note",
            field=models.TextField(
                blank=True,
                help_text="Shown with the address on the office page and in the e-mails, e.g. "
                "the entrance, floor and room, or step-free access.",
                max_length=500,
                verbose_name="how to find us",
            ),
        ),
        *_columns(),
        migrations.RunPython(german_and_nulls, back_to_german_fields),
        *_unique_names(),
        # The labels lose "(German)": each language's column says its language.
        migrations.AlterField(
            model_name="service",
            name="name",
            field=models.CharField(max_length=200, verbose_name="name"),
        ),
        migrations.AlterField(
            model_name="service",
            name="description",
            field=models.TextField(blank=True, verbose_name="short description"),
        ),
        migrations.AlterField(
            model_name="service",
            name="fee_note",
            field=models.CharField(blank=True, max_length=300, verbose_name="fee note"),
        ),
        migrations.AlterField(
            model_name="documenttype",
            name="name",
            field=models.CharField(max_length=200, verbose_name="name"),
        ),
        migrations.AlterField(
            model_name="documenttype",
            name="note",
            field=models.CharField(
                blank=True,
                help_text="Shown with the document for every service that asks for it.",
                max_length=300,
                verbose_name="general note",
            ),
        ),
        migrations.AlterField(
            model_name="document",
            name="note",
            field=models.CharField(
                blank=True,
                help_text="For this service only, e.g. “im Original” or “je Seite”.",
                max_length=300,
                verbose_name="note for this service",
            ),
        ),
        # A change of the texts is recorded in the audit log.
        migrations.AlterField(
            model_name="auditentry",
            name="action",
            field=models.CharField(
                choices=[
                    ("book", "booked"),
                    ("cancel", "cancelled"),
                    ("move", "moved"),
                    ("check_in", "checked in"),
                    ("check_in_undone", "check-in undone"),
                    ("start_service", "service started"),
                    ("complete", "completed"),
                    ("no_show", "marked no-show"),
                    ("absence", "counter blocked"),
                    ("closure", "office closed"),
                    ("walk_in_limit", "walk-in limit set"),
                    ("ticket_call", "number called"),
                    ("ticket_call_again", "number called again"),
                    ("ticket_set_aside", "number set aside"),
                    ("ticket_return", "number back in the queue"),
                    ("ticket_done", "number done"),
                    ("citizen_called", "citizen phoned"),
                    ("counter_services", "counters and services changed"),
                    ("duration_suggestion", "durations set from measured times"),
                    ("ticket_left", "number given up by the citizen"),
                    ("device_pair", "kiosk or display paired"),
                    ("device_revoke", "kiosk or display revoked"),
                    ("office_texts", "texts for citizens changed"),
                ],
                max_length=40,
                verbose_name="action",
            ),
        ),
        # The office's order, ties by the German name: the same in every language.
        migrations.AlterModelOptions(
            name="documenttype",
            options={
                "ordering": ["office", "sort_order", "name_de", "pk"],
                "verbose_name": "catalogue document",
                "verbose_name_plural": "document catalogue",
            },
        ),
        migrations.AlterModelOptions(
            name="service",
            options={
                "ordering": ["office", "sort_order", "name_de", "pk"],
                "verbose_name": "service",
                "verbose_name_plural": "services",
            },
        ),
    ]
