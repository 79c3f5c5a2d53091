"""Seven languages on the citizen pages: the first visit follows Accept-Language, the <html>
element carries lang and dir, and every page has a switch listing each language in its own name."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.test import Client

from amtstermin.booking import desk
from amtstermin.languages import OWN_NAMES

from .conftest import Cast

CODES = ["de", "en", "tr", "ar", "uk", "ru", "pl"]
NAMES = ["Deutsch", "English", "Türkçe", "العربية", "Українська", "Русский", "Polski"]


def _html_tag(html: str) -> str:
    match = re.search(r"<html[^>]*>", html)
    assert match is not None
    return match.group(0)


def _switch(html: str) -> str:
    return html.split('<form class="language-switch')[1].split("</form>")[0]


def test_the_site_speaks_seven_languages_in_the_settings_order() -> None:
    assert [code for code, _name in settings.LANGUAGES] == CODES
    assert list(OWN_NAMES) == CODES and list(OWN_NAMES.values()) == NAMES


@pytest.mark.parametrize("code", CODES)
def test_the_first_visit_follows_accept_language(cast: Cast, code: str) -> None:
    html = Client().get("/", follow=True, headers={"Accept-Language": code}).content.decode()
    direction = "rtl" if code == "ar" else "ltr"
    assert _html_tag(html) == f'<html lang="{code}" dir="{direction}">'


@pytest.mark.parametrize(
    "header, code",
    [
        ("tr-TR,tr;q=0.9,en;q=0.5", "tr"),
        ("ar-SA", "ar"),
        ("ar-DE, de;q=0.8", "ar"),
        ("uk-UA,uk;q=0.9", "uk"),
        ("ru-RU", "ru"),
        ("pl-PL,pl;q=0.9,en-US;q=0.8", "pl"),
        ("en-GB", "en"),
        ("fr-FR, zh;q=0.5", "de"),
        ("fr-FR, uk;q=0.5", "uk"),
    ],
)
def test_regional_and_weighted_accept_language_headers(cast: Cast, header: str, code: str) -> None:
    html = Client().get("/", follow=True, headers={"Accept-Language": header}).content.decode()
    assert _html_tag(html).startswith(f'<html lang="{code}"')


@pytest.mark.parametrize(
    "path", ["/", "/o/{office}/", "/o/{office}/time/", "/o/{office}/privacy/", "/o/999999/"]
)
def test_every_citizen_page_lists_each_language_in_its_own_name(cast: Cast, path: str) -> None:
    html = Client().get(path.format(office=cast.office.pk), follow=True).content.decode()
    switch = _switch(html)
    assert 'method="post"' in switch and 'name="csrfmiddlewaretoken"' in switch
    for code, name in zip(CODES, NAMES, strict=True):
        direction = "rtl" if code == "ar" else "ltr"
        assert (
            f'name="language" value="{code}" lang="{code}" dir="{direction}" class="link-button"'
        ) in switch
        assert f">{name}</button>" in switch


def test_the_switch_marks_the_current_language(cast: Cast) -> None:
    switch = _switch(
        Client().get("/", follow=True, headers={"Accept-Language": "uk"}).content.decode()
    )
    (current,) = re.findall(r"<button[^>]*aria-current=\"true\"[^>]*>([^<]*)</button>", switch)
    assert current == "Українська"


def test_the_live_ticket_page_has_the_switch(cast: Cast) -> None:
    ticket = desk.ticket_issue(office=cast.office, services=[cast.services["registration"]])
    html = Client().get(f"/t/{ticket.page_token}/").content.decode()
    assert f'<input type="hidden" name="next" value="/t/{ticket.page_token}/">' in _switch(html)
    assert ">العربية</button>" in _switch(html)


def test_choosing_a_language_without_javascript_keeps_it(cast: Cast) -> None:
    client = Client(enforce_csrf_checks=True)
    page = client.get(f"/o/{cast.office.pk}/").content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token is not None
    response = client.post(
        "/i18n/setlang/",
        {"language": "ar", "next": f"/o/{cast.office.pk}/", "csrfmiddlewaretoken": token[1]},
    )
    assert response.status_code == 302 and response["Location"] == f"/o/{cast.office.pk}/"
    html = client.get(f"/o/{cast.office.pk}/", headers={"Accept-Language": "de"}).content.decode()
    assert _html_tag(html) == '<html lang="ar" dir="rtl">'
