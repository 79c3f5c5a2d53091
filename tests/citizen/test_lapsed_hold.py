"""When the reserved time is gone: a taken time at hold, a lapsed hold taken meanwhile."""

from __future__ import annotations

import re
from datetime import timedelta

import time_machine
from django.test import Client

from amtstermin.booking import housekeeping, services
from amtstermin.booking.demand import resolve_demand
from amtstermin.booking.models import Appointment, AppointmentStatus
from amtstermin.citizen.views.base import DETAILS_KEY
from tests.citizen.conftest import MONDAY_8, VALID_DETAILS, Cast, hold_time, instant, starts_offered
from tests.proof import proof


def _take_both_counters(cast: Cast) -> None:
    demand = resolve_demand(office=cast.office, pairs=[(cast.services["id_card"].pk, 1)])
    citizen = services.CitizenDetails(name="Other", email="other@example.org")
    for _ in cast.counters:
        services.appointment_book(demand=demand, start=MONDAY_8, citizen=citizen)


def _nearest(html: str) -> list[int]:
    match = re.search(r'class="time-buttons nearest">(.*?)</form>', html, re.S)
    assert match, "no nearest times shown"
    return starts_offered(match.group(1))


def test_a_time_taken_before_the_hold_shows_the_nearest_free_times(
    client: Client, cast: Cast
) -> None:
    _take_both_counters(cast)
    response = client.post(
        f"/o/{cast.office.pk}/hold/", {"services": cast.family_demand, "start": instant(MONDAY_8)}
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert 'role="alert"' in html and "Diese Zeit wurde leider gerade vergeben" in html
    nearest = _nearest(html)
    assert len(nearest) == 6
    assert instant(MONDAY_8) not in nearest
    assert nearest == sorted(nearest)
    # The demand is kept: the buttons hold the same services.
    assert f'name="services" value="{cast.family_demand}"' in html


def test_a_lapsed_hold_whose_time_was_taken_offers_other_times_and_keeps_the_details(
    client: Client, cast: Cast, clock: time_machine.Traveller
) -> None:
    hold_time(client, cast)
    client.post("/booking/details/", {**VALID_DETAILS, "phone": "0171 555"})
    clock.shift(timedelta(minutes=11))  # the hold has lapsed ...
    _take_both_counters(cast)  # ... and others took the time meanwhile
    response = client.post("/booking/review/", proof(client))
    assert response.status_code == 409
    html = response.content.decode()
    assert "Ihre Reservierung" in html and "Ihre Angaben bleiben erhalten" in html
    nearest = _nearest(html)
    assert nearest and instant(MONDAY_8) not in nearest
    assert client.session[DETAILS_KEY]["name"] == "Erika Mustermann"

    # One click on a nearest time, and the details are there again: nothing is retyped.
    picked = client.post(
        f"/o/{cast.office.pk}/hold/", {"services": cast.family_demand, "start": nearest[0]}
    )
    assert picked["Location"] == "/booking/details/"
    details = client.get("/booking/details/").content.decode()
    assert 'value="Erika Mustermann"' in details and 'value="0171 555"' in details
    client.post("/booking/details/", {**VALID_DETAILS, "phone": "0171 555"})
    assert client.post("/booking/review/", proof(client))["Location"] == "/booking/done/"
    mine = Appointment.objects.get(citizen_name="Erika Mustermann")
    assert mine.status == AppointmentStatus.CONFIRMED and instant(mine.start) == nearest[0]


def test_a_lapsed_hold_that_is_still_free_is_booked(
    client: Client, cast: Cast, clock: time_machine.Traveller
) -> None:
    hold_time(client, cast)
    client.post("/booking/details/", VALID_DETAILS)
    clock.shift(timedelta(minutes=15))
    review = client.get("/booking/review/").content.decode()
    assert "Ihre Reservierung ist abgelaufen." in review
    assert client.post("/booking/review/", proof(client))["Location"] == "/booking/done/"
    assert Appointment.objects.get().status == AppointmentStatus.CONFIRMED


def test_a_lapsed_hold_already_marked_expired_is_still_booked_if_the_time_is_free(
    client: Client, cast: Cast, clock: time_machine.Traveller
) -> None:
    hold_time(client, cast)
    client.post("/booking/details/", {**VALID_DETAILS, "phone": "0171 555"})
    clock.shift(timedelta(minutes=11))
    housekeeping.release_lapsed()  # the worker ran: the hold is marked expired
    assert Appointment.objects.get().status == AppointmentStatus.EXPIRED
    response = client.post("/booking/review/", proof(client))
    assert response.status_code == 302 and response["Location"].endswith("/booking/done/")
    assert Appointment.objects.get().status in (
        AppointmentStatus.CONFIRMED,
        AppointmentStatus.PENDING,
    )


def _hold_notice(html: str) -> str:
    start = html.index("data-hold ")
    return html[start : html.index("</form>", start)]


def test_a_running_hold_shows_its_minutes_and_keeps_the_expiry_message_hidden(
    client: Client, cast: Cast, clock: time_machine.Traveller
) -> None:
    hold_time(client, cast)
    clock.shift(timedelta(minutes=4))
    notice = _hold_notice(client.get("/booking/details/").content.decode())
    assert "<p data-hold-running>" in notice and "(6 Minuten)" in notice
    assert "data-hold-expired hidden>" in notice  # the script shows it when the time runs out


def test_a_page_loaded_after_the_hold_lapsed_says_so_and_offers_to_choose_again(
    client: Client, cast: Cast, clock: time_machine.Traveller
) -> None:
    hold_time(client, cast)
    clock.shift(timedelta(minutes=10, seconds=30))
    notice = _hold_notice(client.get("/booking/details/").content.decode())
    assert "Ihre Reservierung ist abgelaufen." in notice
    assert "data-hold-expired>" in notice and "data-hold-running" not in notice
    assert "0 Minuten" not in notice
    choose_again = re.search(
        r'<a href="([^"]+)" class="button button-secondary" id="choose-again"', notice
    )
    assert choose_again is not None
    services = cast.family_demand.replace(":", "%3A").replace(",", "%2C")
    assert choose_again.group(1) == (
        f"/o/{cast.office.pk}/time/?services={services}&amp;week=2026-12-07&amp;day=2026-12-07"
    )


def test_a_hold_marked_expired_by_the_worker_says_so_on_the_review_page(
    client: Client, cast: Cast, clock: time_machine.Traveller
) -> None:
    hold_time(client, cast)
    client.post("/booking/details/", VALID_DETAILS)
    clock.shift(timedelta(minutes=11))
    housekeeping.release_lapsed()
    notice = _hold_notice(client.get("/booking/review/").content.decode())
    assert "Ihre Reservierung ist abgelaufen." in notice and 'id="choose-again"' in notice
    english = client.get("/booking/review/", headers={"Accept-Language": "en"})
    assert "Your reservation has expired." in english.content.decode()
