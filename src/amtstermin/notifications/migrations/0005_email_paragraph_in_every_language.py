"""The office's e-mail paragraph in every language (django-modeltranslation; see booking's
migration 0031, which this one follows): ``paragraph_en`` becomes modeltranslation's own column,
the paragraph so far is the German one, empty translations become NULL."""

from django.db import migrations, models
from django.db.models import F

LANGUAGES = ("de", "en", "tr", "ar", "uk", "ru", "pl")


def _paragraph() -> models.TextField:
    return models.TextField(
        blank=True, max_length=2000, null=True, verbose_name="additional paragraph"
    )


def checks_now(schema_editor):
    """As in booking's 0031: no foreign-key checks left pending before the ALTER TABLEs."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def german_and_nulls(apps, schema_editor):
    checks_now(schema_editor)
    manager = apps.get_model("notifications", "MessageSetting").objects
    manager.update(paragraph_de=F("paragraph"))
    for language in LANGUAGES:
        manager.filter(**{f"paragraph_{language}": ""}).update(**{f"paragraph_{language}": None})


def back_to_german_paragraph(apps, schema_editor):
    checks_now(schema_editor)
    manager = apps.get_model("notifications", "MessageSetting").objects
    manager.exclude(paragraph_de=None).update(paragraph=F("paragraph_de"))
    manager.filter(paragraph_en=None).update(paragraph_en="")


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0004_lapsed_booking_message"),
    ]

    operations = [
        *[
            migrations.AlterField("messagesetting", f"paragraph_{language}", _paragraph())
            if language == "en"
            else migrations.AddField("messagesetting", f"paragraph_{language}", _paragraph())
            for language in LANGUAGES
        ],
        migrations.RunPython(german_and_nulls, back_to_german_paragraph),
        migrations.AlterField(
            model_name="messagesetting",
            name="paragraph",
            field=models.TextField(blank=True, max_length=2000, verbose_name="additional paragraph"),
        ),
    ]
