"""The OpenAPI document is valid OpenAPI 3.1 and states the rules the API really applies.

Client generators read it; tests/api/test_schemathesis.py checks the API against it.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from openapi_spec_validator import OpenAPIV31SpecValidator

from amtstermin.booking import contact
from amtstermin.booking.contact import FORBIDDEN_CATEGORIES

AVAILABILITY = "/api/v1/offices/{office_id}/availability"


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    return Client().get("/api/v1/openapi.json").json()


def schema_of(document: dict[str, Any], name: str) -> dict[str, Any]:
    return document["components"]["schemas"][name]


def parameter(document: dict[str, Any], path: str, method: str, name: str) -> dict[str, Any]:
    (found,) = [p for p in document["paths"][path][method]["parameters"] if p["name"] == name]
    return found


def test_the_document_is_valid_openapi_3_1(document: dict[str, Any]) -> None:
    errors = [
        f"{'/'.join(map(str, error.absolute_path))}: {error.message}"
        for error in OpenAPIV31SpecValidator(document).iter_errors()
    ]
    assert errors == []


def test_a_booking_names_one_to_ten_services_for_one_to_twenty_persons(
    document: dict[str, Any],
) -> None:
    services = schema_of(document, "AppointmentIn")["properties"]["services"]
    persons = schema_of(document, "ServiceIn")["properties"]["persons"]
    assert (services["minItems"], services["maxItems"]) == (1, 10)
    assert (persons["minimum"], persons["maximum"]) == (1, 20)


def test_the_citizen_details_have_their_lengths_and_forms(document: dict[str, Any]) -> None:
    fields = schema_of(document, "AppointmentIn")["properties"]
    assert (fields["name"]["minLength"], fields["name"]["maxLength"]) == (1, 200)
    assert (fields["email"]["format"], fields["email"]["maxLength"]) == ("email", 254)
    (phone, _null) = fields["phone"]["anyOf"]
    assert phone["maxLength"] == 50
    assert re.search(phone["pattern"], "+49 (0)221 / 123-45")
    assert not re.search(phone["pattern"], "call me")


@pytest.mark.parametrize(
    "phone", ["", "   ", "12", "2)3(", "+", "12345", "+49 2161 123456", "0\u00a012345", "a1234"]
)
def test_the_phone_pattern_accepts_what_the_phone_check_accepts(
    document: dict[str, Any], phone: str
) -> None:
    pattern = schema_of(document, "AppointmentIn")["properties"]["phone"]["anyOf"][0]["pattern"]
    try:
        contact.clean_phone(phone)
        accepted = True
    except ValidationError:
        accepted = False
    assert bool(re.search(pattern, phone)) == accepted


def test_the_name_pattern_refuses_exactly_what_the_name_check_refuses(
    document: dict[str, Any],
) -> None:
    """Per character: forbidden anywhere, and a name of one character must be a letter."""
    pattern = re.compile(schema_of(document, "AppointmentIn")["properties"]["name"]["pattern"])
    disagree = []
    for code in range(sys.maxunicode + 1):
        char, category = chr(code), unicodedata.category(chr(code))
        if category == "Cs":  # not text: left out of the pattern, refused by the check
            continue
        if bool(pattern.search(f"a{char}b")) == (category in FORBIDDEN_CATEGORIES):
            disagree.append(hex(code))
        if bool(pattern.search(char)) != contact.is_visible_letter(char):
            disagree.append(hex(code))
    assert disagree == []
    assert not pattern.search(" \u00a0 ")  # spaces alone are no name
    assert not pattern.search("42 - 7")  # nor digits and punctuation


def test_the_availability_demand_has_its_form(document: dict[str, Any]) -> None:
    pattern = parameter(document, AVAILABILITY, "get", "services")["schema"]["pattern"]
    assert all(re.search(pattern, good) for good in ("3", "3:1,7:4", ",".join(["1:20"] * 10)))
    assert not any(
        re.search(pattern, bad) for bad in ("", "3:0", "3:21", "0:1", "3,", ",".join(["1"] * 11))
    )


def test_the_status_of_an_appointment_is_one_of_its_states(document: dict[str, Any]) -> None:
    status = schema_of(document, "AppointmentOut")["properties"]["status"]
    assert set(status["enum"]) == {
        "held",
        "pending",
        "confirmed",
        "cancelled",
        "expired",
        "checked_in",
        "completed",
        "no_show",
    }
