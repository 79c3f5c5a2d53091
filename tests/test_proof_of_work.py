"""Proof of work (ALTCHA) before holding and booking: verified once, refused when wrong,
replayed or expired, harder for an address that asks often; trusted servers are exempt; pages
without JavaScript still work, under stricter rules."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import altcha
import pytest
import time_machine
from django.test import Client, RequestFactory, override_settings

from amtstermin.booking.models import Appointment, AppointmentStatus
from amtstermin.notifications.models import Message, MessageKind
from amtstermin.ratelimit import proof_of_work
from amtstermin.ratelimit.models import UsedChallenge
from amtstermin.ratelimit.proof_of_work import Verdict
from tests.citizen.conftest import MONDAY_8, VALID_DETAILS, instant
from tests.factories import SmallOffice, small_office
from tests.proof import solved

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)  # Tuesday 10:00 in Berlin


def fetched(client: Client) -> dict[str, Any]:
    response = client.get("/api/v1/challenge")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    return dict(response.json())


@pytest.fixture
def office(db: None) -> Any:
    with time_machine.travel(NOW, tick=False):
        yield small_office()


@pytest.mark.django_db
def test_a_solution_is_accepted_once() -> None:
    payload = solved(proof_of_work.new_challenge(RequestFactory().get("/")))
    assert proof_of_work.verify(payload) == Verdict.VERIFIED
    assert proof_of_work.verify(payload) == Verdict.REPLAYED
    assert UsedChallenge.objects.count() == 1


@pytest.mark.django_db
def test_wrong_tampered_foreign_and_garbled_solutions_are_invalid() -> None:
    challenge = proof_of_work.new_challenge(RequestFactory().get("/"))
    good = json.loads(base64.b64decode(solved(challenge)))
    wrong = {**good, "solution": {**good["solution"], "counter": good["solution"]["counter"] + 1}}
    cheaper = json.loads(json.dumps(good))
    cheaper["challenge"]["parameters"]["keyPrefix"] = ""  # any key would do: the signature says no
    foreign = altcha.create_challenge(algorithm="PBKDF2/SHA-256", cost=1, hmac_secret="other")
    for payload in (
        base64.b64encode(json.dumps(wrong).encode()).decode(),
        base64.b64encode(json.dumps(cheaper).encode()).decode(),
        solved(foreign.to_dict()),
        "not base64 at all",
    ):
        assert proof_of_work.verify(payload) == Verdict.INVALID
    assert proof_of_work.verify("") == proof_of_work.verify(None) == Verdict.MISSING
    assert not UsedChallenge.objects.exists()


@pytest.mark.django_db
def test_an_expired_challenge_is_refused_and_pruned_later() -> None:
    with time_machine.travel(NOW, tick=False):
        payload = solved(proof_of_work.new_challenge(RequestFactory().get("/"), now=NOW))
    with time_machine.travel(NOW + timedelta(minutes=31), tick=False):
        assert proof_of_work.verify(payload) == Verdict.EXPIRED
    with time_machine.travel(NOW, tick=False):
        assert proof_of_work.verify(payload) == Verdict.VERIFIED
    assert proof_of_work.prune(NOW + timedelta(minutes=29)) == 0
    assert proof_of_work.prune(NOW + timedelta(minutes=31)) == 1


@override_settings(POW_COST=100, POW_EASY_CHALLENGES=3)
@pytest.mark.django_db
def test_the_difficulty_doubles_for_an_address_that_asks_often() -> None:
    request = RequestFactory().get("/", REMOTE_ADDR="203.0.113.9")
    costs = [proof_of_work.new_challenge(request)["parameters"]["cost"] for _ in range(22)]
    assert costs[:3] == [100] * 3 and costs[3:6] == [200] * 3 and costs[6] == 400
    assert costs[-1] == 100 * 2**proof_of_work.MAX_DOUBLINGS  # capped
    other = RequestFactory().get("/", REMOTE_ADDR="198.51.100.7")
    assert proof_of_work.new_challenge(other)["parameters"]["cost"] == 100


# --- The API ----------------------------------------------------------------------------------


def booking(office: SmallOffice, minute: str) -> str:
    the_office, svc, _counters = office
    return json.dumps(
        {
            "office_id": the_office.pk,
            "services": [{"service_id": svc["id_card"].pk, "persons": 1}],
            "start": f"2026-12-07T08:{minute}",
            "name": "Erika Mustermann",
            "email": f"erika{minute}@example.org",
        }
    )


@override_settings(API_REQUIRE_PROOF_OF_WORK=True)
def test_the_api_books_only_with_a_fresh_solution(office: SmallOffice) -> None:
    client = Client(headers={"Accept-Language": "en"})
    with time_machine.travel(NOW, tick=False):
        without = client.post("/api/v1/appointments", booking(office, "00"), "application/json")
        payload = solved(fetched(client))
        first = client.post(
            "/api/v1/appointments",
            booking(office, "15"),
            "application/json",
            headers={"X-Altcha": payload},
        )
        replayed = client.post(
            "/api/v1/appointments",
            booking(office, "30"),
            "application/json",
            headers={"X-Altcha": payload},
        )
    assert without.status_code == 403 and "X-Altcha" in without.json()["detail"]
    assert first.status_code == 201
    assert replayed.status_code == 403
    assert Appointment.objects.count() == 1


@override_settings(
    API_REQUIRE_PROOF_OF_WORK=True, API_KEYS=["town-web-site-key"], API_BOOKING_LIMIT_PER_HOUR=1
)
def test_a_trusted_server_needs_no_proof_and_no_address_limit(office: SmallOffice) -> None:
    client = Client(headers={"Authorization": "Bearer town-web-site-key"})
    with time_machine.travel(NOW, tick=False):
        statuses = [
            client.post("/api/v1/appointments", booking(office, m), "application/json").status_code
            for m in ("00", "15", "30")
        ]
        wrong_key = Client(headers={"Authorization": "Bearer guessed"}).post(
            "/api/v1/appointments", booking(office, "45"), "application/json"
        )
    assert statuses == [201, 201, 201]
    assert wrong_key.status_code == 403


# --- The pages --------------------------------------------------------------------------------


def hold(client: Client, office: SmallOffice, proof: str | None) -> Any:
    the_office, svc, _counters = office
    data = {"services": f"{svc['id_card'].pk}:1", "start": instant(MONDAY_8)}
    if proof is not None:
        data["altcha"] = proof
    return client.post(f"/o/{the_office.pk}/hold/", data)


def test_a_bad_solution_holds_nothing_and_says_why(office: SmallOffice) -> None:
    client = Client(headers={"Accept-Language": "en"})
    with time_machine.travel(NOW, tick=False):
        response = hold(client, office, "forged")
    assert response.status_code == 400
    assert "security check" in response.content.decode()
    assert not Appointment.objects.exists()


@override_settings(HOLD_LIMIT_WITHOUT_PROOF_PER_HOUR=1)
def test_without_javascript_holds_are_limited_more_strictly(office: SmallOffice) -> None:
    client = Client()
    with time_machine.travel(NOW, tick=False):
        first = hold(client, office, None)
        second = hold(client, office, "")
        with_proof = hold(client, office, solved(fetched(client)))
    assert first["Location"] == "/booking/details/"
    assert second["Location"] == f"/o/{office[0].pk}/"  # refused: too many
    assert with_proof["Location"] == "/booking/details/"


@pytest.mark.parametrize(("with_proof", "status"), [(True, "confirmed"), (False, "pending")])
def test_a_booking_without_proof_waits_for_the_e_mail_link(
    office: SmallOffice, with_proof: bool, status: str
) -> None:
    client = Client()
    with time_machine.travel(NOW, tick=False):
        hold(client, office, solved(fetched(client)))
        client.post("/booking/details/", VALID_DETAILS)
        page = client.get("/booking/review/").content.decode()
        assert 'name="altcha"' in page and "data-proof-widget" in page
        proof = solved(fetched(client)) if with_proof else ""
        client.post("/booking/review/", {"altcha": proof})
    appointment = Appointment.objects.get()
    assert appointment.status == AppointmentStatus(status)
    asked = Message.objects.filter(appointment=appointment, kind=MessageKind.CONFIRM_REQUEST)
    assert asked.exists() is (not with_proof)
