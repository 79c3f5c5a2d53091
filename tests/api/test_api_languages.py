"""The API answers in the language of Accept-Language, German where none fits or where the
office has not translated a text, and names the language it used in Content-Language."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
import time_machine
from django.conf import settings
from django.test import Client

from amtstermin.booking.demo import load_demo
from amtstermin.booking.demo_service_texts import NAMES
from amtstermin.booking.models import DocumentType, Office, Service
from tests.factories import small_office

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def _translated_office() -> tuple[Office, dict[str, Service]]:
    office, services, _counters = small_office()
    Service.objects.filter(pk=services["id_card"].pk).update(
        name_tr="Kimlik kartı", name_ar="بطاقة الهوية", description_de="Neu.", description_tr=""
    )
    DocumentType.objects.filter(office=office, name_de="Passfoto").update(
        name_tr="Vesikalık fotoğraf", name_ar="صورة شخصية"
    )
    Office.objects.filter(pk=office.pk).update(
        address_note_de="Eingang B.", address_note_ar="المدخل B."
    )
    return office, services


def _services(language: str, office: Office, **headers: str) -> Any:
    return Client().get(
        f"/api/v1/offices/{office.pk}/services", headers={"Accept-Language": language, **headers}
    )


@pytest.mark.parametrize(
    "asked, used, name, document",
    [
        ("tr", "tr", "Kimlik kartı", "Vesikalık fotoğraf"),
        ("tr-TR,tr;q=0.9,en;q=0.5", "tr", "Kimlik kartı", "Vesikalık fotoğraf"),
        ("ar", "ar", "بطاقة الهوية", "صورة شخصية"),
        ("en", "en", "Personalausweis (en)", "Photo"),
        ("fr-FR, it;q=0.8", "de", "Personalausweis", "Passfoto"),
        ("", "de", "Personalausweis", "Passfoto"),
    ],
)
def test_services_come_in_the_language_asked_for_and_say_which(
    asked: str, used: str, name: str, document: str
) -> None:
    office, _service_rows = _translated_office()
    response = _services(asked, office)
    assert response["Content-Language"] == used
    assert "Accept-Language" in response["Vary"]
    id_card = response.json()[0]
    assert (id_card["name"], id_card["documents"][0]["name"]) == (name, document)


def test_a_text_not_translated_comes_in_german() -> None:
    office, _service_rows = _translated_office()
    id_card = _services("tr", office).json()[0]
    assert id_card["description"] == "Neu."  # empty in Turkish
    assert id_card["documents"][1]["name"] == "Ausweis"  # never translated


def test_the_language_cookie_of_the_booking_pages_does_not_decide_for_the_api() -> None:
    office, _service_rows = _translated_office()
    client = Client(headers={"Accept-Language": "tr"})
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ar"
    response = client.get(f"/api/v1/offices/{office.pk}/services")
    assert response["Content-Language"] == "tr"
    assert response.json()[0]["name"] == "Kimlik kartı"


@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES])
def test_every_language_of_the_site_is_named_in_content_language(language: str) -> None:
    office, _service_rows = _translated_office()
    for path in ("/api/v1/offices", f"/api/v1/offices/{office.pk}/services", "/api/v1/nothing"):
        response = Client().get(path, headers={"Accept-Language": f"{language}-XX"})
        assert response["Content-Language"] == language, path


def test_offices_give_their_way_in_in_the_language_asked_for() -> None:
    _translated_office()
    (arabic,) = Client().get("/api/v1/offices", headers={"Accept-Language": "ar"}).json()
    (turkish,) = Client().get("/api/v1/offices", headers={"Accept-Language": "tr"}).json()
    assert (arabic["address_note"], turkish["address_note"]) == ("المدخل B.", "Eingang B.")


def test_the_demo_office_names_its_services_in_turkish() -> None:
    office, _created = load_demo()
    response = _services("tr", office)
    names = [service["name"] for service in response.json()]
    german = [service["name"] for service in _services("de", office).json()]
    assert response["Content-Language"] == "tr"
    assert names == [text["tr"] for text in NAMES.values()]
    assert not set(names) & set(german)


def test_an_appointment_answer_names_its_services_in_the_language_asked_for() -> None:
    office, services = _translated_office()
    payload = {
        "office_id": office.pk,
        "services": [{"service_id": services["id_card"].pk, "persons": 1}],
        "start": "2026-12-07T08:00",
        "name": "Ayşe Yılmaz",
        "email": "ayse@example.org",
    }
    with time_machine.travel(NOW, tick=False):
        booked = Client().post(
            "/api/v1/appointments",
            payload,
            content_type="application/json",
            headers={"Accept-Language": "tr"},
        )
        assert booked.status_code == 201, booked.content
        body = booked.json()
        again = Client().get(
            f"/api/v1/appointments/{body['token']}", headers={"Accept-Language": "ar"}
        )
    assert body["services"][0]["name"] == "Kimlik kartı"
    assert body["documents"][0]["name"] == "Vesikalık fotoğraf"
    assert booked["Content-Language"] == "tr"
    assert again.json()["services"][0]["name"] == "بطاقة الهوية"
    assert again["Content-Language"] == "ar"


def test_the_document_names_content_language_on_every_answer() -> None:
    document = Client().get("/api/v1/openapi.json").json()
    codes = [code for code, _name in settings.LANGUAGES]
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            for status, answer in operation["responses"].items():
                header = answer["headers"]["Content-Language"]
                assert header["schema"]["enum"] == codes, (path, method, status)
