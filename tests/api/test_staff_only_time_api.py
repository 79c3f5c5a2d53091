"""The public API offers and books no staff-only time (ZMS: internal capacity)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, time
from typing import Any

import pytest
import time_machine
from django.test import Client

from amtstermin.booking.models import Appointment, StaffOnlyTime, Weekday
from tests.factories import A_MONDAY, SmallOffice, small_office

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
MONDAY = A_MONDAY.isoformat()


@pytest.fixture
def office(db: None) -> Iterator[SmallOffice]:
    with time_machine.travel(NOW, tick=False):
        setup = small_office()
        for counter in setup[2]:
            StaffOnlyTime.objects.create(
                counter=counter, weekday=Weekday.MONDAY, start=time(8), end=time(9)
            )
        yield setup


def test_availability_leaves_out_the_staff_only_range(client: Client, office: SmallOffice) -> None:
    the_office, svc, _counters = office
    body = client.get(
        f"/api/v1/offices/{the_office.pk}/availability",
        {"services": f"{svc['id_card'].pk}:1", "from": MONDAY, "to": MONDAY},
    ).json()
    times = body["days"][0]["times"]
    assert times[0] == "09:00"


def test_booking_the_staff_only_range_is_refused(client: Client, office: SmallOffice) -> None:
    the_office, svc, _counters = office
    payload: dict[str, Any] = {
        "office_id": the_office.pk,
        "services": [{"service_id": svc["id_card"].pk, "persons": 1}],
        "start": f"{MONDAY}T08:30",
        "name": "Erika Mustermann",
        "email": "erika@example.org",
    }
    response = client.post("/api/v1/appointments", payload, content_type="application/json")
    assert response.status_code == 422
    assert "start" in response.json()["errors"]
    assert not Appointment.objects.exists()
