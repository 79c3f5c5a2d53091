"""The back office speaks German and English only; the kiosk speaks all seven languages."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from .conftest import Cast, client_for, pair

OWN_NAMES = ["Deutsch", "English", "Türkçe", "العربية", "Українська", "Русский", "Polski"]


def _html_tag(html: str) -> str:
    match = re.search(r"<html[^>]*>", html)
    assert match is not None
    return match.group(0)


@pytest.mark.parametrize("code", ["tr", "ar", "uk", "ru", "pl"])
def test_staff_pages_are_german_when_a_citizen_language_is_chosen(cast: Cast, code: str) -> None:
    client = client_for(cast.clerk_a)
    client.cookies["django_language"] = code
    response = client.get(f"/backoffice/{cast.office_a.pk}/day/")
    assert response.status_code == 200
    assert _html_tag(response.content.decode()) == '<html lang="de" dir="ltr">'
    assert response["Content-Language"] == "de"


@pytest.mark.parametrize("code", ["de", "en"])
def test_staff_pages_keep_german_and_english(cast: Cast, code: str) -> None:
    client = client_for(cast.clerk_a)
    client.cookies["django_language"] = code
    html = client.get(f"/backoffice/{cast.office_a.pk}/day/").content.decode()
    assert _html_tag(html) == f'<html lang="{code}" dir="ltr">'


def test_the_admin_login_is_german_for_an_arabic_browser(cast: Cast) -> None:
    html = Client(HTTP_ACCEPT_LANGUAGE="ar").get("/admin/login/").content.decode()
    assert _html_tag(html).startswith('<html lang="de" dir="ltr"')


def test_the_kiosk_offers_all_seven_languages_as_large_buttons(cast: Cast) -> None:
    url = f"/kiosk/{pair(cast.office_a, 'kiosk')}/"
    html = Client(HTTP_ACCEPT_LANGUAGE="ar").get(url).content.decode()
    assert _html_tag(html) == '<html lang="ar" dir="rtl">'
    switch = html.split('<form class="language-switch kiosk-languages')[1].split("</form>")[0]
    assert f'name="next" value="{url}"' in switch
    buttons = re.findall(r'<button type="submit" name="language" value="(\w+)" lang="\1"', switch)
    assert buttons == ["de", "en", "tr", "ar", "uk", "ru", "pl"]
    for name in OWN_NAMES:
        assert f">{name}</button>" in switch
    assert switch.count('class="button button-secondary"') == 7


def test_the_kiosk_ticket_slip_has_the_switch_too(cast: Cast) -> None:
    url = f"/kiosk/{pair(cast.office_a, 'kiosk')}/"
    client = Client(HTTP_ACCEPT_LANGUAGE="tr")
    client.get(url)
    service = cast.services_a["registration"]
    html = client.post(url, {"action": "walk-in", "service": [service.pk]}).content.decode()
    assert 'id="ticket-slip"' in html
    assert ">Türkçe</button>" in html and 'aria-current="true">Türkçe</button>' in html
