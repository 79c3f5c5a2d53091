"""The manage link: show, cancel until the deadline, move to another time, unknown tokens."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import time_machine
from django.test import Client

from amtstermin.booking import services
from amtstermin.booking.demand import resolve_demand
from amtstermin.booking.models import Appointment, AppointmentStatus
from tests.citizen.conftest import MONDAY_8, MONDAY_WEEK, Cast, instant, starts_offered


def _book(cast: Cast, start: datetime = MONDAY_8) -> tuple[Appointment, str]:
    """A booking by someone else at each start (one person may hold only two)."""
    demand = resolve_demand(office=cast.office, pairs=[(cast.services["id_card"].pk, 2)])
    citizen = services.CitizenDetails(
        name="Erika Mustermann", email=f"erika{start:%d%H%M}@example.org"
    )
    return services.appointment_book(demand=demand, start=start, citizen=citizen)


def test_manage_page_shows_the_appointment_and_offers_cancel_and_move(
    client: Client, cast: Cast
) -> None:
    appointment, token = _book(cast)
    response = client.get(f"/manage/{token}/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    assert appointment.code in html
    assert "Montag, 7. Dezember 2026, 08:00 Uhr" in html
    assert "74,00\u00a0€" in html  # 2 * 37.00
    assert re.search(r"2 ×</span>\s*Passfoto", html)
    assert 'id="cancel-button"' in html
    assert f'href="/manage/{token}/move/"' in html


def test_move_books_the_new_time_and_gives_up_the_old(client: Client, cast: Cast) -> None:
    appointment, token = _book(cast)
    page = client.get(f"/manage/{token}/move/?{MONDAY_WEEK}")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Andere Zeit wählen" in html
    assert f'action="/manage/{token}/move/"' in html
    # Its own time is offered (it would be free after the move).
    assert instant(MONDAY_8) in starts_offered(html)
    new_start = MONDAY_8 + timedelta(hours=2)
    moved = client.post(f"/manage/{token}/move/", {"start": instant(new_start)}, follow=True)
    assert "Ihr Termin wurde auf die neue Zeit verschoben." in moved.content.decode()
    appointment.refresh_from_db()
    assert appointment.start == new_start
    assert appointment.status == AppointmentStatus.CONFIRMED
    assert Appointment.objects.count() == 1


def test_moving_to_a_taken_time_says_so_and_offers_the_nearest_times(
    client: Client, cast: Cast
) -> None:
    appointment, token = _book(cast)
    taken = MONDAY_8 + timedelta(hours=2)
    _book(cast, taken)
    _book(cast, taken)  # both counters are busy at 10:00 now
    response = client.post(f"/manage/{token}/move/", {"start": instant(taken)})
    assert response.status_code == 409
    html = response.content.decode()
    assert "Diese Zeit wurde leider gerade vergeben" in html
    match = re.search(r'class="time-buttons nearest">(.*?)</form>', html, re.S)
    assert match
    nearest = match.group(1)
    offered = starts_offered(nearest)
    assert offered and instant(taken) not in offered
    assert all(abs(start - instant(taken)) <= 3 * 3600 for start in offered)
    appointment.refresh_from_db()
    assert appointment.start == MONDAY_8


def test_after_the_start_online_cancellation_is_closed(
    client: Client, cast: Cast, clock: time_machine.Traveller
) -> None:
    appointment, token = _book(cast)
    clock.move_to(MONDAY_8 + timedelta(minutes=1))
    html = client.get(f"/manage/{token}/").content.decode()
    assert 'id="deadline-passed"' in html
    assert "Ihr Termin hat begonnen" in html
    assert 'href="tel:+4912345678"' in html
    assert 'id="cancel-button"' not in html and "/move/" not in html
    asked = client.get(f"/manage/{token}/cancel/", follow=True).content.decode()
    assert "Wirklich absagen?" not in asked and "nicht mehr online abgesagt werden" in asked
    refused = client.post(f"/manage/{token}/cancel/", follow=True)
    assert "nicht mehr online abgesagt werden" in refused.content.decode()
    moved = client.get(f"/manage/{token}/move/", follow=True)
    assert "kann nicht mehr online geändert werden" in moved.content.decode()
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.CONFIRMED


def test_an_unknown_token_shows_a_friendly_not_found_page(client: Client, cast: Cast) -> None:
    for url in ("/manage/not-a-real-token/", "/manage/nope/calendar.ics", "/manage/nope/move/"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert (
            "Wir konnten diese Seite oder diesen Termin nicht finden." in response.content.decode()
        )
    assert client.post("/manage/nope/cancel/").status_code == 404
    assert client.get("/manage/nope/cancel/").status_code == 404


def test_a_cancelled_appointment_shows_as_cancelled_with_a_link_to_book_anew(
    client: Client, cast: Cast
) -> None:
    appointment, token = _book(cast)
    services.appointment_cancel(appointment=appointment)
    html = client.get(f"/manage/{token}/").content.decode()
    assert 'id="cancelled-notice"' in html
    assert f'href="/o/{cast.office.pk}/">Neuen Termin buchen' in html
    assert 'id="cancel-button"' not in html


def test_a_lapsed_unconfirmed_booking_is_not_offered_another_time(
    client: Client, cast: Cast, clock: time_machine.Traveller
) -> None:
    cast.office.require_email_confirmation = True
    cast.office.save()
    appointment, token = _book(cast)
    assert appointment.status == AppointmentStatus.PENDING
    assert appointment.pending_until is not None
    clock.move_to(appointment.pending_until + timedelta(seconds=1))
    html = client.get(f"/manage/{token}/").content.decode()
    assert f'href="/manage/{token}/move/"' not in html
    moved = client.get(f"/manage/{token}/move/", follow=True)
    assert "kann nicht mehr online geändert werden" in moved.content.decode()


def test_the_cancel_button_leads_to_a_page_that_asks_once_more(client: Client, cast: Cast) -> None:
    appointment, token = _book(cast)
    manage = client.get(f"/manage/{token}/").content.decode()
    assert (
        f'<a href="/manage/{token}/cancel/" class="button button-danger" id="cancel-button">'
        in (manage)
    )
    response = client.get(f"/manage/{token}/cancel/")
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    html = response.content.decode()
    assert "<h1>Wirklich absagen?</h1>" in html
    assert appointment.code in html and "Montag, 7. Dezember 2026, 08:00 Uhr" in html
    assert re.search(
        rf'<form method="post" action="/manage/{token}/cancel/"[^>]*>\s*'
        r'<input type="hidden" name="csrfmiddlewaretoken"',
        html,
    )
    assert 'id="confirm-cancel">Ja, Termin absagen</button>' in html
    assert f'<a href="/manage/{token}/" class="button button-secondary" id="keep-appointment">' in (
        html
    )
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.CONFIRMED  # asking changes nothing


def test_the_confirmation_page_needs_the_csrf_token_to_cancel(cast: Cast) -> None:
    appointment, token = _book(cast)
    guarded = Client(enforce_csrf_checks=True)
    assert guarded.get(f"/manage/{token}/cancel/").status_code == 200
    assert guarded.post(f"/manage/{token}/cancel/").status_code == 403
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.CONFIRMED


def test_asking_to_cancel_a_cancelled_appointment_shows_it_as_cancelled(
    client: Client, cast: Cast
) -> None:
    appointment, token = _book(cast)
    services.appointment_cancel(appointment=appointment)
    response = client.get(f"/manage/{token}/cancel/")
    assert response.status_code == 302 and response["Location"] == f"/manage/{token}/"


def test_the_confirmation_page_in_english(client: Client, cast: Cast) -> None:
    appointment, token = _book(cast)
    Appointment.objects.filter(pk=appointment.pk).update(language="en")  # booked in English
    html = client.get(f"/manage/{token}/cancel/", headers={"Accept-Language": "de"}).content
    assert b"<h1>Really cancel?</h1>" in html and b"No, keep the appointment" in html
