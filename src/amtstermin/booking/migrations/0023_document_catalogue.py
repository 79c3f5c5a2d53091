"""One document catalogue per office: documents become entries that services refer to.

Documents of one office with the same name become one entry; each service keeps its own
counting and note on its reference. Reversible: going back copies the entry's names onto the
documents again.
"""

from typing import Any

import django.db.models.deletion
from django.db import migrations, models


def _merged_note(first: str, second: str) -> str:
    if not second or second == first:
        return first
    return f"{first}; {second}" if first else second


def _check_now(schema_editor: Any) -> None:
    # PostgreSQL refuses to alter a table with deferred foreign-key checks still pending.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def documents_to_catalogue(apps: Any, schema_editor: Any) -> None:
    """Turn each office's documents into catalogue entries, one per name."""
    document_model = apps.get_model("booking", "Document")
    entry_model = apps.get_model("booking", "DocumentType")
    entries: dict[tuple[int, str], Any] = {}
    kept: dict[tuple[int, int], Any] = {}  # (service, entry) -> the service's one document
    documents = document_model.objects.select_related("service").order_by(
        "service__office_id", "sort_order", "id"
    )
    for document in documents:
        office_id = document.service.office_id
        name = document.name.strip()
        entry = entries.get((office_id, name))
        if entry is None:
            entry = entry_model.objects.create(
                office_id=office_id,
                name=name,
                name_en=document.name_en,
                sort_order=document.sort_order,
            )
            entries[(office_id, name)] = entry
        elif not entry.name_en and document.name_en:
            entry.name_en = document.name_en
            entry.save(update_fields=["name_en"])
        same = kept.get((document.service_id, entry.pk))
        if same is not None:
            # A service listed the same document twice: one reference keeps both notes.
            same.per_person = same.per_person or document.per_person
            same.note = _merged_note(same.note, document.note)
            same.note_en = _merged_note(same.note_en, document.note_en)
            same.save(update_fields=["per_person", "note", "note_en"])
            document.delete()
            continue
        document.document_type = entry
        document.save(update_fields=["document_type"])
        kept[(document.service_id, entry.pk)] = document
    _check_now(schema_editor)


def catalogue_to_documents(apps: Any, schema_editor: Any) -> None:
    """Give every document its entry's names back (the entries are dropped after this)."""
    document_model = apps.get_model("booking", "Document")
    for document in document_model.objects.select_related("document_type"):
        document.name = document.document_type.name
        document.name_en = document.document_type.name_en
        document.save(update_fields=["name", "name_en"])
    _check_now(schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("booking", "0022_call_list"),
    ]

    operations = [
        migrations.CreateModel(
            name="DocumentType",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=200, verbose_name="name (German)")),
                (
                    "name_en",
                    models.CharField(blank=True, max_length=200, verbose_name="name (English)"),
                ),
                (
                    "note",
                    models.CharField(
                        blank=True,
                        help_text="Shown with the document for every service that asks for it.",
                        max_length=300,
                        verbose_name="general note (German)",
                    ),
                ),
                (
                    "note_en",
                    models.CharField(
                        blank=True, max_length=300, verbose_name="general note (English)"
                    ),
                ),
                (
                    "sort_order",
                    models.PositiveSmallIntegerField(default=100, verbose_name="sort order"),
                ),
                (
                    "office",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="document_types",
                        to="booking.office",
                        verbose_name="office",
                    ),
                ),
            ],
            options={
                "verbose_name": "catalogue document",
                "verbose_name_plural": "document catalogue",
                "ordering": ["office", "sort_order", "name"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("office", "name"), name="document_type_name_unique_per_office"
                    )
                ],
            },
        ),
        migrations.AddField(
            model_name="document",
            name="document_type",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="requirements",
                to="booking.documenttype",
                verbose_name="document",
            ),
        ),
        # A default, so that going back can add the columns to existing rows again.
        migrations.AlterField(
            model_name="document",
            name="name",
            field=models.CharField(default="", max_length=200, verbose_name="name (German)"),
        ),
        migrations.RunPython(documents_to_catalogue, catalogue_to_documents),
        migrations.RemoveField(model_name="document", name="name"),
        migrations.RemoveField(model_name="document", name="name_en"),
        migrations.AlterField(
            model_name="document",
            name="document_type",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="requirements",
                to="booking.documenttype",
                verbose_name="document",
            ),
        ),
        migrations.AlterField(
            model_name="document",
            name="note",
            field=models.CharField(
                blank=True,
                help_text="For this service only, e.g. “im Original” or “je Seite”.",
                max_length=300,
                verbose_name="note (German)",
            ),
        ),
        migrations.AddConstraint(
            model_name="document",
            constraint=models.UniqueConstraint(
                fields=("service", "document_type"), name="document_once_per_service"
            ),
        ),
    ]
