"""The live ticket page /t/<token>/: number, position, estimate, the counter once called; a
JSON endpoint for the page's polling; "I am leaving"; nothing personal; gone the next day."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from django.contrib.auth.models import User
from django.test import Client
from pytest_django import DjangoAssertNumQueries

from amtstermin.booking import desk, services
from amtstermin.booking.demand import resolve_demand
from amtstermin.booking.models import AuditEntry, Ticket, TicketStatus
from amtstermin.booking.services import CitizenDetails
from amtstermin.scheduling.queue import MIN_SAMPLES

from .conftest import NOW, Cast


def _walk_in(cast: Cast) -> Ticket:
    return desk.ticket_issue(office=cast.office, services=[cast.services["registration"]])


def _clerk() -> User:
    return User.objects.create_user(username="clerk", is_staff=True)


def test_the_page_shows_number_position_and_estimate(cast: Cast) -> None:
    _walk_in(cast)
    ticket = _walk_in(cast)
    page = Client(HTTP_ACCEPT_LANGUAGE="en").get(f"/t/{ticket.page_token}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "W-002" in html and "Position in the queue: 2" in html
    assert "Estimated wait" in html
    assert '<meta http-equiv="refresh" content="20">' in html  # without JavaScript
    assert 'aria-live="assertive"' in html


def test_the_json_endpoint_answers_with_the_state_and_nothing_personal(cast: Cast) -> None:
    ticket = _walk_in(cast)
    state = Client(HTTP_ACCEPT_LANGUAGE="en").get(f"/t/{ticket.page_token}/status.json").json()
    assert state["number"] == "W-001" and state["status"] == "waiting"
    assert state["position"] == 1 and state["counter"] is None
    assert set(state) == {
        "number",
        "status",
        "position",
        "wait_low",
        "wait_high",
        "counter",
        "headline",
        "waiting",
    }


def test_once_called_the_page_names_the_counter(cast: Cast) -> None:
    ticket = _walk_in(cast)
    counter = cast.counters[0]
    desk.ticket_call_next(office=cast.office, counter=counter, staff_user=_clerk())
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    html = client.get(f"/t/{ticket.page_token}/").content.decode()
    assert f"please go to {counter.name}" in html
    state = client.get(f"/t/{ticket.page_token}/status.json").json()
    assert state["status"] == "called" and state["counter"] == counter.name


def test_a_checked_in_citizen_s_page_shows_no_name_or_code(cast: Cast) -> None:
    demand = resolve_demand(
        office=cast.office, pairs=[(cast.services["id_card"].pk, 1)], staff=True
    )
    appointment, _token = services.appointment_book(
        demand=demand,
        start=NOW + timedelta(minutes=30),
        citizen=CitizenDetails(name="Erika Mustermann", email="erika@example.org"),
        staff=True,
    )
    ticket = desk.ticket_check_in_by_code(office=cast.office, code=appointment.code)
    html = Client().get(f"/t/{ticket.page_token}/").content.decode()
    assert "T-001" in html
    assert "Mustermann" not in html and appointment.code not in html


def test_i_am_leaving_gives_up_the_number(cast: Cast) -> None:
    ticket = _walk_in(cast)
    client = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en")
    csrf = client.get(f"/t/{ticket.page_token}/").cookies["csrftoken"].value
    response = client.post(f"/t/{ticket.page_token}/leave/", {"csrfmiddlewaretoken": csrf})
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.LEFT and ticket.left_at is not None
    assert AuditEntry.objects.filter(ticket=ticket, action="ticket_left").exists()
    html = client.get(f"/t/{ticket.page_token}/").content.decode()
    assert "You have given up this number." in html and 'http-equiv="refresh"' not in html


def test_leaving_needs_a_post(cast: Cast) -> None:
    ticket = _walk_in(cast)
    assert Client().get(f"/t/{ticket.page_token}/leave/").status_code == 405
    assert Ticket.objects.get(pk=ticket.pk).status == TicketStatus.WAITING


def test_the_page_expires_at_the_end_of_the_day(cast: Cast, clock: time_machine.Traveller) -> None:
    ticket = _walk_in(cast)
    clock.shift(timedelta(hours=14))  # Wednesday 00:00 in Berlin
    assert Client().get(f"/t/{ticket.page_token}/").status_code == 404
    assert Client().get(f"/t/{ticket.page_token}/status.json").status_code == 404


def test_an_unknown_token_is_not_found_and_the_token_is_stored_hashed(cast: Cast) -> None:
    ticket = _walk_in(cast)
    assert ticket.token_hash and ticket.page_token not in (ticket.token_hash or "")
    assert Client().get("/t/guessed-token/").status_code == 404


def _served_yesterday(cast: Cast, count: int) -> None:
    """Enough served numbers for the measured service time to count."""
    for number in range(1, count + 1):
        called = NOW - timedelta(days=1) + timedelta(minutes=number)
        served = Ticket.objects.create(
            office=cast.office,
            day=called.date(),
            prefix=Ticket.WALK_IN_PREFIX,
            number=number,
            status=TicketStatus.DONE,
            created_at=called,
            called_at=called,
            finished_at=called + timedelta(minutes=12),
        )
        served.services.set([cast.services["registration"]])


def test_a_poll_of_the_page_runs_five_statements(
    cast: Cast, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    """The page asks every 20 seconds: the four weeks' measured service times come from the
    shared cache, and the queue reads no busy times."""
    _served_yesterday(cast, MIN_SAMPLES)
    _walk_in(cast)
    ticket = _walk_in(cast)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    first = client.get(f"/t/{ticket.page_token}/status.json").json()
    # The ticket; the configuration's version; today's open numbers and their services; today's
    # appointments.
    with django_assert_num_queries(5):
        again = client.get(f"/t/{ticket.page_token}/status.json").json()
    assert again == first and again["position"] == 2
