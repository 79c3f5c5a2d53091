"""The office head's "Counters and services" page in a real browser: ticking a box by keyboard
and saving changes what the counter offers; axe-core finds nothing in German and English.

The clock stands (and ticks) on a Monday morning years ahead, as in the other back-office
browser tests, so the browser's cookies stay valid.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
import time_machine
from axe_playwright_python.sync_playwright import Axe

from amtstermin.booking import roles
from amtstermin.booking.models import Counter, Office, Service
from tests.browser.conftest import DESKTOP, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NOW = datetime(2036, 12, 1, 7, 30, tzinfo=UTC)
PASSWORD = "a long enough test password 42"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture
def office(transactional_db: None) -> Iterator[Office]:
    from django.contrib.auth.models import Group, User

    from amtstermin.booking.models import StaffMembership
    from tests.factories import make_service, small_office

    with time_machine.travel(NOW, tick=True):
        roles.ensure_staff_groups()
        office, _services, _counters = small_office()
        make_service(office, "Fischereischein", 20)  # no counter offers it yet: a warning
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


def test_the_office_head_ticks_a_service_by_keyboard_and_saves(page: Any, office: Office) -> None:
    _log_in(page)
    page.locator(".staff-nav a", has_text="Schalter und Anliegen").click()
    page.wait_for_url("**/configuration/")
    assert page.evaluate("document.documentElement.lang") == "de"
    assert "Fischereischein" in page.locator(".configuration-warnings").inner_text()
    _axe(page, "configuration (de)")
    screenshot(page, "configuration")

    fishing = Service.objects.get(name="Fischereischein")
    second = Counter.objects.get(office=office, name="Schalter 2")
    box = page.locator(f"#offer-{second.pk}-{fishing.pk}")
    assert page.locator(f"label[for='offer-{second.pk}-{fishing.pk}']").inner_text() == (
        "Schalter 2 bietet Fischereischein an"
    )
    box.focus()
    page.keyboard.press("Space")
    assert box.is_checked()
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/configuration/")
    assert page.locator(".message-success").inner_text() == "Gespeichert."
    assert list(second.services.filter(pk=fishing.pk)) == [fishing]
    assert "keinem aktiven Schalter" not in page.locator(".configuration-warnings").inner_text()
    _axe(page, "configuration after saving (de)")


def test_the_page_passes_axe_in_english(browser: Any, live_server: Any, office: Office) -> None:
    context = browser.new_context(viewport=DESKTOP, base_url=live_server.url, locale="en-GB")
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        _log_in(page)
        page.goto(f"/backoffice/{office.pk}/configuration/")
        assert page.evaluate("document.documentElement.lang") == "en"
        assert page.locator("h1").inner_text() == "Counters and services"
        _axe(page, "configuration (en)")
    finally:
        context.close()
