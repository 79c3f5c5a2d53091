"""Migration 0023 turns each office's documents into one catalogue, one entry per name."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = ("booking", "0022_call_list")
AFTER = ("booking", "0023_document_catalogue")


def _migrate_to(target: tuple[str, str]) -> Any:
    """Migrate the booking app to ``target``; the models as they were there."""
    executor = MigrationExecutor(connection)
    executor.migrate([target])
    executor.loader.build_graph()
    return executor.loader.project_state([target]).apps


@pytest.fixture
def old_apps() -> Iterator[Any]:
    yield _migrate_to(BEFORE)
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def _office_with_services(apps: Any, name: str) -> tuple[Any, Any]:
    office = apps.get_model("booking", "Office").objects.create(
        name=name, street="Markt 1", postal_code="12345", city="Musterstadt", federal_state="NW"
    )
    service_model = apps.get_model("booking", "Service")
    id_card = service_model.objects.create(office=office, name="Ausweis", first_person_minutes=15)
    passport = service_model.objects.create(office=office, name="Pass", first_person_minutes=15)
    return id_card, passport


def test_documents_with_one_name_in_an_office_become_one_entry(old_apps: Any) -> None:
    id_card, passport = _office_with_services(old_apps, "Nord")
    other_office_service, _passport = _office_with_services(old_apps, "Süd")
    document = old_apps.get_model("booking", "Document")
    document.objects.create(
        service=id_card, name="Passfoto", name_en="Photo", per_person=True, note="biometrisch"
    )
    document.objects.create(service=passport, name="Passfoto", per_person=True, note="je Person")
    document.objects.create(service=passport, name="Reisepass", name_en="Passport")
    document.objects.create(service=other_office_service, name="Passfoto")

    new_apps = _migrate_to(AFTER)

    entries = new_apps.get_model("booking", "DocumentType").objects.order_by("office__name", "name")
    assert [(e.office.name, e.name, e.name_en) for e in entries] == [
        ("Nord", "Passfoto", "Photo"),
        ("Nord", "Reisepass", "Passport"),
        ("Süd", "Passfoto", ""),
    ]
    photo = entries[0]
    references = new_apps.get_model("booking", "Document").objects.filter(document_type=photo)
    assert sorted((d.service.name, d.per_person, d.note) for d in references) == [
        ("Ausweis", True, "biometrisch"),
        ("Pass", True, "je Person"),
    ]


def test_a_document_a_service_listed_twice_becomes_one_reference_with_both_notes(
    old_apps: Any,
) -> None:
    id_card, _passport = _office_with_services(old_apps, "Nord")
    document = old_apps.get_model("booking", "Document")
    document.objects.create(service=id_card, name="Kopie", note="im Original", sort_order=1)
    document.objects.create(service=id_card, name="Kopie", note="je Seite", per_person=True)

    new_apps = _migrate_to(AFTER)

    (reference,) = new_apps.get_model("booking", "Document").objects.all()
    assert (reference.document_type.name, reference.per_person, reference.note) == (
        "Kopie",
        True,
        "im Original; je Seite",
    )


def test_going_back_gives_every_document_its_name_again(old_apps: Any) -> None:
    id_card, passport = _office_with_services(old_apps, "Nord")
    document = old_apps.get_model("booking", "Document")
    document.objects.create(service=id_card, name="Passfoto", name_en="Photo", note="biometrisch")
    document.objects.create(service=passport, name="Passfoto", name_en="Photo")
    _migrate_to(AFTER)

    back = _migrate_to(BEFORE)

    assert sorted(
        (d.service.name, d.name, d.name_en, d.note)
        for d in back.get_model("booking", "Document").objects.all()
    ) == [("Ausweis", "Passfoto", "Photo", "biometrisch"), ("Pass", "Passfoto", "Photo", "")]
