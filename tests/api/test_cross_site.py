"""No web page can book through its visitors' browsers: write requests must be JSON (a browser
asks the server before sending JSON to another site), and only listed sites are told yes."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
import time_machine
from django.test import Client, override_settings

from amtstermin.booking.models import Appointment, AppointmentStatus
from tests.factories import A_MONDAY, OfficeAndServices, small_office

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
FOREIGN = "https://evil.example"
TOWN = "https://www.musterstadt.de"
PREFLIGHT = {
    "Origin": FOREIGN,
    "Access-Control-Request-Method": "POST",
    "Access-Control-Request-Headers": "content-type",
}


@pytest.fixture
def office(db: None) -> Iterator[OfficeAndServices]:
    with time_machine.travel(NOW, tick=False):
        the_office, svc, _counters = small_office()
        yield the_office, svc


@pytest.fixture
def client() -> Client:
    return Client(headers={"Accept-Language": "en"})


def body(office: Any, svc: dict[str, Any]) -> str:
    return json.dumps(
        {
            "office_id": office.pk,
            "services": [{"service_id": svc["id_card"].pk, "persons": 1}],
            "start": f"{A_MONDAY.isoformat()}T08:00",
            "name": "Erika Mustermann",
            "email": "erika@example.org",
        }
    )


def cors_headers(response: Any) -> set[str]:
    return {name.lower() for name in response.headers if name.lower().startswith("access-control")}


@pytest.mark.parametrize(
    "content_type",
    ["text/plain", "text/plain;charset=UTF-8", "application/x-www-form-urlencoded", ""],
)
def test_a_booking_that_is_not_declared_json_is_a_415_and_books_nothing(
    client: Client, office: OfficeAndServices, content_type: str
) -> None:
    response = client.post(
        "/api/v1/appointments",
        body(*office),
        content_type=content_type,
        headers={"Origin": FOREIGN},
    )
    assert response.status_code == 415
    assert response.json() == {
        "detail": "Send the request body as JSON (Content-Type: application/json)."
    }
    assert not Appointment.objects.exists()


def test_the_media_type_decides_not_the_text_of_the_header(
    client: Client, office: OfficeAndServices
) -> None:
    def post(content_type: str) -> Any:
        return client.post("/api/v1/appointments", body(*office), content_type=content_type)

    assert post("application/json-seq").status_code == 415
    assert post("application/json; charset=utf-8").status_code == 201


def test_every_documented_write_refuses_a_body_not_declared_json(
    client: Client, office: OfficeAndServices
) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    writes = [
        (re.sub(r"\{[^}]*\}", "1", path), method)
        for path, operations in paths.items()
        for method in operations
        if method in {"post", "put", "patch", "delete"}
    ]
    assert writes
    for url, method in writes:
        response = getattr(client, method)(url, body(*office), content_type="text/plain")
        assert response.status_code == 415, (method, url)


def test_a_cancellation_with_a_text_body_is_a_415_and_one_without_a_body_cancels(
    client: Client, office: OfficeAndServices
) -> None:
    token = client.post(
        "/api/v1/appointments", body(*office), content_type="application/json"
    ).json()["token"]
    response = client.delete(f"/api/v1/appointments/{token}", "x=1", content_type="text/plain")
    assert response.status_code == 415
    assert Appointment.objects.get().status == AppointmentStatus.CONFIRMED
    assert client.delete(f"/api/v1/appointments/{token}").status_code == 204
    assert Appointment.objects.get().status == AppointmentStatus.CANCELLED


def preflight(client: Client, origin: str) -> Any:
    return client.options("/api/v1/appointments", headers={**PREFLIGHT, "Origin": origin})


def read(client: Client, origin: str) -> Any:
    return client.get("/api/v1/offices", headers={"Origin": origin})


@pytest.mark.parametrize("request_of", [preflight, read])
def test_only_listed_sites_get_cors_headers(
    client: Client, office: OfficeAndServices, request_of: Callable[[Client, str], Any]
) -> None:
    with override_settings(CORS_ALLOWED_ORIGINS=[TOWN]):
        assert request_of(client, TOWN)["Access-Control-Allow-Origin"] == TOWN
        assert cors_headers(request_of(client, FOREIGN)) == set()
    with override_settings(CORS_ALLOWED_ORIGINS=[]):
        assert cors_headers(request_of(client, TOWN)) == set()


@override_settings(CORS_ALLOWED_ORIGINS=[TOWN])
def test_a_listed_site_may_send_json_and_an_idempotency_key(
    client: Client, office: OfficeAndServices
) -> None:
    response = preflight(client, TOWN)
    assert "POST" in response["Access-Control-Allow-Methods"]
    allowed = {name.strip() for name in response["Access-Control-Allow-Headers"].split(",")}
    assert {"content-type", "idempotency-key"} <= allowed
    assert "Access-Control-Allow-Credentials" not in response


@override_settings(CORS_ALLOWED_ORIGINS=[TOWN])
def test_a_listed_site_may_read_the_retry_after_header(
    client: Client, office: OfficeAndServices
) -> None:
    assert "Retry-After" in read(client, TOWN)["Access-Control-Expose-Headers"]


@override_settings(CORS_ALLOWED_ORIGINS=[TOWN])
def test_only_the_api_gets_cors_headers(client: Client, office: OfficeAndServices) -> None:
    assert cors_headers(read(client, TOWN))
    assert cors_headers(client.get("/", headers={"Origin": TOWN})) == set()
