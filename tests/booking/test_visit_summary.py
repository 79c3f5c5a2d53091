"""One summary of a visit (services, documents, fees, duration) for pages, API, staff, e-mails."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
import time_machine

from amtstermin.booking import services
from amtstermin.booking.demand import resolve_demand
from amtstermin.booking.models import Office, Service
from amtstermin.booking.visit import ChecklistItem, visit_summary
from tests.factories import small_office

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
    assert [(line.name, line.persons, line.fee) for line in summary.lines] == [
        ("Personalausweis", 2, Decimal("74.00")),  # 37.00 per person
        ("Anmeldung", 4, None),
    ]
    assert summary.fee_total == Decimal("74.00") and summary.has_fee


def test_a_fee_per_visit_counts_once(office: tuple[Office, dict[str, Service]]) -> None:
    the_office, svc = office
    Service.objects.filter(pk=svc["id_card"].pk).update(fee_per_person=False)
    demand = resolve_demand(office=the_office, pairs=[(svc["id_card"].pk, 3)])
    assert visit_summary(demand).fee_total == Decimal("37.00")


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
        ChecklistItem(name="Passfoto", count=2, note=""),
        ChecklistItem(name="Ausweis", count=4, note=""),
        ChecklistItem(name="Wohnungsgeberbestätigung", count=1, note=""),
    )


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
