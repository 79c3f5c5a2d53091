"""One rule for a citizen's details: the same cases through the booking pages, the API and the
staff's phone booking, with the same answer and the same message (in English) everywhere."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
import time_machine
from django.contrib.auth.models import Group, User
from django.core.exceptions import ValidationError
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from amtstermin.booking import contact, roles
from amtstermin.booking.models import Appointment, Office, Service, StaffMembership
from tests.factories import small_office
from tests.proof import proof

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)  # Tuesday 10:00 in Berlin
START = datetime(2026, 12, 7, 7, 0, tzinfo=UTC)  # Monday 08:00
VALID = {"name": "Erika Mustermann", "email": "erika@example.org", "phone": ""}


@dataclass(frozen=True)
class Case:
    field: str
    value: str
    refusal: str | None  # part of the message, or None: accepted and stored as given

    def __str__(self) -> str:
        return f"{self.field}={self.value!r}"


CASES = [
    Case("name", "Zoë O'Brien-Łukasiewicz", None),
    Case("name", "Jean-François D’Arcy", None),
    Case("name", "Erika\u2028Mustermann", "one line"),
    Case("name", "Erika\u2029Mustermann", "one line"),
    Case("name", "Erika\u0085Mustermann", "one line"),
    Case("name", "abc\u202efdp.exe", "one line"),
    Case("name", "Erika\ue000", "one line"),
    Case("name", "\u200b", "one line"),
    Case("name", "12345 - (42)", "at least one letter"),
    Case("name", "\u3164", "at least one letter"),  # a Hangul filler shows nothing
    Case("name", "\u0958" * 200, "at most 200"),  # NFC makes it 400 characters
    Case("name", "Erika\x07Mustermann", "one line"),
    Case("phone", "12", "at least 5 digits"),
    Case("phone", "+49 2161 123456", None),
    Case("phone", "02161/123456", None),
    Case("email", "erika@", "valid e-mail"),
    Case("email", "erika mustermann@example.org", "valid e-mail"),
]


@dataclass
class Setup:
    office: Office
    service: Service
    staff: User


@pytest.fixture
def setup(db: None) -> Iterator[Setup]:
    with time_machine.travel(NOW, tick=False):  # for the whole test
        roles.ensure_staff_groups()
        office, services, _counters = small_office()
        staff = User.objects.create_user(username="clerk", is_staff=True)
        staff.groups.add(Group.objects.get(name=roles.CLERK))
        StaffMembership.objects.create(user=staff, office=office)
        yield Setup(office=office, service=services["id_card"], staff=staff)


def _english() -> Client:
    return Client(headers={"Accept-Language": "en"})


def through_the_pages(setup: Setup, details: dict[str, str]) -> dict[str, str]:
    """Hold a time, then POST the details form; returns the error per field, {} if booked."""
    client = _english()
    demand = f"{setup.service.pk}:1"
    held = client.post(
        f"/o/{setup.office.pk}/hold/", {"services": demand, "start": int(START.timestamp())}
    )
    assert held.status_code == 302
    response = client.post("/booking/details/", {**details, "consent": "on"})
    if response.status_code == 302:
        assert client.post("/booking/review/", proof(client)).status_code == 302
        return {}
    assert response.status_code == 400
    form = response.context["form"]
    return {field: problems[0] for field, problems in form.errors.items()}


def through_the_api(setup: Setup, details: dict[str, str]) -> dict[str, str]:
    payload = {
        "office_id": setup.office.pk,
        "services": [{"service_id": setup.service.pk, "persons": 1}],
        "start": "2026-12-07T08:00",
        **details,
    }
    response = _english().post("/api/v1/appointments", payload, content_type="application/json")
    if response.status_code == 201:
        return {}
    assert response.status_code == 422, response.content
    errors: dict[str, str] = response.json()["errors"]
    return errors


def through_the_staff_booking(setup: Setup, details: dict[str, str]) -> dict[str, str]:
    client = _english()
    client.force_login(setup.staff)
    response = client.post(
        f"/backoffice/{setup.office.pk}/book/",
        {
            f"persons_{setup.service.pk}": "1",
            "day": "2026-12-07",
            "time": "08:00",
            "channel": "phone",
            **details,
        },
    )
    if response.status_code == 302:
        return {}
    assert response.status_code == 400
    errors: dict[str, str] = response.context["errors"]
    return errors


ENTRY_POINTS: dict[str, Callable[[Setup, dict[str, str]], dict[str, str]]] = {
    "pages": through_the_pages,
    "api": through_the_api,
    "staff": through_the_staff_booking,
}


@pytest.mark.parametrize("entry", ENTRY_POINTS)
@pytest.mark.parametrize("case", CASES, ids=str)
def test_every_entry_point_judges_the_details_alike(setup: Setup, entry: str, case: Case) -> None:
    errors = ENTRY_POINTS[entry](setup, {**VALID, case.field: case.value})
    if case.refusal is None:
        assert errors == {}
        stored = Appointment.objects.get()
        assert getattr(stored, "citizen_name" if case.field == "name" else case.field) == (
            case.value
        )
    else:
        assert list(errors) == [case.field]
        assert case.refusal in errors[case.field]
        assert not Appointment.objects.exclude(citizen_name="").exists()


@given(st.text(max_size=60))
def test_cleaning_a_cleaned_name_changes_nothing(value: str) -> None:
    """What the first step stored passes every later check (the review step, the services)."""
    try:
        cleaned = contact.clean_name(value)
    except ValidationError:
        return
    assert contact.clean_name(cleaned) == cleaned
