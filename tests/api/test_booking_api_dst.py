"""The booking API on the days the clocks change in Berlin (2027-03-28 and 2027-10-31).

Availability speaks office-local wall times; ``start`` and ``end`` carry the offset in force.
An office that opens Sunday nights shows what happens inside the gap and the overlap.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, time
from typing import Any

import pytest
import time_machine
from django.test import Client

from amtstermin.booking.models import Appointment, Office, Service
from tests.factories import make_counter, make_office, make_service, small_office

SUNDAY = 6


@pytest.fixture
def client() -> Client:
    return Client(headers={"Accept-Language": "en"})


def hhmm(first_minute: int, last_minute: int) -> list[str]:
    """Wall times every five minutes from ``first_minute`` to ``last_minute`` after midnight."""
    return [f"{m // 60:02d}:{m % 60:02d}" for m in range(first_minute, last_minute + 1, 5)]


def times_on(client: Client, office_id: int, service_id: int, day: str) -> list[str]:
    response = client.get(
        f"/api/v1/offices/{office_id}/availability",
        {"services": f"{service_id}:1", "from": day, "to": day},
    )
    assert response.status_code == 200
    days = response.json()["days"]
    assert [entry["date"] for entry in days] == [day]
    return list(days[0]["times"])


def book(client: Client, office_id: int, service_id: int, start: str) -> Any:
    return client.post(
        "/api/v1/appointments",
        {
            "office_id": office_id,
            "services": [{"service_id": service_id, "persons": 1}],
            "start": start,
            "name": "Erika Mustermann",
            "email": f"erika{abs(hash(start))}@example.org",  # one person may hold only two
        },
        content_type="application/json",
    )


@pytest.fixture
def night_office(db: None) -> tuple[Office, Service]:
    """Open Sunday 00:00-06:00 local: both clock changes fall inside the opening hours."""
    office = make_office(name="Nachtbüro")
    service = make_service(office, "Nachtschalter", 15)
    make_counter(office, "Schalter N", [service], [(SUNDAY, time(0), time(6))])
    return office, service


@pytest.fixture
def spring() -> Iterator[None]:
    with time_machine.travel(datetime(2027, 3, 20, 9, 0, tzinfo=UTC), tick=False):
        yield


@pytest.fixture
def autumn() -> Iterator[None]:
    with time_machine.travel(datetime(2027, 10, 24, 9, 0, tzinfo=UTC), tick=False):
        yield


def test_mornings_before_and_after_the_spring_change_are_local_times(
    client: Client, db: None, spring: None
) -> None:
    office, svc, _counters = small_office()
    id_card = svc["id_card"].pk
    body = client.get(
        f"/api/v1/offices/{office.pk}/availability",
        {"services": f"{id_card}:1", "from": "2027-03-25", "to": "2027-03-30"},
    ).json()
    # Good Friday and Easter Monday are holidays, the weekend is closed.
    assert [day["date"] for day in body["days"]] == ["2027-03-25", "2027-03-30"]
    for day in body["days"]:
        assert day["times"] == hhmm(8 * 60, 11 * 60 + 45)

    before = book(client, office.pk, id_card, "2027-03-25T08:00").json()
    after = book(client, office.pk, id_card, "2027-03-30T08:00").json()
    assert before["start"] == "2027-03-25T08:00:00+01:00"
    assert after["start"] == "2027-03-30T08:00:00+02:00"
    assert after["end"] == "2027-03-30T08:15:00+02:00"
    stored = sorted(Appointment.objects.values_list("start", flat=True))
    assert stored == [
        datetime(2027, 3, 25, 7, 0, tzinfo=UTC),
        datetime(2027, 3, 30, 6, 0, tzinfo=UTC),
    ]


def test_spring_forward_night_skips_the_missing_hour(
    client: Client, night_office: tuple[Office, Service], spring: None
) -> None:
    office, service = night_office
    # 02:00-03:00 does not exist; 01:55 + 15 minutes ends at 03:10 local time.
    assert times_on(client, office.pk, service.pk, "2027-03-28") == hhmm(0, 115) + hhmm(180, 345)

    gap = book(client, office.pk, service.pk, "2027-03-28T02:30")
    assert gap.status_code == 422
    assert "does not exist" in gap.json()["errors"]["start"]

    last_winter = book(client, office.pk, service.pk, "2027-03-28T01:55").json()
    assert last_winter["start"] == "2027-03-28T01:55:00+01:00"
    assert last_winter["end"] == "2027-03-28T03:10:00+02:00"
    first_summer = book(client, office.pk, service.pk, "2027-03-28T03:10").json()
    assert first_summer["start"] == "2027-03-28T03:10:00+02:00"
    times = times_on(client, office.pk, service.pk, "2027-03-28")
    assert "01:55" not in times and "03:00" not in times and "03:25" in times


def test_fall_back_night_lists_the_repeated_hour_twice(
    client: Client, night_office: tuple[Office, Service], autumn: None
) -> None:
    office, service = night_office
    # 02:00-02:59 is lived twice: first in summer time (+02:00), then in winter time (+01:00).
    assert times_on(client, office.pk, service.pk, "2027-10-31") == hhmm(0, 175) + hhmm(120, 345)

    ambiguous = book(client, office.pk, service.pk, "2027-10-31T02:30")
    assert ambiguous.status_code == 422
    assert "occurs twice" in ambiguous.json()["errors"]["start"]

    summer = book(client, office.pk, service.pk, "2027-10-31T02:30+02:00")
    winter = book(client, office.pk, service.pk, "2027-10-31T02:30+01:00")
    assert summer.status_code == winter.status_code == 201
    assert summer.json()["start"] == "2027-10-31T02:30:00+02:00"
    assert winter.json()["start"] == "2027-10-31T02:30:00+01:00"
    assert winter.json()["end"] == "2027-10-31T02:45:00+01:00"
    times = times_on(client, office.pk, service.pk, "2027-10-31")
    assert times.count("02:30") == 0 and times.count("02:45") == 2

    unambiguous = book(client, office.pk, service.pk, "2027-10-31T04:00").json()
    assert unambiguous["start"] == "2027-10-31T04:00:00+01:00"
