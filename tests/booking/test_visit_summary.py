"""One summary of a visit (services, documents, fees, duration) for pages, API, staff, e-mails."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
import time_machine
from django.utils import translation

from amtstermin.booking import services
from amtstermin.booking.demand import resolve_demand
from amtstermin.booking.models import Document, DocumentType, Office, Service
from amtstermin.booking.models.documents import join_notes
from amtstermin.booking.visit import ChecklistItem, visit_summary
from tests.factories import make_document, small_office

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
MONDAY_EIGHT = datetime(2026, 12, 7, 7, 0, tzinfo=UTC)

pytestmark = pytest.mark.django_db


@pytest.fixture
def office() -> tuple[Office, dict[str, Service]]:
    the_office, svc, _counters = small_office()
    return the_office, svc


def test_fees_are_given_per_service_and_in_total(office: tuple[Office, dict[str, Service]]) -> None:
    the_office, svc = office
    demand = resolve_demand(
        office=the_office, pairs=[(svc["id_card"].pk, 2), (svc["registration"].pk, 4)]
    )
    summary = visit_summary(demand)
    assert [(line.name, line.persons, line.fee_each, line.fee) for line in summary.lines] == [
        ("Personalausweis", 2, Decimal("37.00"), Decimal("74.00")),
        ("Anmeldung", 4, None, None),
    ]
    assert summary.fee_total == Decimal("74.00") and summary.has_fee


def test_a_fee_per_visit_counts_once(office: tuple[Office, dict[str, Service]]) -> None:
    the_office, svc = office
    Service.objects.filter(pk=svc["id_card"].pk).update(fee_per_person=False)
    demand = resolve_demand(office=the_office, pairs=[(svc["id_card"].pk, 3)])
    summary = visit_summary(demand)
    assert [(line.fee_each, line.fee) for line in summary.lines] == [(None, Decimal("37.00"))]
    assert summary.fee_total == Decimal("37.00")


def test_a_visit_without_fees_has_none(office: tuple[Office, dict[str, Service]]) -> None:
    the_office, svc = office
    demand = resolve_demand(office=the_office, pairs=[(svc["registration"].pk, 1)])
    summary = visit_summary(demand)
    assert summary.fee_total == Decimal("0.00") and not summary.has_fee


def test_documents_two_services_ask_for_are_listed_once_as_often_as_needed(
    office: tuple[Office, dict[str, Service]],
) -> None:
    the_office, svc = office
    demand = resolve_demand(
        office=the_office, pairs=[(svc["id_card"].pk, 2), (svc["registration"].pk, 4)]
    )
    assert visit_summary(demand).checklist == (
        ChecklistItem(name="Passfoto", count=2, per_person=True),
        ChecklistItem(name="Ausweis", count=4, per_person=True),
        ChecklistItem(name="Wohnungsgeberbestätigung", count=1),
    )


def test_one_catalogue_entry_two_services_ask_for_is_listed_once_with_every_note(
    office: tuple[Office, dict[str, Service]],
) -> None:
    # The example: one certificate, asked for by two services in different words.
    the_office, svc = office
    make_document(
        svc["id_card"],
        "Geburts- oder Heiratsurkunde",
        note="Nur bei der ersten Beantragung.",
        sort_order=1,
    )
    make_document(svc["registration"], "Geburts- oder Heiratsurkunde", note="im Original")
    DocumentType.objects.filter(name="Geburts- oder Heiratsurkunde").update(
        note="Ausländische Urkunden mit Übersetzung."
    )
    demand = resolve_demand(
        office=the_office, pairs=[(svc["id_card"].pk, 1), (svc["registration"].pk, 1)]
    )
    certificates = [
        item for item in visit_summary(demand).checklist if "urkunde" in item.name.lower()
    ]
    assert certificates == [
        ChecklistItem(
            name="Geburts- oder Heiratsurkunde",
            count=1,
            notes=(
                "Ausländische Urkunden mit Übersetzung.",
                "Nur bei der ersten Beantragung.",
                "im Original",
            ),
        )
    ]


def test_a_per_person_note_stays_beside_the_count(
    office: tuple[Office, dict[str, Service]],
) -> None:
    the_office, svc = office
    make_document(svc["registration"], "Kopie des Mietvertrags", per_person=True, note="je Seite")
    demand = resolve_demand(office=the_office, pairs=[(svc["registration"].pk, 3)])
    (copy,) = [item for item in visit_summary(demand).checklist if item.name.startswith("Kopie")]
    assert (copy.count, copy.per_person, copy.note) == (3, True, "je Seite")


def test_a_per_visit_document_counts_once_whatever_the_persons(
    office: tuple[Office, dict[str, Service]],
) -> None:
    the_office, svc = office
    demand = resolve_demand(office=the_office, pairs=[(svc["registration"].pk, 4)])
    counts = {item.name: item.count for item in visit_summary(demand).checklist}
    assert counts == {"Ausweis": 4, "Wohnungsgeberbestätigung": 1}


def test_checklist_names_and_notes_follow_the_active_language(
    office: tuple[Office, dict[str, Service]],
) -> None:
    the_office, svc = office
    make_document(svc["registration"], "Mietvertrag", "Tenancy agreement", note="je Seite")
    Document.objects.filter(document_type__name="Mietvertrag").update(note_en="per page")
    demand = resolve_demand(office=the_office, pairs=[(svc["registration"].pk, 1)])
    with translation.override("en"):
        checklist = visit_summary(demand).checklist
    assert ("Tenancy agreement", "per page") in [(item.name, item.note) for item in checklist]


def test_a_demand_takes_the_time_its_services_need(
    office: tuple[Office, dict[str, Service]],
) -> None:
    the_office, svc = office
    demand = resolve_demand(office=the_office, pairs=[(svc["id_card"].pk, 2)])
    assert visit_summary(demand).duration_minutes == 30


def test_a_booked_visit_keeps_its_duration_when_the_service_changes(
    office: tuple[Office, dict[str, Service]],
) -> None:
    the_office, svc = office
    demand = resolve_demand(office=the_office, pairs=[(svc["id_card"].pk, 2)])
    with time_machine.travel(NOW, tick=False):
        appointment, _token = services.appointment_book(
            demand=demand,
            start=MONDAY_EIGHT,
            citizen=services.CitizenDetails(name="Erika", email="erika@example.org"),
        )
    Service.objects.filter(pk=svc["id_card"].pk).update(first_person_minutes=45)
    summary = visit_summary(appointment)
    assert summary.duration_minutes == 30
    assert [(line.name, line.persons) for line in summary.lines] == [("Personalausweis", 2)]


def test_notes_of_one_document_read_as_one_text() -> None:
    assert join_notes(("Original.", "Only the first time.")) == "Original. Only the first time."
    assert join_notes(("per page", "certified copy")) == "per page; certified copy"
    assert join_notes(("Nur einmal",)) == "Nur einmal"
    assert join_notes(()) == ""
