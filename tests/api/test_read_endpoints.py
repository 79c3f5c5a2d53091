"""The two read-only endpoints of the foundation: offices and services with documents."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from amtstermin.booking.models import DocumentType
from tests.factories import make_service, small_office


@pytest.mark.django_db
def test_offices_lists_the_contract_fields(client: Client) -> None:
    office, _services, _counters = small_office()
    response = client.get("/api/v1/offices")
    assert response.status_code == 200
    assert response.json() == [
        {
            "id": office.pk,
            "name": "Bürgerbüro Teststadt",
            "address": "Rathausplatz 2, 54321 Teststadt",
            "address_note": "",
            "time_zone": "Europe/Berlin",
            "bookable_from": None,
            "horizon_days": 42,
            "slot_minutes": 5,
        }
    ]


@pytest.mark.django_db
def test_services_come_with_documents_in_german_by_default(client: Client) -> None:
    office, services, _counters = small_office()
    body = client.get(f"/api/v1/offices/{office.pk}/services").json()
    assert [s["name"] for s in body] == ["Personalausweis", "Anmeldung", "Beglaubigung"]
    id_card = body[0]
    entry = dict(DocumentType.objects.filter(office=office).values_list("name", "pk"))
    assert set(id_card) == {
        "id",
        "name",
        "description",
        "first_person_minutes",
        "per_person_minutes",
        "max_persons",
        "online_bookable",
        "fee",
        "documents",
    }
    assert id_card["id"] == services["id_card"].pk
    assert id_card["first_person_minutes"] == 15
    assert Decimal(id_card["fee"]["amount"]) == Decimal("37.00")
    assert id_card["fee"]["per_person"] is True
    assert id_card["documents"] == [
        {"name": "Passfoto", "per_person": True, "note": "", "document_id": entry["Passfoto"]},
        {"name": "Ausweis", "per_person": True, "note": "", "document_id": entry["Ausweis"]},
    ]
    # The registration asks for the same catalogue entry as the ID card.
    assert {"name": "Ausweis", "per_person": True, "note": "", "document_id": entry["Ausweis"]} in (
        body[1]["documents"]
    )
    assert body[2]["online_bookable"] is False
    assert body[1]["fee"] is None


@pytest.mark.django_db
def test_services_follow_accept_language(client: Client) -> None:
    office, _services, _counters = small_office()
    body = client.get(
        f"/api/v1/offices/{office.pk}/services", headers={"Accept-Language": "en"}
    ).json()
    assert body[0]["name"] == "Personalausweis (en)"
    assert body[0]["documents"][0]["name"] == "Photo"


@pytest.mark.django_db
def test_unknown_office_is_a_json_404(client: Client) -> None:
    response = client.get("/api/v1/offices/999999/services", headers={"Accept-Language": "en"})
    assert response.status_code == 404
    assert response.json() == {"detail": "No such office."}


@pytest.mark.django_db
def test_openapi_document_describes_both_endpoints(client: Client) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/offices" in schema["paths"]
    assert "/api/v1/offices/{office_id}/services" in schema["paths"]


@pytest.mark.django_db
def test_the_api_marks_a_service_without_an_online_counter(client: Client) -> None:
    office, services, _counters = small_office()
    hidden = make_service(office, "Fischereischein", 10)
    body = client.get(f"/api/v1/offices/{office.pk}/services").json()
    flags = {service["id"]: service["online_bookable"] for service in body}
    assert flags[hidden.pk] is False
    assert flags[services["id_card"].pk] is True
    assert flags[services["copies"].pk] is False  # staff only
    response = client.get(
        f"/api/v1/offices/{office.pk}/availability", {"services": f"{hidden.pk}:1"}
    )
    assert response.status_code == 422
    assert "Fischereischein" in response.json()["errors"]["services"]


@pytest.mark.django_db
def test_openapi_document_says_what_online_bookable_means(client: Client) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    field = schema["components"]["schemas"]["ServiceOut"]["properties"]["online_bookable"]
    assert "counter that is offered online" in field["description"]
    listing = schema["paths"]["/api/v1/offices/{office_id}/services"]["get"]
    assert "online_bookable: false" in listing["description"]
