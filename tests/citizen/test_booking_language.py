"""The pages of one booking or one waitlist wish speak its language, not the browser's; the
switch on them changes the language of the record and so of its later e-mails."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import time_machine
from django.conf import settings
from django.test import Client

from amtstermin.booking import services
from amtstermin.booking.demand import resolve_demand
from amtstermin.booking.models import Appointment, WaitlistEntry
from tests.booking.waitlist_cast import NOW as WISH_NOW
from tests.booking.waitlist_cast import leave_wish, one_time_office
from tests.citizen.conftest import MONDAY_8, Cast


def _book(cast: Cast, language: str) -> tuple[Appointment, str]:
    demand = resolve_demand(office=cast.office, pairs=[(cast.services["id_card"].pk, 1)])
    citizen = services.CitizenDetails(
        name="Erika Mustermann", email="erika@example.org", language=language
    )
    return services.appointment_book(demand=demand, start=MONDAY_8, citizen=citizen)


def _german_browser() -> Client:
    return Client(headers={"Accept-Language": "de"})


def test_the_manage_page_speaks_the_booking_language_whatever_the_browser_asks(
    cast: Cast,
) -> None:
    _appointment, token = _book(cast, "en")
    response = _german_browser().get(f"/manage/{token}/")
    html = response.content.decode()
    assert '<html lang="en"' in html
    assert "<h1>Your appointment</h1>" in html
    assert response["Content-Language"] == "en"
    # Its switch changes the booking, not only the cookie.
    assert f'action="/manage/{token}/language/"' in html


def test_the_move_page_and_the_messages_after_a_cancel_speak_it_too(cast: Cast) -> None:
    _appointment, token = _book(cast, "en")
    client = _german_browser()
    assert '<html lang="en"' in client.get(f"/manage/{token}/move/").content.decode()
    cancelled = client.post(f"/manage/{token}/cancel/", follow=True).content.decode()
    assert "Your appointment has been cancelled." in cancelled


def test_the_switch_changes_the_booking_language_and_keeps_the_visitor_there(
    cast: Cast,
) -> None:
    appointment, token = _book(cast, "en")
    client = _german_browser()
    response = client.post(
        f"/manage/{token}/language/", {"language": "de", "next": f"/manage/{token}/move/"}
    )
    assert response.status_code == 302
    assert response["Location"] == f"/manage/{token}/move/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "de"
    appointment.refresh_from_db()
    assert appointment.language == "de"
    assert "<h1>Ihr Termin</h1>" in client.get(f"/manage/{token}/").content.decode()


def test_the_switch_refuses_unknown_languages_and_foreign_targets(cast: Cast) -> None:
    appointment, token = _book(cast, "en")
    client = _german_browser()
    refused = client.post(f"/manage/{token}/language/", {"language": "xx"}, follow=True)
    assert "Unknown language." in refused.content.decode()
    appointment.refresh_from_db()
    assert appointment.language == "en"
    elsewhere = client.post(
        f"/manage/{token}/language/", {"language": "de", "next": "https://evil.example/"}
    )
    assert elsewhere["Location"] == f"/manage/{token}/"


def test_the_switch_changes_nothing_on_get_and_knows_no_foreign_token(cast: Cast) -> None:
    appointment, token = _book(cast, "en")
    client = _german_browser()
    assert client.get(f"/manage/{token}/language/?language=de").status_code == 405
    appointment.refresh_from_db()
    assert appointment.language == "en"
    assert client.post("/manage/not-a-token/language/", {"language": "de"}).status_code == 404


def test_the_confirmation_link_answers_in_the_booking_language(cast: Cast) -> None:
    cast.office.require_email_confirmation = True
    cast.office.save()
    _appointment, token = _book(cast, "en")
    page = _german_browser().post(f"/confirm/{token}/", follow=True).content.decode()
    assert "Thank you: your appointment is confirmed." in page


@pytest.fixture
def wish_clock() -> Iterator[None]:
    with time_machine.travel(WISH_NOW, tick=False):
        yield


@pytest.mark.django_db
def test_the_wish_page_speaks_the_wish_language_and_its_switch_changes_it(
    wish_clock: None,
) -> None:
    place = one_time_office()
    entry, token = leave_wish(place, "erika@example.org", activate=False)
    WaitlistEntry.objects.filter(pk=entry.pk).update(language="en")
    client = _german_browser()
    page = client.get(f"/waitlist/{token}/")
    assert '<html lang="en"' in page.content.decode()
    assert f'action="/waitlist/{token}/language/"' in page.content.decode()
    confirmed = client.post(f"/waitlist/{token}/confirm/", follow=True).content.decode()
    assert "Thank you: your wish is on the waitlist." in confirmed
    client.post(f"/waitlist/{token}/language/", {"language": "de"})
    entry.refresh_from_db()
    assert entry.language == "de"
    assert '<html lang="de"' in client.get(f"/waitlist/{token}/").content.decode()
