"""The phone booking page in a real browser: booked by keyboard alone from the next free
times, axe-core in German and English (with and without errors), and its screenshots.

The clock stands (and ticks) on a Monday morning, 08:30 in Berlin, as in
test_backoffice_browser, whose office and staff this reuses.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import time_machine

from amtstermin.booking.models import Appointment
from tests.browser.conftest import DESKTOP, screenshot
from tests.browser.test_backoffice_browser import NOW, PASSWORD, Desk, _axe
from tests.browser.test_backoffice_browser import desk as desk  # the fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def clock() -> Iterator[None]:
    with time_machine.travel(NOW, tick=True):
        yield


def _logged_in(browser: Any, live_server: Any, language: str) -> Any:
    context = browser.new_context(viewport=DESKTOP, base_url=live_server.url, locale=language)
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto("/backoffice/login/")
    page.fill("#id_username", "clerk")
    page.fill("#id_password", PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url("**/day/")
    return page


def test_a_caller_is_booked_by_keyboard_from_the_next_free_times(
    browser: Any, live_server: Any, desk: Desk, clock: None
) -> None:
    page = _logged_in(browser, live_server, "de-DE")
    page.goto(f"/backoffice/{desk.office.pk}/book/")
    page.focus(f"#persons-{desk.services['id_card'].pk}")
    page.keyboard.press("Control+a")
    page.keyboard.type("1")
    page.keyboard.press("Tab")  # the next service's persons
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")  # the counter
    assert page.evaluate("document.activeElement.id") == "book-counter"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.type") == "submit"
    page.keyboard.press("Enter")  # "Show free times"
    page.wait_for_load_state()
    first = page.locator(".time-radios input[name=slot]").first
    value = first.get_attribute("value")
    first.focus()
    page.keyboard.press("Space")
    page.focus("#book-name")
    page.keyboard.type("Karl Anrufer")
    page.keyboard.press("Tab")  # the phone number comes next
    assert page.evaluate("document.activeElement.id") == "book-phone"
    page.keyboard.type("0221 12345")
    page.keyboard.press("Enter")
    page.wait_for_url("**/confirmation/")
    booked = Appointment.objects.get(citizen_name="Karl Anrufer")
    assert booked.start.astimezone(desk.office.zone).strftime("%Y-%m-%dT%H:%M") == value
    page.context.close()


@pytest.mark.parametrize("language", ["de-DE", "en-GB"])
def test_the_booking_page_passes_axe(
    browser: Any, live_server: Any, desk: Desk, clock: None, language: str
) -> None:
    page = _logged_in(browser, live_server, language)
    id_card = desk.services["id_card"].pk
    counter = desk.counters[0].pk
    page.goto(f"/backoffice/{desk.office.pk}/book/?persons_{id_card}=1&counter={counter}")
    assert page.locator("table.week-grid").count() == 1
    _axe(page, f"book {language}")
    if language == "de-DE":
        screenshot(page, "backoffice-phone-booking-times")
    page.goto(f"/backoffice/{desk.office.pk}/book/?persons_{id_card}=1&day=2036-12-02")
    _axe(page, f"book one day {language}")
    page.locator("#day-times ~ dl input[name=slot]").first.check()
    page.fill("#book-name", "Karl Anrufer")
    page.locator("form[method=post] button.button-primary-large").click()
    page.wait_for_load_state()
    assert page.locator("#book-phone[aria-invalid=true]").count() == 1
    assert page.locator("#book-email[aria-invalid=true]").count() == 1
    assert page.locator("[role=alert]").count() >= 1
    _axe(page, f"book without phone or e-mail {language}")
    if language == "de-DE":
        screenshot(page, "backoffice-phone-booking-contact-error")
    page.context.close()
