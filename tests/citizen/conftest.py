"""Shared set-up for the citizen pages: a fixed clock, the small office, and page helpers."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client

from amtstermin.booking.models import Counter, Office, Service
from tests.factories import small_office

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)  # Tuesday 10:00 in Berlin
FIRST_FREE = datetime(2026, 12, 2, 7, 0, tzinfo=UTC)  # Wednesday 08:00, the first free time
MONDAY_8 = datetime(2026, 12, 7, 7, 0, tzinfo=UTC)  # A_MONDAY 08:00, before the cancel deadline
MONDAY_WEEK = "week=2026-12-07&day=2026-12-07"


@dataclass
class Cast:
    office: Office
    services: dict[str, Service]
    counters: list[Counter]

    @property
    def family_demand(self) -> str:
        """ID card for one person and registration for four (15 + 10 + 3 * 5 = 40 minutes)."""
        return f"{self.services['id_card'].pk}:1,{self.services['registration'].pk}:4"


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    cache.clear()


@pytest.fixture
def clock() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def cast(db: None, clock: time_machine.Traveller) -> Cast:
    office, services, counters = small_office()
    return Cast(office=office, services=services, counters=counters)


def starts_offered(html: str) -> list[int]:
    """The instants of every time button on a page."""
    return [int(value) for value in re.findall(r'name="start" value="(\d+)"', html)]


def instant(moment: datetime) -> int:
    return int(moment.timestamp())


def hold_time(client: Client, cast: Cast, start: datetime = MONDAY_8) -> None:
    response = client.post(
        f"/o/{cast.office.pk}/hold/", {"services": cast.family_demand, "start": instant(start)}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"] == "/booking/details/"


VALID_DETAILS = {"name": "Erika Mustermann", "email": "erika@example.org", "consent": "on"}
