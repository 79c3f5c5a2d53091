"""A client retrying one booking many times at once (same Idempotency-Key, same body) books once.

The office has three free counters, so without the key three of the copies would book. Every copy
checks for the key before any has committed; the one that commits first wins, and the others fail
on the key's unique constraint or find the time taken, roll back and answer with its booking.
"""

from __future__ import annotations

import pytest

from amtstermin.booking.models import Appointment
from tests.concurrency.clients import race
from tests.concurrency.conftest import race_office
from tests.live_server import StartServer

COPIES = 10
WINDOW_MS = "300"  # between availability check and insert: every copy checks the key first


@pytest.mark.django_db(transaction=True)
def test_copies_of_one_booking_sent_at_once_book_once_and_all_get_its_answer(
    start_server: StartServer,
) -> None:
    place = race_office(counter_count=3)
    body = place.payload(place.at(10, 0), 1)
    base_url = start_server({"AMTSTERMIN_RACE_WINDOW_MS": WINDOW_MS})

    results = race(
        base_url + "/api/v1/appointments", [body] * COPIES, headers={"Idempotency-Key": "retry-1"}
    )

    assert [status for status, _body in results] == [201] * COPIES, results
    assert len({answer["code"] for _status, answer in results}) == 1
    assert Appointment.objects.filter(office=place.office).count() == 1
