"""The waitlist's fixed points in API v1: leave a wish (201, 422, 409), read it, withdraw it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.test import Client, override_settings

from amtstermin.booking import waitlist
from amtstermin.booking.models import WaitlistEntry, WaitlistStatus
from amtstermin.booking.waitlist_selectors import wish_by_token
from amtstermin.reports.models import DailyServiceFigures
from tests.booking.waitlist_cast import NOW, OneTime, one_time_office
from tests.factories import A_MONDAY
from tests.proof import solved

MONDAY = A_MONDAY.isoformat()


@pytest.fixture
def place(db: None) -> Iterator[OneTime]:
    with time_machine.travel(NOW, tick=False):
        yield one_time_office()


@pytest.fixture
def client() -> Client:
    return Client(headers={"Accept-Language": "en"})


def body(place: OneTime, **overrides: Any) -> dict[str, Any]:
    [item] = place.demand.items
    return {
        "office_id": place.office.pk,
        "services": [{"service_id": item.service.pk, "persons": 1}],
        "from": MONDAY,
        "to": MONDAY,
        "name": "Erika Mustermann",
        "email": "erika@example.org",
        **overrides,
    }


def post(client: Client, payload: dict[str, Any]) -> Any:
    return client.post("/api/v1/waitlist", payload, content_type="application/json")


def test_a_wish_is_created_pending_with_its_token(client: Client, place: OneTime) -> None:
    response = post(client, body(place))

    assert response.status_code == 201
    assert response.json()["status"] == "pending"
    entry = wish_by_token(response.json()["token"])
    assert entry is not None and entry.email == "erika@example.org"
    assert entry.language == "en"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"to": "2026-12-06"}, "to"),
        ({"from": "7.12.2026"}, "from"),
        ({"services": [{"service_id": 999999, "persons": 1}]}, "services"),
        ({"email": "not an address"}, "email"),
        ({"office_id": 999999}, "office_id"),
        ({"weekdays": [0]}, "weekdays"),
    ],
)
def test_bad_input_is_a_422_naming_the_field(
    client: Client, place: OneTime, overrides: dict[str, Any], field: str
) -> None:
    response = post(client, body(place, **overrides))

    assert response.status_code == 422
    assert field in response.json()["errors"]


def test_beyond_the_address_limit_is_a_409_naming_it(client: Client, place: OneTime) -> None:
    assert post(client, body(place)).status_code == 201
    assert post(client, body(place, email="Erika+2@example.org")).status_code == 201

    response = post(client, body(place, email="ERIKA@example.org"))

    assert response.status_code == 409
    assert "2 wishes" in response.json()["detail"]


def test_reading_a_wish_shows_its_status_and_offer(client: Client, place: OneTime) -> None:
    token = post(client, body(place)).json()["token"]
    assert client.get(f"/api/v1/waitlist/{token}").json() == {"status": "pending", "offer": None}
    entry = WaitlistEntry.objects.get()
    waitlist.waitlist_activate(entry=entry, now=NOW)

    answer = client.get(f"/api/v1/waitlist/{token}").json()

    assert answer == {
        "status": "offered",
        "offer": {
            "start": "2026-12-07T08:00:00+01:00",
            "end": "2026-12-07T08:30:00+01:00",
            "expires_at": "2026-12-01T12:00:00+01:00",
        },
    }


def test_deleting_withdraws_and_a_second_delete_is_no_error(client: Client, place: OneTime) -> None:
    token = post(client, body(place)).json()["token"]

    assert client.delete(f"/api/v1/waitlist/{token}").status_code == 204
    assert client.delete(f"/api/v1/waitlist/{token}").status_code == 204
    assert WaitlistEntry.objects.get().status == WaitlistStatus.CANCELLED


def test_an_unknown_token_is_a_404(client: Client, place: OneTime) -> None:
    assert client.get("/api/v1/waitlist/nope").status_code == 404
    assert client.delete("/api/v1/waitlist/nope").status_code == 404


@override_settings(API_REQUIRE_PROOF_OF_WORK=True, API_KEYS=["town-web-site-key"])
def test_a_public_client_needs_a_proof_of_work_and_a_trusted_server_does_not(
    client: Client, place: OneTime
) -> None:
    assert post(client, body(place)).status_code == 403
    challenge = client.get("/api/v1/challenge").json()
    proven = client.post(
        "/api/v1/waitlist",
        body(place),
        content_type="application/json",
        headers={"X-Altcha": solved(challenge)},
    )
    assert proven.status_code == 201
    trusted = Client(headers={"Authorization": "Bearer town-web-site-key"})
    assert post(trusted, body(place, email="max@example.org")).status_code == 201
    assert WaitlistEntry.objects.count() == 2


def test_a_sign_up_is_counted_for_the_statistics(client: Client, place: OneTime) -> None:
    post(client, body(place))
    [item] = place.demand.items
    figures = DailyServiceFigures.objects.get(office=place.office, service=item.service)
    assert figures.day == NOW.date() and figures.waitlist_signups == 1
