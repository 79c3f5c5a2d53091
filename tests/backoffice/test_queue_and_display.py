"""Walk-in numbers from the kiosk, check-in by booking code, calling, and the call display."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
import time_machine
from django.test import Client

from amtstermin.booking import queue_selectors
from amtstermin.booking.desk import ticket_call_next, ticket_issue
from amtstermin.booking.models import AppointmentStatus, AuditEntry, Ticket

from .conftest import Cast, at, book, client_for, pair

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as TestResponse


def _kiosk_url(cast: Cast) -> str:
    if not cast.kiosk_token:
        cast.kiosk_token = pair(cast.office_a, "kiosk")
    return f"/kiosk/{cast.kiosk_token}/"


def _kiosk(cast: Cast, data: dict, address: str = "192.0.2.1") -> TestResponse:
    client = Client(enforce_csrf_checks=True, REMOTE_ADDR=address, HTTP_ACCEPT_LANGUAGE="en")
    url = _kiosk_url(cast)
    page = client.get(url)
    token = page.cookies["csrftoken"].value
    return client.post(url, {**data, "csrfmiddlewaretoken": token})


def test_the_kiosk_issues_numbered_walk_in_tickets(cast: Cast) -> None:
    service = cast.services_a["registration"]
    first = _kiosk(cast, {"action": "walk-in", "service": [service.pk]})
    second = _kiosk(cast, {"action": "walk-in", "service": [service.pk]})
    assert first.status_code == second.status_code == 200
    assert "W-001" in first.content.decode() and "W-002" in second.content.decode()
    assert Ticket.objects.filter(office=cast.office_a).count() == 2


def test_drawing_a_number_reads_the_queue_once_and_the_slip_shows_the_wait_kept(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    registration = cast.services_a["registration"]
    for counter in cast.counters_a:  # both counters busy for ten minutes
        ticket_issue(office=cast.office_a, services=[registration])
        ticket_call_next(office=cast.office_a, counter=counter, staff_user=cast.clerk_a)
    reads: list[object] = []
    read = queue_selectors.queue_state

    def counted(*args: Any, **kwargs: Any) -> queue_selectors.QueueState:
        reads.append(args)
        return read(*args, **kwargs)

    monkeypatch.setattr(queue_selectors, "queue_state", counted)
    slip = _kiosk(cast, {"action": "walk-in", "service": [registration.pk]}).content.decode()
    assert len(reads) == 1
    assert Ticket.objects.get(office=cast.office_a, number=3).estimated_wait_minutes == 10
    assert "W-003" in slip and "Estimated wait: about 5–15 minutes." in slip


def test_done_at_the_kiosk_sets_the_language_back_to_german_for_the_next_person(
    cast: Cast,
) -> None:
    service = cast.services_a["registration"]
    page = _kiosk(cast, {"action": "walk-in", "service": [service.pk]}).content.decode()
    done = page.split('id="kiosk-done"')[1].split("</form>")[0]
    assert 'name="language" value="de"' in done
    assert f'name="next" value="{_kiosk_url(cast)}"' in done


def test_the_kiosk_refuses_a_post_without_csrf_token(cast: Cast) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post(_kiosk_url(cast), {"action": "walk-in"})
    assert response.status_code == 403
    assert not Ticket.objects.exists()


def test_the_kiosk_checks_in_a_booked_citizen_by_code(cast: Cast) -> None:
    appointment = book(cast.office_a, cast.services_a["id_card"], at(9))
    response = _kiosk(cast, {"action": "code", "code": appointment.code.lower()})
    assert response.status_code == 200
    assert "T-001" in response.content.decode()
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.CHECKED_IN
    entry = AuditEntry.objects.get(appointment=appointment, action="check_in")
    assert entry.actor is None and entry.note == "kiosk"


def test_an_unknown_code_gives_a_clear_message(cast: Cast) -> None:
    response = _kiosk(cast, {"action": "code", "code": "XXXXXXXX"})
    assert response.status_code == 400
    assert "no appointment today" in response.content.decode()


def test_the_daily_walk_in_limit_is_kept(cast: Cast) -> None:
    client = client_for(cast.head_a)
    client.post(f"/backoffice/{cast.office_a.pk}/queue/", {"action": "walk-in-limit", "limit": "1"})
    cast.office_a.refresh_from_db()
    assert cast.office_a.walk_in_daily_limit == 1
    service = cast.services_a["registration"]
    assert _kiosk(cast, {"action": "walk-in", "service": [service.pk]}).status_code == 200
    refused = _kiosk(cast, {"action": "walk-in", "service": [service.pk]})
    assert refused.status_code == 400
    assert Ticket.objects.count() == 1


def test_the_kiosk_limits_numbers_per_address(cast: Cast) -> None:
    service = cast.services_a["registration"]
    codes = [
        _kiosk(cast, {"action": "walk-in", "service": [service.pk]}, "198.51.100.7").status_code
        for _ in range(13)
    ]
    assert codes[:12] == [200] * 12 and codes[12] == 429
    assert _kiosk(cast, {"action": "walk-in", "service": [service.pk]}).status_code == 200


def test_due_appointments_come_before_walk_ins_and_the_display_shows_the_call(
    cast: Cast,
    frozen: time_machine.Traveller,
) -> None:
    walk_in = ticket_issue(office=cast.office_a, services=[cast.services_a["registration"]])
    appointment = book(cast.office_a, cast.services_a["id_card"], at(8, 30), name="Termin Kunde")
    _kiosk(cast, {"action": "code", "code": appointment.code})
    counter = cast.counters_a[0]
    display = pair(cast.office_a, "display")
    client = client_for(cast.clerk_a)
    client.post(
        f"/backoffice/{cast.office_a.pk}/queue/", {"action": "call-next", "counter": counter.pk}
    )
    called = Ticket.objects.get(status="called")
    assert called.appointment_id == appointment.pk
    assert called.called_at is not None
    calls = Client().get(f"/display/{display}/calls.json").json()["calls"]
    assert calls[0] == {
        "id": called.pk,
        "number": "T-002",
        "counter": counter.name,
        "called_at": called.called_at.isoformat(),
        "calls": 1,
    }
    page = Client().get(f"/display/{display}/").content.decode()
    assert "T-002" in page and counter.name in page and "Termin Kunde" not in page
    assert '<meta http-equiv="refresh"' in page
    # Call next again: the first is done, the walk-in is called.
    client.post(
        f"/backoffice/{cast.office_a.pk}/queue/", {"action": "call-next", "counter": counter.pk}
    )
    walk_in.refresh_from_db()
    assert walk_in.status == "called" and walk_in.counter == counter
    assert Ticket.objects.get(pk=called.pk).status == "done"
    assert AuditEntry.objects.filter(ticket=walk_in, action="ticket_call").exists()


def test_an_unanswered_number_is_called_again_or_set_aside(
    cast: Cast, frozen: time_machine.Traveller
) -> None:
    ticket = ticket_issue(office=cast.office_a, services=[cast.services_a["registration"]])
    display = pair(cast.office_a, "display")
    counter = cast.counters_a[1]
    client = client_for(cast.clerk_a)
    url = f"/backoffice/{cast.office_a.pk}/queue/"
    client.post(url, {"action": "call-next", "counter": counter.pk})
    frozen.shift(60)
    client.post(url, {"action": "call-again", "ticket": ticket.pk})
    ticket.refresh_from_db()
    assert ticket.call_count == 2
    calls = Client().get(f"/display/{display}/calls.json").json()["calls"]
    assert calls[0]["calls"] == 2
    client.post(url, {"action": "set-aside", "ticket": ticket.pk})
    ticket.refresh_from_db()
    assert ticket.status == "set_aside"
    assert Client().get(f"/display/{display}/calls.json").json()["calls"] == []
    # Setting aside twice is refused with a message and changes nothing.
    response = client.post(url, {"action": "set-aside", "ticket": ticket.pk}, follow=True)
    assert "is not being called" in response.content.decode()


def test_waiting_time_is_estimated_from_durations_and_open_counters(cast: Cast) -> None:
    from amtstermin.booking import queue_selectors

    registration = cast.services_a["registration"]
    tickets = [ticket_issue(office=cast.office_a, services=[registration]) for _ in range(3)]
    entries = queue_selectors.ticket_queue(cast.office_a, now=at(8, 30))
    # Two free counters, 10 minutes each: the first two at once, the third after 10 minutes.
    assert [e.ticket.pk for e in entries] == [t.pk for t in tickets]
    assert [e.wait_minutes for e in entries] == [0, 0, 10]


def test_a_walk_in_limit_that_is_no_number_from_0_to_999_is_refused(cast: Cast) -> None:
    client = client_for(cast.head_a)
    for text in ("zehn", "1000", "-1"):
        response = client.post(
            f"/backoffice/{cast.office_a.pk}/queue/",
            {"action": "walk-in-limit", "limit": text},
            follow=True,
        )
        assert "Please enter a number from 0 to 999." in response.content.decode(), text
    cast.office_a.refresh_from_db()
    assert cast.office_a.walk_in_daily_limit is None


def test_calling_the_next_number_needs_a_counter(cast: Cast) -> None:
    response = client_for(cast.clerk_a).post(
        f"/backoffice/{cast.office_a.pk}/queue/", {"action": "call-next"}, follow=True
    )
    assert "Please choose your counter first." in response.content.decode()
