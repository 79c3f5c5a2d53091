"""Migrations booking 0032 and notifications 0005 move the office's texts into
django-modeltranslation's columns: the German text stays German, the English one stays English,
and going back gives the fields their German text again."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [
    ("booking", "0031_service_categories_and_accessibility_statement"),
    ("notifications", "0004_lapsed_booking_message"),
]
AFTER = [
    ("booking", "0032_office_texts_in_every_language"),
    ("notifications", "0005_email_paragraph_in_every_language"),
]


def _migrate_to(targets: list[tuple[str, str]]) -> Any:
    """Migrate to ``targets``; the models as they were there."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


@pytest.fixture
def old_apps() -> Iterator[Any]:
    yield _migrate_to(BEFORE)
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def _old_office(apps: Any) -> dict[str, Any]:
    """An office as it was: German texts with an English translation beside some of them."""
    office = apps.get_model("booking", "Office").objects.create(
        name="Nord",
        street="Markt 1",
        postal_code="12345",
        city="Musterstadt",
        federal_state="NW",
        accessibility_statement="Die Anzeige wird nicht angesagt.",
    )
    service_model = apps.get_model("booking", "Service")
    passport = service_model.objects.create(
        office=office,
        name="Reisepass beantragen",
        name_en="Apply for a passport",
        description="Biometrisch.",
        description_en="Biometric.",
        fee_note="Beispielgebühr.",
        fee_note_en="Example fee.",
        first_person_minutes=15,
    )
    untranslated = service_model.objects.create(
        office=office, name="Meldebescheinigung", first_person_minutes=5
    )
    catalogue = apps.get_model("booking", "DocumentType").objects.create(
        office=office, name="Passfoto", name_en="Photo", note="Biometrisch.", note_en=""
    )
    other_entry = apps.get_model("booking", "DocumentType").objects.create(
        office=office, name="Ausweis"
    )
    document = apps.get_model("booking", "Document").objects.create(
        service=passport, document_type=catalogue, note="Je Person.", note_en="Per person."
    )
    setting = apps.get_model("notifications", "MessageSetting").objects.create(
        office=office, kind="confirmed", paragraph="Bitte pünktlich.", paragraph_en=""
    )
    return {
        "office": office.pk,
        "passport": passport.pk,
        "untranslated": untranslated.pk,
        "catalogue": catalogue.pk,
        "other_entry": other_entry.pk,
        "document": document.pk,
        "setting": setting.pk,
    }


def _values(apps: Any, app: str, model: str, pk: int, *fields: str) -> tuple[Any, ...]:
    return tuple(apps.get_model(app, model).objects.filter(pk=pk).values_list(*fields).get())


def test_german_stays_german_and_english_stays_english(old_apps: Any) -> None:
    ids = _old_office(old_apps)

    new = _migrate_to(AFTER)

    assert _values(
        new,
        "booking",
        "Service",
        ids["passport"],
        "name_de",
        "name_en",
        "description_de",
        "description_en",
        "fee_note_de",
        "fee_note_en",
        "name_tr",
    ) == (
        "Reisepass beantragen",
        "Apply for a passport",
        "Biometrisch.",
        "Biometric.",
        "Beispielgebühr.",
        "Example fee.",
        None,
    )
    assert _values(
        new, "booking", "DocumentType", ids["catalogue"], "name_de", "name_en", "note_de"
    ) == ("Passfoto", "Photo", "Biometrisch.")
    assert _values(new, "booking", "Document", ids["document"], "note_de", "note_en") == (
        "Je Person.",
        "Per person.",
    )
    assert _values(
        new, "booking", "Office", ids["office"], "accessibility_statement_de", "address_note_de"
    ) == ("Die Anzeige wird nicht angesagt.", None)
    assert _values(
        new, "notifications", "MessageSetting", ids["setting"], "paragraph_de", "paragraph_en"
    ) == ("Bitte pünktlich.", None)


def test_missing_translations_become_null_so_many_services_may_lack_one(old_apps: Any) -> None:
    ids = _old_office(old_apps)

    new = _migrate_to(AFTER)

    assert _values(new, "booking", "Service", ids["untranslated"], "name_en", "fee_note_en") == (
        None,
        None,
    )
    assert _values(new, "booking", "DocumentType", ids["other_entry"], "name_en") == (None,)
    service_model = new.get_model("booking", "Service")
    office = new.get_model("booking", "Office").objects.get(pk=ids["office"])
    service_model.objects.create(
        office=office, name="Dritte", name_de="Dritte", first_person_minutes=5
    )
    assert service_model.objects.filter(office=office, name_en=None).count() == 2


def test_going_back_keeps_german_and_english(old_apps: Any) -> None:
    ids = _old_office(old_apps)
    new = _migrate_to(AFTER)
    new.get_model("booking", "Service").objects.filter(pk=ids["passport"]).update(
        name_de="Reisepass", name_tr="Pasaport"
    )

    back = _migrate_to(BEFORE)

    assert _values(back, "booking", "Service", ids["passport"], "name", "name_en") == (
        "Reisepass",
        "Apply for a passport",
    )
    assert _values(back, "booking", "Service", ids["untranslated"], "name_en") == ("",)
    assert _values(
        back, "notifications", "MessageSetting", ids["setting"], "paragraph", "paragraph_en"
    ) == ("Bitte pünktlich.", "")
