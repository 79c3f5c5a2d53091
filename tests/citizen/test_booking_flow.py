"""The whole booking flow with the Django test client: services, time, hold, details, book."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import TYPE_CHECKING

import icalendar
import time_machine
from django.test import Client

from amtstermin.booking import services
from amtstermin.booking.demand import parse_demand_text, resolve_demand
from amtstermin.booking.models import Appointment, AppointmentStatus
from amtstermin.citizen.views.base import DETAILS_KEY, DONE_KEY, HOLD_KEY
from tests.citizen.conftest import (
    FIRST_FREE,
    MONDAY_8,
    MONDAY_WEEK,
    NOW,
    VALID_DETAILS,
    Cast,
    hold_time,
    instant,
    starts_offered,
)
from tests.proof import proof

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as TestResponse


def _input_tag(html: str, field: str) -> str:
    match = re.search(rf'<input[^>]*id="id_{field}"[^>]*>', html)
    assert match, f"no field {field}"
    assert f'<label for="id_{field}">' in html
    return match.group(0)


def test_booking_end_to_end_then_cancel_offers_the_time_again(client: Client, cast: Cast) -> None:
    office = cast.office
    id_card, registration = cast.services["id_card"], cast.services["registration"]

    page = client.get("/", follow=True)
    assert page.redirect_chain == [(f"/o/{office.pk}/", 302)]
    html = page.content.decode()
    assert "Personalausweis" in html and 'name="persons_' in html
    # The phone-only service is listed but cannot be chosen.
    assert f'name="persons_{cast.services["copies"].pk}"' not in html
    assert "Beglaubigung" in html and 'href="tel:+4912345678"' in html

    chosen = client.post(
        f"/o/{office.pk}/",
        {f"persons_{id_card.pk}": "1", f"persons_{registration.pk}": "4"},
    )
    assert chosen.status_code == 302
    time_url = chosen["Location"]
    assert time_url.startswith(f"/o/{office.pk}/time/?services=")

    time_page = client.get(time_url).content.decode()
    assert "Gesamtdauer: 40 Minuten" in time_page
    assert instant(FIRST_FREE) in starts_offered(time_page)
    monday_url = f"{time_url}&{MONDAY_WEEK}"
    assert instant(MONDAY_8) in starts_offered(client.get(monday_url).content.decode())

    hold_time(client, cast)
    held = Appointment.objects.get()
    assert held.status == AppointmentStatus.HELD

    # Every error shows next to its field, is linked from the summary, and nothing is lost.
    wrong = client.post(
        "/booking/details/",
        {"name": "", "email": "erika-at-example", "phone": "0171 555", "for_other": "on"},
    )
    assert wrong.status_code == 400
    html = wrong.content.decode()
    assert 'role="alert"' in html
    for field in ("name", "email", "booked_for", "consent"):
        assert f'href="#id_{field}"' in html
        assert f'id="id_{field}_error"' in html
        tag = _input_tag(html, field)
        assert re.search(rf'aria-describedby="[^"]*id_{field}_error', tag)
        assert 'aria-invalid="true"' in tag
    assert 'value="erika-at-example"' in html
    assert 'value="0171 555"' in html
    assert re.search(r'<input type="checkbox" name="for_other"[^>]*checked', html)

    details = client.post("/booking/details/", {**VALID_DETAILS, "phone": "0171 555"})
    assert details["Location"] == "/booking/review/"
    review = client.get("/booking/review/").content.decode()
    assert "Erika Mustermann" in review and "Jetzt buchen" in review

    booked = client.post("/booking/review/", proof(client))
    assert booked["Location"] == "/booking/done/"
    appointment = Appointment.objects.get()
    assert appointment.status == AppointmentStatus.CONFIRMED
    assert appointment.citizen_name == "Erika Mustermann"
    assert appointment.language == "de"
    assert HOLD_KEY not in client.session and DETAILS_KEY not in client.session

    done = client.get("/booking/done/").content.decode()
    assert appointment.code in done
    assert "Montag, 7. Dezember 2026, 08:00 Uhr" in done
    # One merged checklist: the ID card is needed by all four, the photo by one.
    assert re.search(r"4 ×</span>\s*Ausweis", done)
    assert re.search(r"1 ×</span>\s*Passfoto", done)
    assert re.search(r"1 ×</span>\s*Wohnungsgeberbestätigung", done)
    assert "37,00\u00a0€" in done
    token = client.session[DONE_KEY]
    manage_url = f"http://testserver/manage/{token}/"
    assert f'href="{manage_url}"' in done

    ics = client.get(f"/manage/{token}/calendar.ics")
    assert ics["Content-Type"].startswith("text/calendar")
    event = icalendar.Calendar.from_ical(ics.content).walk("VEVENT")[0]
    assert str(event["UID"]) == f"{appointment.code}@amtstermin"
    assert event.decoded("DTSTART") == MONDAY_8
    assert event.decoded("DTEND") == MONDAY_8 + timedelta(minutes=40)
    assert "Bürgerbüro Teststadt" in str(event["LOCATION"])
    assert "4 × Ausweis" in str(event["DESCRIPTION"])
    assert f"/manage/{token}/" in str(event["DESCRIPTION"])

    manage = client.get(f"/manage/{token}/").content.decode()
    assert appointment.code in manage and 'id="cancel-button"' in manage
    # Two counters: while booked, 08:00 is still offered for one more family.
    assert instant(MONDAY_8) in starts_offered(client.get(monday_url).content.decode())

    # The button asks once more on its own page; only its POST cancels.
    asked = client.get(f"/manage/{token}/cancel/").content.decode()
    assert "Wirklich absagen?" in asked and appointment.code in asked
    assert f'<form method="post" action="/manage/{token}/cancel/"' in asked
    assert Appointment.objects.get().status == AppointmentStatus.CONFIRMED
    cancelled = client.post(f"/manage/{token}/cancel/", follow=True)
    assert "Dieser Termin wurde abgesagt." in cancelled.content.decode()
    assert Appointment.objects.get().status == AppointmentStatus.CANCELLED
    again = client.get(monday_url).content.decode()
    assert instant(MONDAY_8) in starts_offered(again)
    assert 'id="cancel-button"' not in client.get(f"/manage/{token}/").content.decode()


def test_the_time_is_no_longer_offered_while_booked_and_again_after_cancelling(
    client: Client, cast: Cast
) -> None:
    """Only one counter serves the phone-free demand here, so the time really disappears."""
    cast.counters[1].delete()
    monday_url = f"/o/{cast.office.pk}/time/?services={cast.family_demand}&{MONDAY_WEEK}"
    hold_time(client, cast)
    client.post("/booking/details/", VALID_DETAILS)
    client.post("/booking/review/", proof(client))
    token = client.session[DONE_KEY]
    assert instant(MONDAY_8) not in starts_offered(client.get(monday_url).content.decode())
    assert client.get(f"/manage/{token}/cancel/").status_code == 200  # "Really cancel?"
    assert instant(MONDAY_8) not in starts_offered(client.get(monday_url).content.decode())
    client.post(f"/manage/{token}/cancel/")
    assert instant(MONDAY_8) in starts_offered(client.get(monday_url).content.decode())


def test_no_secret_token_appears_in_any_url_of_the_flow(client: Client, cast: Cast) -> None:
    visited: list[str] = []

    def follow(response: TestResponse) -> str:
        visited.extend(url for url, _status in getattr(response, "redirect_chain", []))
        html = response.content.decode()
        visited.extend(re.findall(r'(?:href|action)="([^"]+)"', html))
        return html

    follow(client.get(f"/o/{cast.office.pk}/", follow=True))
    follow(client.get(f"/o/{cast.office.pk}/time/?services={cast.family_demand}"))
    follow(
        client.post(
            f"/o/{cast.office.pk}/hold/",
            {"services": cast.family_demand, "start": instant(MONDAY_8)},
            follow=True,
        )
    )
    hold_token = client.session[HOLD_KEY]["token"]
    follow(client.post("/booking/details/", {"name": ""}, follow=True))
    follow(client.post("/booking/details/", VALID_DETAILS, follow=True))
    follow(client.post("/booking/review/", proof(client), follow=True))
    token = client.session[DONE_KEY]
    assert token == hold_token  # the hold's token becomes the manage token
    assert visited
    for url in visited:
        if "/manage/" in url:
            continue
        assert token not in url, url


def test_every_page_of_the_flow_is_not_cached(client: Client, cast: Cast) -> None:
    def assert_no_store(response: TestResponse) -> None:
        assert "no-store" in response["Cache-Control"], response.request["PATH_INFO"]

    assert_no_store(client.get(f"/o/{cast.office.pk}/"))
    assert_no_store(client.get(f"/o/{cast.office.pk}/time/?services={cast.family_demand}"))
    hold_time(client, cast)
    assert_no_store(client.get("/booking/details/"))
    assert_no_store(client.post("/booking/details/", {"name": ""}))
    client.post("/booking/details/", VALID_DETAILS)
    assert_no_store(client.get("/booking/review/"))
    client.post("/booking/review/", proof(client))
    assert_no_store(client.get("/booking/done/"))
    token = client.session[DONE_KEY]
    assert_no_store(client.get(f"/manage/{token}/"))
    assert_no_store(client.get(f"/manage/{token}/move/"))
    assert_no_store(client.get(f"/manage/{token}/calendar.ics"))


def test_choosing_no_service_shows_the_error_at_the_services(client: Client, cast: Cast) -> None:
    response = client.post(
        f"/o/{cast.office.pk}/",
        {f"persons_{cast.services['id_card'].pk}": "0"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'role="alert"' in html
    assert "Bitte wählen Sie mindestens ein Anliegen." in html
    assert 'aria-describedby="services-error"' in html and 'id="services-error"' in html
    assert f'href="#id_persons_{cast.services["id_card"].pk}"' in html


def test_changing_services_keeps_what_was_chosen(client: Client, cast: Cast) -> None:
    time_page = client.get(f"/o/{cast.office.pk}/time/?services={cast.family_demand}")
    match = re.search(r'href="([^"]+)">Anliegen ändern', time_page.content.decode())
    assert match
    link = match.group(1)
    html = client.get(link.replace("&amp;", "&")).content.decode()
    registration = cast.services["registration"].pk
    match = re.search(rf'<select name="persons_{registration}".*?</select>', html, re.S)
    assert match
    select = match.group(0)
    assert re.search(r'<option value="4" selected data-minutes="25">', select)
    assert "Gesamtdauer: 40 Minuten" in html


def test_each_choice_carries_its_minutes_for_the_live_total(client: Client, cast: Cast) -> None:
    html = client.get(f"/o/{cast.office.pk}/").content.decode()
    id_card = cast.services["id_card"].pk
    match = re.search(rf'<select name="persons_{id_card}".*?</select>', html, re.S)
    assert match
    select = match.group(0)
    assert 'data-minutes="15"' in select and 'data-minutes="60"' in select  # 15 + 3 * 15
    assert 'aria-live="polite"' in html and 'data-grid="5"' in html


def test_a_bad_demand_in_the_link_goes_back_to_the_services(client: Client, cast: Cast) -> None:
    response = client.get(f"/o/{cast.office.pk}/time/?services=abc", follow=True)
    assert response.redirect_chain == [(f"/o/{cast.office.pk}/", 302)]
    assert "hat nicht die Form ANLIEGEN:PERSONEN" in response.content.decode()


def test_asking_for_more_time_extends_the_hold(
    client: Client, cast: Cast, clock: time_machine.Traveller
) -> None:
    hold_time(client, cast)
    held = Appointment.objects.get()
    page = client.get("/booking/details/").content.decode()
    assert "Diese Zeit ist bis 10:10 Uhr für Sie reserviert" in page
    assert 'data-seconds-left="600"' in page
    clock.shift(timedelta(minutes=8))
    response = client.post("/booking/extend/", {"next": "review"})
    assert response["Location"] == "/booking/review/"
    held.refresh_from_db()
    assert held.held_until == NOW + timedelta(minutes=18)


def test_choosing_a_second_time_gives_the_first_hold_back(client: Client, cast: Cast) -> None:
    hold_time(client, cast)
    hold_time(client, cast, MONDAY_8 + timedelta(hours=1))
    statuses = dict(Appointment.objects.values_list("start", "status"))
    assert statuses[MONDAY_8] == AppointmentStatus.EXPIRED  # given back, not a cancelled booking
    assert statuses[MONDAY_8 + timedelta(hours=1)] == AppointmentStatus.HELD


def test_a_second_time_already_taken_keeps_the_first_hold(client: Client, cast: Cast) -> None:
    hold_time(client, cast)
    taken = MONDAY_8 + timedelta(hours=1)
    demand = resolve_demand(office=cast.office, pairs=parse_demand_text(cast.family_demand))
    for _counter in cast.counters:
        services.appointment_hold(demand=demand, start=taken)
    response = client.post(
        f"/o/{cast.office.pk}/hold/", {"services": cast.family_demand, "start": instant(taken)}
    )
    assert response.status_code == 409
    assert Appointment.objects.get(start=MONDAY_8).status == AppointmentStatus.HELD
    assert client.get("/booking/details/").status_code == 200  # the form goes on with it


def test_pages_after_the_time_need_a_hold(client: Client, cast: Cast) -> None:
    for url in ("/booking/details/", "/booking/review/", "/booking/done/"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == "/"


def test_printable_view_of_the_confirmation(client: Client, cast: Cast) -> None:
    hold_time(client, cast)
    client.post("/booking/details/", VALID_DETAILS)
    client.post("/booking/review/", proof(client))
    html = client.get("/booking/done/?print=1").content.decode()
    assert '<body class="print-view">' in html


def test_a_phone_number_with_letters_is_refused_at_the_field(client: Client, cast: Cast) -> None:
    hold_time(client, cast)
    response = client.post("/booking/details/", {**VALID_DETAILS, "phone": "call me maybe"})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_phone_error"' in html and 'href="#id_phone"' in html
    assert 'value="Erika Mustermann"' in html


def test_an_office_asking_for_confirmation_says_the_booking_waits_for_the_e_mail_link(
    client: Client, cast: Cast
) -> None:
    cast.office.require_email_confirmation = True
    cast.office.save()
    hold_time(client, cast)
    client.post("/booking/details/", VALID_DETAILS)
    client.post("/booking/review/", proof(client))
    assert Appointment.objects.get().status == AppointmentStatus.PENDING
    done = client.get("/booking/done/").content.decode()
    assert 'id="pending-notice"' in done
    token = client.session[DONE_KEY]
    manage = client.get(f"/manage/{token}/").content.decode()
    assert f'action="/confirm/{token}/"' in manage
    # A mail scanner that follows the e-mail's link confirms nothing; the page's button does.
    assert client.get(f"/confirm/{token}/")["Location"] == f"/manage/{token}/"
    assert client.head(f"/confirm/{token}/").status_code == 302
    assert Appointment.objects.get().status == AppointmentStatus.PENDING
    client.post(f"/confirm/{token}/")
    assert Appointment.objects.get().status == AppointmentStatus.CONFIRMED


def test_the_other_persons_name_keeps_its_label_value_and_error_when_the_form_comes_back(
    client: Client, cast: Cast
) -> None:
    hold_time(client, cast)
    response = client.post(
        "/booking/details/", {**VALID_DETAILS, "email": "kaputt", "for_other": "on"}
    )
    html = response.content.decode()
    assert response.status_code == 400
    # Never hidden by the page itself: without JavaScript the field is always there.
    assert '<div id="other-name" data-other-name>' in html
    assert '<label for="id_booked_for">Name der Person, für die der Termin ist</label>' in html
    assert 'id="id_booked_for_error"' in html and 'aria-invalid="true"' in html
    again = client.post(
        "/booking/details/",
        {**VALID_DETAILS, "email": "kaputt", "for_other": "on", "booked_for": "Max Mustermann"},
    ).content.decode()
    assert 'value="Max Mustermann"' in again and 'id="id_booked_for_error"' not in again
    assert re.search(r'<input type="checkbox" name="for_other"[^>]* checked', again)
