"""A client that lost the answer sends its booking again with the same Idempotency-Key."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client

from amtstermin.api.models import IdempotencyKey
from amtstermin.booking.models import Appointment
from amtstermin.booking.tasks import purge_daily
from tests.factories import A_MONDAY, OfficeAndServices, small_office

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
KEY = "5f0c7e4e-3b7a-4d0e-9a52-8f9d1c2b3a4e"


@pytest.fixture
def now() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def office(db: None, now: time_machine.Traveller) -> OfficeAndServices:
    the_office, svc, _counters = small_office()
    return the_office, svc


@pytest.fixture
def client() -> Client:
    return Client(headers={"Accept-Language": "en"})


def payload(office: Any, svc: dict[str, Any], **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "office_id": office.pk,
        "services": [{"service_id": svc["id_card"].pk, "persons": 1}],
        "start": f"{A_MONDAY.isoformat()}T08:00",
        "name": "Erika Mustermann",
        "email": "erika@example.org",
    }
    body.update(overrides)
    return body


def book(client: Client, body: dict[str, Any], key: str | None = KEY) -> Any:
    headers = {"Idempotency-Key": key} if key is not None else {}
    return client.post(
        "/api/v1/appointments", body, content_type="application/json", headers=headers
    )


def test_a_retry_with_the_same_key_and_body_gets_the_first_answer(
    client: Client, office: OfficeAndServices
) -> None:
    first = book(client, payload(*office))
    again = book(client, payload(*office))
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert Appointment.objects.count() == 1


def test_the_body_counts_as_parsed_not_as_written(
    client: Client, office: OfficeAndServices
) -> None:
    the_office, svc = office
    first = book(client, payload(the_office, svc))
    # Keys in another order and the default number of persons written out: the same request.
    body = dict(reversed(payload(the_office, svc).items()))
    body["services"] = [{"persons": 1, "service_id": svc["id_card"].pk}]
    again = book(client, body)
    assert again.status_code == 201
    assert again.json()["code"] == first.json()["code"]


def test_the_same_key_with_another_body_is_a_422(client: Client, office: OfficeAndServices) -> None:
    book(client, payload(*office))
    other = book(client, payload(*office, start=f"{A_MONDAY.isoformat()}T09:00"))
    assert other.status_code == 422
    assert "another request" in other.json()["errors"]["Idempotency-Key"]
    assert Appointment.objects.count() == 1


def test_a_key_answers_retries_for_24_hours(
    client: Client, office: OfficeAndServices, now: time_machine.Traveller
) -> None:
    first = book(client, payload(*office)).json()["code"]
    now.shift(timedelta(hours=23, minutes=59))
    assert book(client, payload(*office)).json()["code"] == first
    now.shift(timedelta(minutes=1, seconds=1))
    # Then it is a new request: the small office's other counter takes the same time.
    again = book(client, payload(*office))
    assert again.status_code == 201
    assert again.json()["code"] != first
    assert Appointment.objects.count() == 2


def test_a_retry_after_a_cancellation_shows_the_cancelled_booking(
    client: Client, office: OfficeAndServices
) -> None:
    first = book(client, payload(*office)).json()
    client.delete(f"/api/v1/appointments/{first['token']}")
    again = book(client, payload(*office))
    assert again.status_code == 201
    assert (again.json()["code"], again.json()["status"]) == (first["code"], "cancelled")
    assert Appointment.objects.count() == 1


def test_only_bookings_are_remembered(client: Client, office: OfficeAndServices) -> None:
    refused = book(client, payload(*office, start=f"{A_MONDAY.isoformat()}T14:00"))
    assert refused.status_code == 422
    # The refusal changed nothing: the key is free for a corrected request, and then taken.
    first = book(client, payload(*office))
    again = book(client, payload(*office))
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json()["code"] == first.json()["code"]


def test_a_key_that_cannot_be_stored_keeps_no_booking(
    client: Client, office: OfficeAndServices, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(IdempotencyKey.objects, "create", crash)
    assert book(client, payload(*office)).status_code == 500
    assert not Appointment.objects.exists()


def crash(*args: object, **kwargs: object) -> None:
    raise RuntimeError("the server died here")


@pytest.mark.parametrize("key", ["", "x" * 256, "mit Leerzeichen", "tab\there", "schlüssel"])
def test_a_malformed_key_is_a_422(client: Client, office: OfficeAndServices, key: str) -> None:
    response = book(client, payload(*office), key=key)
    assert response.status_code == 422
    assert "Idempotency-Key" in response.json()["errors"]
    assert not Appointment.objects.exists()


def test_a_key_of_255_visible_characters_is_fine_and_256_too_many(
    client: Client, office: OfficeAndServices
) -> None:
    assert book(client, payload(*office), key="~" * 256).status_code == 422
    assert book(client, payload(*office), key="~" * 255).status_code == 201


def test_keys_hold_neither_the_key_nor_personal_data(
    client: Client, office: OfficeAndServices
) -> None:
    token = book(client, payload(*office)).json()["token"]
    stored = " ".join(
        str(value) for value in IdempotencyKey.objects.values_list().get() if value is not None
    )
    for secret in (KEY, token, "Erika", "erika@example.org"):
        assert secret not in stored


def test_the_nightly_purge_deletes_keys_older_than_a_day(
    client: Client, office: OfficeAndServices, now: time_machine.Traveller
) -> None:
    book(client, payload(*office))
    now.shift(timedelta(hours=23))
    book(client, payload(*office, start=f"{A_MONDAY.isoformat()}T09:00"), key="a-later-key")
    now.shift(timedelta(hours=1, seconds=1))
    purge_daily.call()
    assert IdempotencyKey.objects.count() == 1
