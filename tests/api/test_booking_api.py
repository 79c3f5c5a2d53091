"""The booking API: availability, book, look up and cancel, with the error contract."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client

from amtstermin.api import schemas
from amtstermin.booking import locking, services
from amtstermin.booking.errors import Busy
from amtstermin.booking.models import Absence, Appointment, AppointmentStatus, Channel
from tests.factories import A_MONDAY, SmallOffice, small_office

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)  # Tuesday 10:00 in Berlin, six days before A_MONDAY
MONDAY = A_MONDAY.isoformat()  # 2026-12-07


@pytest.fixture
def now() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def client() -> Client:
    """Messages are checked in English, the source language; German is the default."""
    return Client(headers={"Accept-Language": "en"})


@pytest.fixture
def office(db: None, now: time_machine.Traveller) -> SmallOffice:
    return small_office()


def availability(client: Client, office_id: int, **params: str) -> Any:
    return client.get(f"/api/v1/offices/{office_id}/availability", params)


def book(client: Client, payload: dict[str, Any], **headers: str) -> Any:
    return client.post(
        "/api/v1/appointments", payload, content_type="application/json", headers=headers
    )


def payload_for(office: Any, svc: dict[str, Any], **overrides: Any) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "office_id": office.pk,
        "services": [
            {"service_id": svc["id_card"].pk, "persons": 2},
            {"service_id": svc["registration"].pk, "persons": 4},
        ],
        "start": f"{MONDAY}T08:00",
        "name": "Erika Mustermann",
        "email": "erika@example.org",
        "phone": "+49 (0)221 / 123-45",
    }
    payload.update(overrides)
    return payload


# --- Availability ---------------------------------------------------------------------------


def test_availability_lists_open_days_with_local_times(client: Client, office: SmallOffice) -> None:
    the_office, svc, _counters = office
    response = availability(
        client,
        the_office.pk,
        services=f"{svc['id_card'].pk}:1",
        **{"from": MONDAY, "to": (A_MONDAY + timedelta(days=6)).isoformat()},
    )
    assert response.status_code == 200
    body = response.json()
    assert body["duration_minutes"] == 15
    # Monday to Friday; the weekend has no opening hours and is left out.
    assert [day["date"] for day in body["days"]] == [
        (A_MONDAY + timedelta(days=offset)).isoformat() for offset in range(5)
    ]
    times = body["days"][0]["times"]
    # Wall times in Berlin (UTC+1): 08:00 every 5 minutes until the last 15 minutes before 12:00.
    assert times[:3] == ["08:00", "08:05", "08:10"]
    assert times[-1] == "11:45"
    assert len(times) == (11 * 60 + 45 - 8 * 60) // 5 + 1


def test_availability_duration_follows_services_and_persons(
    client: Client, office: SmallOffice
) -> None:
    the_office, svc, _counters = office
    demand = f"{svc['registration'].pk}:4,{svc['id_card'].pk}:1"
    body = availability(
        client, the_office.pk, services=demand, **{"from": MONDAY, "to": MONDAY}
    ).json()
    assert body["duration_minutes"] == 15 + 10 + 3 * 5
    assert body["days"][0]["times"][-1] == "11:20"


def test_availability_defaults_to_the_booking_window(client: Client, office: SmallOffice) -> None:
    the_office, svc, _counters = office
    body = availability(client, the_office.pk, services=str(svc["id_card"].pk)).json()
    dates = [day["date"] for day in body["days"]]
    # Today (10:00 local) is over once the two hours' lead time pass the 12:00 closing.
    assert dates[0] == "2026-12-02"
    assert dates[-1] <= (NOW.date() + timedelta(days=the_office.horizon_days)).isoformat()
    assert dates[-1] >= "2027-01-08"
    assert "2026-12-25" not in dates  # Christmas: a public holiday in every state
    assert all(day["times"] for day in body["days"])


def test_availability_accepts_exactly_93_days(client: Client, office: SmallOffice) -> None:
    the_office, svc, _counters = office
    response = availability(
        client,
        the_office.pk,
        services=str(svc["id_card"].pk),
        **{"from": "2026-12-01", "to": "2027-03-03"},
    )
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"services": "999999:1"}, "services", "not offered"),
        ({"services": "{id_card}:0"}, "services", "1 to 4 persons"),
        ({"services": "{id_card}:5"}, "services", "1 to 4 persons"),
        ({"services": "{copies}:1"}, "services", "cannot be booked online"),
        ({"services": "{id_card}:1,{id_card}:2"}, "services", "listed twice"),
        ({"services": "abc"}, "services", "SERVICE:PERSONS"),
        ({"services": "{id_card}:1,"}, "services", "SERVICE:PERSONS"),
        ({"services": " {id_card}"}, "services", "SERVICE:PERSONS"),
        ({"services": "+{id_card}:1"}, "services", "SERVICE:PERSONS"),
        ({"services": ""}, "services", "at least one"),
        ({"services": "{id_card}", "from": "2026-12-10", "to": "2026-12-09"}, "to", "before"),
        ({"services": "{id_card}", "from": "2026-12-01", "to": "2027-03-04"}, "to", "93 days"),
        ({"services": "{id_card}", "from": "2026-02-30"}, "from", "not a date"),
        ({"services": "{id_card}", "to": "2026-12-1"}, "to", "YYYY-MM-DD"),
        ({}, "services", "required"),
    ],
)
def test_availability_refuses_bad_input_with_a_message_per_field(
    client: Client, office: SmallOffice, params: dict[str, str], field: str, message: str
) -> None:
    the_office, svc, _counters = office
    ids = {name: service.pk for name, service in svc.items()}
    response = availability(
        client, the_office.pk, **{key: value.format(**ids) for key, value in params.items()}
    )
    assert response.status_code == 422
    body = response.json()
    assert isinstance(body["detail"], str) and body["detail"]
    assert message in body["errors"][field]


def test_availability_of_an_unknown_office_is_a_json_404(
    client: Client, office: SmallOffice
) -> None:
    for office_id in ("999999", "-3", "0", "99999999999999999999999999"):
        response = client.get(f"/api/v1/offices/{office_id}/availability", {"services": "1:1"})
        assert response.status_code == 404, office_id
        assert response.json() == {"detail": "No such office."}


# --- Booking --------------------------------------------------------------------------------


def test_booking_answers_the_contract_with_merged_checklist_and_fees(
    client: Client, office: SmallOffice
) -> None:
    the_office, svc, _counters = office
    response = book(client, payload_for(the_office, svc), **{"Accept-Language": "de"})
    assert response.status_code == 201
    body = response.json()
    token = body["token"]
    assert len(token) >= 43
    assert body["status"] == "confirmed"
    assert body["start"] == f"{MONDAY}T08:00:00+01:00"
    assert body["end"] == f"{MONDAY}T08:55:00+01:00"  # 15+15 (2 ID cards) + 10+3*5 (registering 4)
    assert body["cancellable_until"] == body["start"]  # cancelling online: until the start
    assert body["office_id"] == the_office.pk
    assert body["services"] == [
        {
            "service_id": svc["id_card"].pk,
            "name": "Personalausweis",
            "persons": 2,
            "fee": "74.00",
            "fee_per_person": "37.00",
        },
        {
            "service_id": svc["registration"].pk,
            "name": "Anmeldung",
            "persons": 4,
            "fee": None,
            "fee_per_person": None,
        },
    ]
    each = {"note": "", "notes": [], "per_person": True}
    assert body["documents"] == [
        {"name": "Passfoto", "count": 2, **each},
        {"name": "Ausweis", "count": 4, **each},  # asked by both services, listed once
        {"name": "Wohnungsgeberbestätigung", "count": 1, **each, "per_person": False},
    ]
    assert body["fee_total"] == "74.00"
    assert body["manage_url"] == f"http://testserver/manage/{token}/"
    stored = Appointment.objects.get()
    assert stored.code == body["code"]
    assert stored.channel == Channel.ONLINE
    assert stored.citizen_name == "Erika Mustermann"
    assert stored.phone == "+49 (0)221 / 123-45"
    assert stored.language == "de"


def test_booking_in_english_gives_english_names_and_stores_the_language(
    client: Client, office: SmallOffice
) -> None:
    the_office, svc, _counters = office
    body = book(client, payload_for(the_office, svc), **{"Accept-Language": "en"}).json()
    assert [line["name"] for line in body["services"]] == [
        "Personalausweis (en)",
        "Anmeldung (en)",
    ]
    assert [item["name"] for item in body["documents"]] == [
        "Photo",
        "ID card",
        "Landlord's confirmation",
    ]
    assert Appointment.objects.get().language == "en"
    got = client.get(f"/api/v1/appointments/{body['token']}", headers={"Accept-Language": "de"})
    assert got.json()["services"][0]["name"] == "Personalausweis"


def test_an_unsupported_language_is_stored_as_german(client: Client, office: SmallOffice) -> None:
    the_office, svc, _counters = office
    response = book(client, payload_for(the_office, svc), **{"Accept-Language": "fr-FR, it"})
    assert response.status_code == 201
    assert Appointment.objects.get().language == "de"


def test_booking_without_phone_and_with_one_person_default(
    client: Client, office: SmallOffice
) -> None:
    the_office, svc, _counters = office
    payload = payload_for(the_office, svc, services=[{"service_id": svc["id_card"].pk}])
    del payload["phone"]
    response = book(client, payload)
    assert response.status_code == 201
    assert response.json()["services"][0]["persons"] == 1
    assert response.json()["fee_total"] == "37.00"
    assert Appointment.objects.get().phone == ""


def test_whole_numbers_may_be_written_with_a_zero_fraction(
    client: Client, office: SmallOffice
) -> None:
    # JSON Schema, and so the OpenAPI document, counts 2.0 as an integer.
    the_office, svc, _counters = office
    payload = payload_for(
        the_office, svc, services=[{"service_id": float(svc["id_card"].pk), "persons": 2.0}]
    )
    payload["office_id"] = float(the_office.pk)
    response = book(client, payload)
    assert response.status_code == 201, response.content
    assert response.json()["services"][0]["persons"] == 2


def test_a_taken_time_is_a_409(client: Client, office: SmallOffice) -> None:
    the_office, svc, _counters = office
    one = payload_for(the_office, svc, services=[{"service_id": svc["id_card"].pk, "persons": 1}])
    assert book(client, one).status_code == 201
    # The ID card has two counters; others book the same time.
    assert book(client, {**one, "email": "max@example.org", "phone": ""}).status_code == 201
    response = book(client, {**one, "email": "jana@example.org", "phone": ""})
    assert response.status_code == 409
    assert "just been taken" in response.json()["detail"]
    assert Appointment.objects.count() == 2


def test_booking_needs_no_csrf_token(office: SmallOffice) -> None:
    the_office, svc, _counters = office
    strict = Client(enforce_csrf_checks=True)
    assert book(strict, payload_for(the_office, svc)).status_code == 201


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"name": ""}, "name", "enter your name"),
        ({"name": "   "}, "name", "enter your name"),
        ({"name": "x" * 201}, "name", "at most 200"),
        ({"name": "Erika\nMustermann"}, "name", "one line"),
        ({"name": "Erika\x00"}, "name", "one line"),
        ({"name": "Erika\u202eMustermann"}, "name", "one line"),
        ({"name": None}, "name", "Enter a text"),
        ({"email": "erika"}, "email", "valid e-mail"),
        ({"email": "erika@"}, "email", "valid e-mail"),
        ({"email": "e@x.de\nBcc: x@y.de"}, "email", "valid e-mail"),
        ({"email": "e" * 250 + "@x.de"}, "email", "at most 254"),
        ({"email": ""}, "email", "e-mail address"),
        ({"phone": "call me"}, "phone", "only digits"),
        ({"phone": "1" * 51}, "phone", "at most 50"),
        ({"start": f"{MONDAY}T08:03"}, "start", "every 5 minutes"),
        ({"start": "2026-11-30T08:00"}, "start", "in the past"),
        ({"start": "2026-12-01T11:00"}, "start", "2 hours ahead"),
        ({"start": "2027-02-01T08:00"}, "start", "can be booked from"),
        ({"start": f"{MONDAY}T14:00"}, "start", "does not offer"),
        ({"start": "2026-12-12T08:00"}, "start", "does not offer"),  # a Saturday
        ({"start": "2026-02-30T08:00"}, "start", "not a date and time"),
        ({"start": "7.12.2026 08:00"}, "start", "e.g. 2026-12-01T08:00"),
        ({"start": "1970-01-01T00:00"}, "start", "in the past"),
        ({"start": "9999-12-31T23:55"}, "start", "too far"),
        ({"office_id": 999999}, "office_id", "No such office"),
        ({"office_id": "abc"}, "office_id", "whole number"),
        ({"services": []}, "services", "at least one"),
        ({"services": [{"service_id": 999999, "persons": 1}]}, "services", "not offered"),
        ({"services": [{"service_id": 10**30, "persons": 1}]}, "services", "not offered"),
        ({"services": [{"service_id": "{id_card}", "persons": -1}]}, "services", "1 to 4"),
        ({"services": [{"service_id": "{id_card}", "persons": 10**30}]}, "services", "1 to 4"),
        ({"services": [{"service_id": "{copies}", "persons": 1}]}, "services", "online"),
        ({"services": [{"persons": 1}]}, "services.0.service_id", "required"),
        ({"services": "1:1"}, "services", "list"),
    ],
)
def test_booking_refuses_bad_input_with_a_message_per_field(
    client: Client, office: SmallOffice, overrides: dict[str, Any], field: str, message: str
) -> None:
    the_office, svc, _counters = office
    if isinstance(overrides.get("services"), list):
        overrides = {
            "services": [
                {
                    key: svc[value[1:-1]].pk if isinstance(value, str) else value
                    for key, value in line.items()
                }
                for line in overrides["services"]
            ]
        }
    response = book(client, payload_for(the_office, svc, **overrides))
    assert response.status_code == 422, response.content
    body = response.json()
    assert isinstance(body["detail"], str) and body["detail"]
    assert message.lower() in body["errors"][field].lower()
    assert not Appointment.objects.exists()


def test_every_faulty_field_is_named_at_once(client: Client, office: SmallOffice) -> None:
    the_office, svc, _counters = office
    response = book(
        client, payload_for(the_office, svc, name="", email="nope", phone="x", start="soon")
    )
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"name", "email", "phone", "start"}


def test_missing_fields_are_named(client: Client, office: SmallOffice) -> None:
    response = book(client, {})
    assert response.status_code == 422
    assert response.json()["errors"] == {
        field: "This field is required."
        for field in ("office_id", "services", "start", "name", "email")
    }


def test_unknown_paths_below_the_api_are_json_404s(client: Client, office: SmallOffice) -> None:
    for path in ("/api/v1/nothing", "/api/v1/appointments/a/b", "/api/v1/offices/1/x/"):
        response = client.post(path)
        assert response.status_code == 404, path
        assert response.json() == {"detail": "Not found."}


def test_error_messages_follow_accept_language(office: SmallOffice) -> None:
    the_office, _svc, _counters = office
    url = f"/api/v1/offices/{the_office.pk}/availability"
    german = Client().get(url).json()  # German is the default; Django ships this one
    english = Client().get(url, headers={"Accept-Language": "en"}).json()
    assert german["errors"] == {"services": "Dieses Feld ist zwingend erforderlich."}
    assert english["errors"] == {"services": "This field is required."}


def test_a_bug_still_answers_json(
    client: Client, office: SmallOffice, monkeypatch: pytest.MonkeyPatch
) -> None:
    the_office, svc, _counters = office
    token = book(client, payload_for(the_office, svc)).json()["token"]

    def broken(_demand: object) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(schemas, "visit_summary", broken)
    response = client.get(f"/api/v1/appointments/{token}")
    assert response.status_code == 500
    assert response.json() == {"detail": "Something went wrong on our side. Please try again."}


def test_malformed_json_is_a_json_400(client: Client, office: SmallOffice) -> None:
    response = client.post("/api/v1/appointments", "{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"detail": "The request body is not valid JSON."}


def test_a_busy_database_is_a_503_with_retry_after(
    client: Client, office: SmallOffice, monkeypatch: pytest.MonkeyPatch
) -> None:
    the_office, svc, _counters = office

    def busy(**_kwargs: object) -> None:
        raise Busy("Many people are booking right now. Please try again in a moment.")

    monkeypatch.setattr(services, "appointment_book", busy)
    response = book(client, payload_for(the_office, svc))
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response.json() == {
        "detail": "Many people are booking right now. Please try again in a moment."
    }


# --- Look up and cancel ---------------------------------------------------------------------


def test_get_returns_the_booking_answer_and_delete_cancels(
    client: Client, office: SmallOffice
) -> None:
    the_office, svc, _counters = office
    booked = book(client, payload_for(the_office, svc)).json()
    url = f"/api/v1/appointments/{booked['token']}"
    got = client.get(url)
    assert got.status_code == 200
    assert got.json() == booked

    deleted = client.delete(url)
    assert deleted.status_code == 204
    assert deleted.content == b""
    after = client.get(url).json()
    assert after["status"] == "cancelled"
    assert {**after, "status": "confirmed"} == booked
    assert Appointment.objects.get().status == AppointmentStatus.CANCELLED
    assert client.delete(url).status_code == 204  # cancelling twice is no error


def test_a_cancelled_time_is_offered_again_at_once(client: Client, office: SmallOffice) -> None:
    the_office, svc, _counters = office
    one = payload_for(the_office, svc, services=[{"service_id": svc["id_card"].pk, "persons": 1}])
    params = {"services": f"{svc['id_card'].pk}:1", "from": MONDAY, "to": MONDAY}

    def monday_times() -> list[str]:
        return availability(client, the_office.pk, **params).json()["days"][0]["times"]

    assert "08:00" in monday_times()
    book(client, one)
    assert "08:00" in monday_times()  # the second counter is still free
    token = book(client, one).json()["token"]
    assert "08:00" not in monday_times()
    assert monday_times()[0] == "08:15"
    assert client.delete(f"/api/v1/appointments/{token}").status_code == 204
    assert monday_times()[0] == "08:00"
    assert book(client, one).status_code == 201


def test_cancelling_after_the_start_is_a_409(
    client: Client, office: SmallOffice, now: time_machine.Traveller
) -> None:
    the_office, svc, _counters = office
    booked = book(client, payload_for(the_office, svc)).json()
    url = f"/api/v1/appointments/{booked['token']}"
    now.move_to(datetime(2026, 12, 7, 7, 1, tzinfo=UTC))  # one minute after the start
    response = client.delete(url)
    assert response.status_code == 409
    assert "begun" in response.json()["detail"]
    assert client.get(url).json()["status"] == "confirmed"


def test_a_checked_in_appointment_cannot_be_cancelled(client: Client, office: SmallOffice) -> None:
    the_office, svc, _counters = office
    booked = book(client, payload_for(the_office, svc)).json()
    Appointment.objects.update(status=AppointmentStatus.CHECKED_IN)  # as the back office would
    response = client.delete(f"/api/v1/appointments/{booked['token']}")
    assert response.status_code == 409
    assert "no longer be cancelled" in response.json()["detail"]


@pytest.mark.parametrize("method", ["get", "delete"])
@pytest.mark.parametrize("token", ["x" * 43, "unknown", "x" * 101, "%C3%A4%00", "a.b"])
def test_an_unknown_token_is_a_json_404(
    client: Client, office: SmallOffice, method: str, token: str
) -> None:
    response = getattr(client, method)(f"/api/v1/appointments/{token}")
    assert response.status_code == 404
    assert response.json() == {"detail": "No such appointment."}


# --- OpenAPI --------------------------------------------------------------------------------


def test_openapi_documents_every_endpoint_and_status(client: Client) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    paths = schema["paths"]

    def statuses(path: str, method: str) -> set[str]:
        return set(paths[path][method]["responses"])

    assert statuses("/api/v1/offices/{office_id}/availability", "get") == {"200", "404", "422"}
    assert statuses("/api/v1/appointments", "post") == {
        "201",
        "400",
        "403",
        "409",
        "413",
        "415",
        "422",
        "429",
        "503",
    }
    assert statuses("/api/v1/appointments/{token}", "get") == {"200", "404"}
    assert statuses("/api/v1/appointments/{token}", "delete") == {
        "204",
        "404",
        "409",
        "415",
        "503",
    }
    created = paths["/api/v1/appointments"]["post"]["responses"]["201"]
    reference = created["content"]["application/json"]["schema"]["$ref"]
    fields = schema["components"]["schemas"][reference.rsplit("/", 1)[-1]]["properties"]
    assert {
        "code",
        "token",
        "status",
        "start",
        "end",
        "office_id",
        "services",
        "documents",
        "fee_total",
        "manage_url",
    } <= set(fields)
    error = paths["/api/v1/appointments"]["post"]["responses"]["409"]
    error_ref = error["content"]["application/json"]["schema"]["$ref"]
    assert set(schema["components"]["schemas"][error_ref.rsplit("/", 1)[-1]]["properties"]) == {
        "detail",
        "errors",
    }


def test_an_absence_saved_while_the_booking_waits_for_its_lock_is_respected(
    client: Client, office: SmallOffice, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The route reads the office's cached configuration before the booking lock; the counter
    # must be chosen from the configuration as it is once the lock is granted.
    the_office, svc, counters = office
    real_lock = locking._lock_office

    def lock_then_staff_enter_an_absence(locked_office: Any) -> None:
        real_lock(locked_office)
        day = datetime(A_MONDAY.year, A_MONDAY.month, A_MONDAY.day, tzinfo=UTC)
        for counter in counters:
            Absence.objects.create(counter=counter, start=day, end=day + timedelta(days=1))

    monkeypatch.setattr(locking, "_lock_office", lock_then_staff_enter_an_absence)
    response = book(client, payload_for(the_office, svc))
    assert response.status_code == 422, response.content
    assert "start" in response.json()["errors"]
    assert not Appointment.objects.exists()
