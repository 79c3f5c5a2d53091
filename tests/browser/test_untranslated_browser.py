"""The page "Texts still to translate" in a real browser: the office head follows a missing
Turkish name to the service's configuration page (which works under the site's content security
policy, without scripts from elsewhere), writes it, and the page no longer lists it; axe-core
finds nothing in German and English."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
import time_machine
from axe_playwright_python.sync_playwright import Axe

from amtstermin.booking import office_texts, roles
from amtstermin.booking.models import Office, Service
from tests.browser.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NOW = datetime(2036, 12, 1, 7, 30, tzinfo=UTC)
PASSWORD = "a long enough test password 42"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture
def office(transactional_db: None) -> Iterator[Office]:
    from django.contrib.auth.models import Group, User

    from amtstermin.booking.models import StaffMembership
    from tests.factories import small_office

    with time_machine.travel(NOW, tick=True):
        roles.ensure_staff_groups()
        office, _services, _counters = small_office()
        Office.objects.filter(pk=office.pk).update(
            address_note_de="Eingang B im Innenhof.", address_note_ar="المدخل B في الفناء."
        )
        head = User.objects.create_user(username="head", password=PASSWORD, is_staff=True)
        head.groups.add(Group.objects.get(name=roles.OFFICE_HEAD))
        StaffMembership.objects.create(user=head, office=office)
        yield office


def _log_in(page: Any) -> None:
    page.goto("/backoffice/login/")
    page.fill("#id_username", "head")
    page.fill("#id_password", PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url("**/day/")


def _axe(page: Any, name: str) -> None:
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    assert results.violations_count == 0, f"{name}: {results.generate_report()}"


def test_the_office_head_translates_what_the_page_lists(page: Any, office: Office) -> None:
    id_card = Service.objects.get(office=office, name_de="Personalausweis")
    _log_in(page)
    page.locator(".staff-nav a", has_text="Übersetzungen").click()
    page.wait_for_url("**/translations/")
    assert page.locator("h1").inner_text() == "Noch zu übersetzende Texte"
    _axe(page, "untranslated (de)")
    screenshot(page, "untranslated")

    turkish = page.locator("#language-tr + .table-scroll tr", has_text="Personalausweis")
    turkish.first.locator("a").click()
    page.wait_for_url(f"**/admin/booking/service/{id_card.pk}/change/**")
    field = page.locator("#id_name_tr")
    assert field.get_attribute("lang") == "tr"
    assert page.locator("#id_name_ar").get_attribute("dir") == "rtl"
    field.fill("Kimlik kartı")
    page.locator("input[name=_save]").click()
    # Saved: back to the list of services (the browser keeps the field's #fragment).
    page.wait_for_url(lambda url: "/admin/booking/service/" in url and "/change/" not in url)
    saved = Service.objects.get(pk=id_card.pk)
    assert office_texts.text_in(saved, "name", "tr") == "Kimlik kartı"

    page.goto(f"/backoffice/{office.pk}/translations/")
    assert f"/admin/booking/service/{id_card.pk}/change/#id_name_tr" not in page.content()
    assert f"/admin/booking/service/{id_card.pk}/change/#id_name_ar" in page.content()


def test_the_page_in_english_is_accessible_too(
    browser: Any, live_server: Any, office: Office
) -> None:
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    try:
        page = context.new_page()
        _log_in(page)
        page.goto(f"/backoffice/{office.pk}/translations/")
        assert page.evaluate("document.documentElement.lang") == "en"
        assert page.locator("h1").inner_text() == "Texts still to translate"
        assert "Arabic: " in page.locator("main nav").inner_text()
        _axe(page, "untranslated (en)")
    finally:
        context.close()
