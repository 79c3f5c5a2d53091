"""GET /api/v1/offices/{id}/queue: the walk-in queue's waiting time, without login or
personal data; the citizen start page shows the same line while the office is open."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.contrib.auth.models import User
from django.test import Client

from amtstermin.booking import desk
from amtstermin.booking.models import Office, Service
from tests.factories import make_office, small_office

OPEN = datetime(2026, 12, 7, 8, 0, tzinfo=UTC)  # Monday 09:00 in Berlin
CLOSED = datetime(2026, 12, 7, 13, 0, tzinfo=UTC)  # Monday 14:00


@pytest.fixture
def clock() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(OPEN, tick=False) as traveller:
        yield traveller


@pytest.fixture
def office(db: None, clock: time_machine.Traveller) -> tuple[Office, dict[str, Service]]:
    found, services, _counters = small_office()
    return found, services


def test_an_open_office_answers_waiting_numbers_and_the_wait(
    office: tuple[Office, dict[str, Service]],
) -> None:
    found, services = office
    clerk = User.objects.create_user(username="clerk", is_staff=True)
    for _ in range(4):
        desk.ticket_issue(office=found, services=[services["registration"]])
    for counter in found.counters.all():
        desk.ticket_call_next(office=found, counter=counter, staff_user=clerk)
    body = Client().get(f"/api/v1/offices/{found.pk}/queue").json()
    assert body == {
        "waiting": 2,
        "estimated_wait_minutes": body["estimated_wait_minutes"],
        "open": True,
        "updated_at": "2026-12-07T08:00:00Z",
    }
    # Both counters are busy and two wait ahead: never "0".
    assert body["estimated_wait_minutes"] >= 10


def test_a_closed_office_answers_no_estimate(
    office: tuple[Office, dict[str, Service]], clock: time_machine.Traveller
) -> None:
    found, _services = office
    clock.move_to(CLOSED)
    body = Client().get(f"/api/v1/offices/{found.pk}/queue").json()
    assert body["open"] is False and body["estimated_wait_minutes"] is None
    assert body["waiting"] == 0


def test_the_answer_is_cached_for_a_few_seconds(
    office: tuple[Office, dict[str, Service]], clock: time_machine.Traveller
) -> None:
    found, services = office
    client = Client()
    assert client.get(f"/api/v1/offices/{found.pk}/queue").json()["waiting"] == 0
    desk.ticket_issue(office=found, services=[services["registration"]])
    assert client.get(f"/api/v1/offices/{found.pk}/queue").json()["waiting"] == 0
    clock.shift(timedelta(seconds=6))
    assert client.get(f"/api/v1/offices/{found.pk}/queue").json()["waiting"] == 1


def test_an_unknown_office_is_a_404(db: None) -> None:
    assert Client().get("/api/v1/offices/999999/queue").status_code == 404


def test_the_start_page_shows_the_walk_in_wait_while_open(
    office: tuple[Office, dict[str, Service]], clock: time_machine.Traveller
) -> None:
    found, _services = office
    make_office(name="Bürgerbüro Nord")
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    assert "Without an appointment: 0 waiting" in client.get("/").content.decode()
    assert "Without an appointment" in client.get(f"/o/{found.pk}/").content.decode()
    clock.move_to(CLOSED)
    assert "Without an appointment" not in client.get(f"/o/{found.pk}/").content.decode()
