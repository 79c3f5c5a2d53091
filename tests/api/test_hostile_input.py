"""No input, however broken, makes the API answer 500: every refusal is a 4xx JSON message."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

import pytest
import time_machine
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from amtstermin.booking.models import Appointment
from tests.factories import A_MONDAY, OfficeAndServices, small_office

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
LONG = "x" * 10_000
HUGE = 10**40
WEIRD_TEXTS = [
    "",
    " ",
    LONG,
    "\x00",
    "a\x00b",
    "\ud800",  # a lone surrogate, as JSON "\ud800" can carry it
    "\u202e",
    "１２",  # full-width digits
    "٣",  # an Arabic-Indic digit
    "😀" * 50,
    "'; DROP TABLE booking_appointment; --",
    "../../etc/passwd",
    "1e3",
    "NaN",
    "-0",
]
MALFORMED_DATES = [
    "2026-02-30",
    "2026-13-01",
    "2026-12-1",
    "20261201",
    "0000-01-01",
    "0001-01-01",
    "9999-12-31",
    "2027-03-28T02:30",
    "２０２６-１２-０１",
    LONG,
    "\x00",
]


@pytest.fixture
def setup(db: None) -> Iterator[OfficeAndServices]:
    with time_machine.travel(NOW, tick=False):
        office, svc, _counters = small_office()
        yield office, svc


def assert_json_refusal(response: Any) -> None:
    assert 400 <= response.status_code < 500, (response.status_code, response.content[:300])
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert isinstance(body["detail"], str) and body["detail"]
    for field, message in body.get("errors", {}).items():
        assert isinstance(field, str) and isinstance(message, str) and message


def valid_payload(office: Any, svc: dict[str, Any]) -> dict[str, Any]:
    return {
        "office_id": office.pk,
        "services": [{"service_id": svc["id_card"].pk, "persons": 1}],
        "start": f"{A_MONDAY.isoformat()}T08:00",
        "name": "Erika Mustermann",
        "email": "erika@example.org",
        "phone": "0221 12345",
    }


def post_json(client: Client, body: Any) -> Any:
    return client.post("/api/v1/appointments", json.dumps(body), content_type="application/json")


@pytest.mark.parametrize("office_id", ["abc", "1.5", "1e3", "-1", str(HUGE), "%00", "١"])
def test_availability_with_a_hostile_office_id(
    client: Client, setup: OfficeAndServices, office_id: str
) -> None:
    assert_json_refusal(
        client.get(f"/api/v1/offices/{office_id}/availability", {"services": "1:1"})
    )


@pytest.mark.parametrize(
    "services",
    [
        *WEIRD_TEXTS,
        ",",
        ":",
        ":1",
        "{id}:-1",
        "{id}:0",
        f"{{id}}:{HUGE}",
        f"{HUGE}:1",
        f"-{HUGE}:1",
        "{id}:1.5",
        "{id}:1:1",
        ",".join(["{id}:1"] * 2000),
        ",".join(str(n) for n in range(1, 5000)),
    ],
)
def test_availability_with_hostile_services(
    client: Client, setup: OfficeAndServices, services: str
) -> None:
    office, svc = setup
    text = services.replace("{id}", str(svc["id_card"].pk))
    # Percent-encoded by hand: a lone surrogate arrives as the bytes of its (invalid) UTF-8.
    query = quote(text.encode("utf-8", "surrogatepass"))
    assert_json_refusal(client.get(f"/api/v1/offices/{office.pk}/availability?services={query}"))


@pytest.mark.parametrize("field", ["from", "to"])
@pytest.mark.parametrize("value", [*MALFORMED_DATES, "2026-12-01", "2026-12-01x"])
def test_availability_with_hostile_dates(
    client: Client, setup: OfficeAndServices, field: str, value: str
) -> None:
    office, svc = setup
    # The other end makes every range invalid: reversed, too long, or malformed.
    other = "to" if field == "from" else "from"
    params = {"services": str(svc["id_card"].pk), field: value}
    params[other] = "1900-01-01" if field == "from" else "2100-01-01"
    assert_json_refusal(client.get(f"/api/v1/offices/{office.pk}/availability", params))


@pytest.mark.parametrize("value", ["0001-01-01", "9999-12-31", "1900-01-01"])
@pytest.mark.parametrize("field", ["from", "to"])
def test_availability_at_the_ends_of_the_calendar_is_empty_not_an_error(
    client: Client, setup: OfficeAndServices, field: str, value: str
) -> None:
    office, svc = setup
    params = {"services": str(svc["id_card"].pk), field: value}
    response = client.get(f"/api/v1/offices/{office.pk}/availability", params)
    assert response.status_code == 200
    assert response.json()["days"] == []


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"{",
        b"nul\x00",
        b"[1,2",
        b'{"office_id": 1,}',
        b"\xff\xfe",  # not UTF-8
        b'{"name": "\xed\xa0\x80"}',  # an encoded surrogate: not UTF-8 either
        b'{"office_id": ' + b"9" * 5000 + b"}",  # beyond Python's digit limit
        b"x" * 100_000,
        b"[" + b"1," * 1_500_000 + b"1]",  # beyond Django's upload limit
    ],
)
def test_booking_with_a_malformed_body(
    client: Client, setup: OfficeAndServices, body: bytes
) -> None:
    response = client.post("/api/v1/appointments", body, content_type="application/json")
    assert_json_refusal(response)


@pytest.mark.parametrize(
    "body",
    [None, 1, "text", [], [{}], {}, True, {"office_id": None}],
)
def test_booking_with_json_of_the_wrong_shape(
    client: Client, setup: OfficeAndServices, body: Any
) -> None:
    assert_json_refusal(post_json(client, body))


def test_booking_with_a_form_encoded_body(client: Client, setup: OfficeAndServices) -> None:
    office, svc = setup
    assert_json_refusal(client.post("/api/v1/appointments", valid_payload(office, svc)))


HOSTILE_VALUES: list[tuple[str, Any]] = [
    *(
        ("office_id", value)
        for value in list[Any]([None, "abc", 1.5, -1, 0, HUGE, [], {}, True, LONG])
    ),
    *(
        ("services", value)
        for value in list[Any]([None, "1:1", {}, [None], [[1, 1]], [{}], LONG, 1])
    ),
    *(
        ("services", [line])
        for line in [
            {"service_id": None, "persons": 1},
            {"service_id": "abc", "persons": 1},
            {"service_id": HUGE, "persons": 1},
            {"service_id": -HUGE, "persons": 1},
            {"service_id": 1.5, "persons": 1},
            {"service_id": "{id}", "persons": -1},
            {"service_id": "{id}", "persons": HUGE},
            {"service_id": "{id}", "persons": -HUGE},
            {"service_id": "{id}", "persons": 0},
            {"service_id": "{id}", "persons": "two"},
            {"service_id": "{id}", "persons": 2.5},
            {"service_id": "{id}", "persons": None},
        ]
    ),
    ("services", [{"service_id": "{id}", "persons": 1}] * 11),
    ("services", [{"service_id": n, "persons": 1} for n in range(1, 3000)]),
    *(("start", value) for value in list[Any]([*MALFORMED_DATES, *WEIRD_TEXTS, None, 1, [], {}])),
    ("start", "2026-12-07T08:00:99"),
    ("start", "2026-12-07T24:00"),
    ("start", "2026-12-07T08:00+25:00"),
    ("start", "2026-12-07T08:00:00.5"),
    ("start", "2026-12-07 08:00"),
    ("start", "2027-03-28T02:30"),
    ("start", "2027-10-31T02:30"),
    *(("name", value) for value in ["", " ", LONG, "\x00", "a\nb", "\ud800", "\u2028", None, 5]),
    *(("email", value) for value in ["", LONG + "@x.de", "a@b", "\x00@x.de", "ä@\ud800.de", None]),
    *(("phone", value) for value in [LONG, "abc", "\x00", "+49\n1", "١٢٣", 12345, []]),
]


@pytest.mark.parametrize(("field", "value"), HOSTILE_VALUES)
def test_booking_with_a_hostile_field(
    client: Client, setup: OfficeAndServices, field: str, value: Any
) -> None:
    office, svc = setup
    payload = valid_payload(office, svc)
    if field == "services" and isinstance(value, list):
        value = [
            {k: svc["id_card"].pk if v == "{id}" else v for k, v in line.items()}
            if isinstance(line, dict)
            else line
            for line in value
        ]
    payload[field] = value
    # The lone surrogate needs JSON's \u escape; json.dumps writes it so.
    assert_json_refusal(post_json(client, payload))
    assert not Appointment.objects.exists()


@pytest.mark.parametrize(
    "token", ["x" * 10_000, "%00", "%ED%A0%80", "%C3%A4", "..", "a%2Fb", "%20", "-" * 43]
)
@pytest.mark.parametrize("method", ["get", "delete"])
def test_appointment_with_a_hostile_token(
    client: Client, setup: OfficeAndServices, method: str, token: str
) -> None:
    response = getattr(client, method)(f"/api/v1/appointments/{token}")
    assert_json_refusal(response)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(["service_id", "persons", "x"]) | st.text(max_size=5),
            children,
            max_size=4,
        )
    ),
    max_leaves=12,
)


@given(
    fields=st.dictionaries(
        st.sampled_from(["office_id", "services", "start", "name", "email", "phone"]),
        JSON_VALUES,
        min_size=1,
    )
)
@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_random_json_never_breaks_the_booking_endpoint(
    client: Client, setup: OfficeAndServices, fields: dict[str, Any]
) -> None:
    office, svc = setup
    payload = {**valid_payload(office, svc), **fields}
    response = post_json(client, payload)
    if response.status_code == 201:  # a random value that happens to be valid
        return
    assert_json_refusal(response)
