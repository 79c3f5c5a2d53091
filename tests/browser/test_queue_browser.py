"""The queue in a real browser: the paired kiosk (German and English, touch-sized, a print
view for the ticket printer), the live ticket page with and without JavaScript, the call
display at 1920 x 1080; axe-core on each. Screenshots go to docs/screenshots/."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import time_machine
from axe_playwright_python.sync_playwright import Axe

from amtstermin.booking import desk as booking_desk
from amtstermin.booking import devices, roles
from amtstermin.booking.models import Office, Ticket

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Far ahead of the real clock (cookies), a Monday 08:30 in Berlin: the office is open.
NOW = datetime(2036, 12, 1, 7, 30, tzinfo=UTC)
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
DOCS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
FULL_HD = {"width": 1920, "height": 1080}


@dataclass
class Hall:
    office: Office
    services: dict[str, Any]
    counters: list[Any]
    kiosk: str
    display: str
    head: Any


@pytest.fixture
def hall(transactional_db: None) -> Iterator[Hall]:
    from django.contrib.auth.models import Group, User

    from amtstermin.booking.models import StaffMembership
    from tests.factories import small_office

    with time_machine.travel(NOW, tick=True):
        roles.ensure_staff_groups()
        office, services, counters = small_office()
        head = User.objects.create_user(username="head", is_staff=True)
        head.groups.add(Group.objects.get(name=roles.OFFICE_HEAD))
        StaffMembership.objects.create(user=head, office=office)
        kiosk = devices.device_pair(office=office, kind="kiosk", name="Eingang", staff_user=head)
        display = devices.device_pair(
            office=office, kind="display", name="Wartesaal", staff_user=head
        )
        yield Hall(office, services, counters, kiosk.token, display.token, head)


OTHER_LANGUAGES = ["tr", "ar", "uk", "ru", "pl"]  # beside German and English


def _direction(language: str) -> str:
    return "rtl" if language == "ar" else "ltr"


def _axe(page: Any, name: str) -> None:
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    assert results.violations_count == 0, f"{name}: {results.generate_report()}"


def _shot(page: Any, name: str) -> None:
    DOCS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(DOCS / f"{name}.png"), full_page=True)


def _draw(page: Any, hall: Hall) -> str:
    """Draw a walk-in number at the kiosk; the live ticket page's path."""
    page.locator(f"label[for=kiosk-service-{hall.services['registration'].pk}]").click()
    page.locator("input[value=walk-in] ~ button").click()
    page.wait_for_load_state()
    link = page.locator(".slip-link a").get_attribute("href")
    assert link is not None
    found = re.search(r"(/t/[A-Za-z0-9_-]+/)", link)
    assert found is not None
    return found.group(1)


def test_the_kiosk_in_german_and_english_with_large_targets_and_a_print_view(
    browser_page: Any, hall: Hall
) -> None:
    with browser_page() as page:
        page.set_viewport_size({"width": 1080, "height": 1920})
        page.goto(f"/kiosk/{hall.kiosk}/")
        assert "bitte ziehen Sie eine Wartenummer" in page.content()
        _axe(page, "kiosk de")
        for target in page.locator("main button, .kiosk-option").all():
            box = target.bounding_box()
            assert box is not None and box["height"] >= 48 and box["width"] >= 48
        _shot(page, "queue-kiosk")
        for language in OTHER_LANGUAGES:
            page.locator(f".kiosk-languages button[value={language}]").click()
            page.wait_for_selector(f"html[lang={language}]")
            assert page.evaluate("document.documentElement.dir") == _direction(language)
            _axe(page, f"kiosk {language}")
        page.locator(".kiosk-languages button[value=en]").click()
        page.wait_for_load_state()
        assert "please draw a number" in page.content()
        _axe(page, "kiosk en")
        _draw(page, hall)
        assert "W-001" in page.locator(".ticket-big").inner_text()
        assert page.locator(".slip-qr svg").count() == 1
        _axe(page, "kiosk ticket")
        _shot(page, "queue-kiosk-ticket")
        page.emulate_media(media="print")
        page.set_viewport_size({"width": 272, "height": 800})  # 72 mm at 96 dpi
        assert not page.locator(".site-header").is_visible()
        assert page.locator(".ticket-slip").is_visible()
        _shot(page, "queue-ticket-print")


def test_the_live_ticket_page_follows_the_call_with_javascript(
    browser_page: Any, hall: Hall
) -> None:
    with browser_page() as kiosk:
        kiosk.goto(f"/kiosk/{hall.kiosk}/")
        path = _draw(kiosk, hall)
    with browser_page() as page:
        page.goto(path)
        assert "W-001" in page.locator(".ticket-big").inner_text()
        _axe(page, "ticket de")
        _shot(page, "queue-ticket-page")
        for language in OTHER_LANGUAGES:
            page.locator(f".language-switch button[value={language}]").click()
            page.wait_for_selector(f"html[lang={language}]")
            assert page.evaluate("document.documentElement.dir") == _direction(language)
            _axe(page, f"ticket {language}")
        page.locator(".language-switch button[value=en]").click()
        page.wait_for_load_state()
        _axe(page, "ticket en")
        counter = hall.counters[0]
        booking_desk.ticket_call_next(office=hall.office, counter=counter, staff_user=hall.head)
        # The page polls its JSON endpoint and announces the call in its live region.
        page.locator("#ticket-headline").filter(has_text=counter.name).wait_for(timeout=40_000)
        live = page.locator("[aria-live=assertive]")
        assert counter.name in live.inner_text()
        _axe(page, "ticket called")


def test_the_live_ticket_page_refreshes_itself_without_javascript(
    browser: Any, live_server: Any, hall: Hall
) -> None:
    ticket = booking_desk.ticket_issue(office=hall.office, services=[hall.services["registration"]])
    context = browser.new_context(
        base_url=live_server.url, java_script_enabled=False, locale="en-GB"
    )
    try:
        page = context.new_page()
        page.goto(f"/t/{ticket.page_token}/")
        assert "W-001" in page.locator(".ticket-big").inner_text()
        assert page.locator("#leave-form button").count() == 1
        # Nobody reloads the page: its <noscript> refresh brings the call.
        counter = hall.counters[1]
        booking_desk.ticket_call_next(office=hall.office, counter=counter, staff_user=hall.head)
        page.locator(".ticket-headline").filter(has_text=counter.name).wait_for(timeout=40_000)
    finally:
        context.close()


def test_i_am_leaving_in_the_browser(browser_page: Any, hall: Hall) -> None:
    with browser_page() as kiosk:
        kiosk.goto(f"/kiosk/{hall.kiosk}/")
        path = _draw(kiosk, hall)
    with browser_page() as page:
        page.goto(path)
        page.locator("#leave-form button").click()
        page.wait_for_load_state()
        assert page.locator("#leave-form").count() == 0
        assert Ticket.objects.get().status == "left"


def test_the_call_display_reads_across_a_room(browser: Any, live_server: Any, hall: Hall) -> None:
    for _ in range(4):
        booking_desk.ticket_issue(office=hall.office, services=[hall.services["registration"]])
    for counter in [*hall.counters, hall.counters[0]]:
        booking_desk.ticket_call_next(office=hall.office, counter=counter, staff_user=hall.head)
    context = browser.new_context(base_url=live_server.url, viewport=FULL_HD, locale="de-DE")
    try:
        page = context.new_page()
        page.goto(f"/display/{hall.display}/")
        number = page.locator("#current .call-number")
        assert number.inner_text() == "W-003"
        assert float(number.evaluate("n => parseFloat(getComputedStyle(n).fontSize)")) >= 96
        assert page.locator("#earlier li").count() == 2
        _axe(page, "display")
        _shot(page, "queue-display-1920")
    finally:
        context.close()


@pytest.mark.parametrize("locale", ["de-DE", "en-GB"])
def test_the_office_head_pairs_and_revokes_a_device(
    browser: Any, live_server: Any, hall: Hall, locale: str
) -> None:
    password = "a long enough test password 42"
    hall.head.set_password(password)
    hall.head.save()
    context = browser.new_context(base_url=live_server.url, locale=locale)
    try:
        page = context.new_page()
        page.goto("/backoffice/login/")
        page.fill("#id_username", "head")
        page.fill("#id_password", password)
        page.locator("main button[type=submit]").click()
        page.wait_for_url("**/day/")
        page.goto(f"/backoffice/{hall.office.pk}/devices/")
        _axe(page, f"devices {locale}")
        page.fill("#device-name", "Foyer")
        page.locator("form:has(input[value=pair]) button[type=submit]").click()
        page.wait_for_load_state()
        link = page.locator(".device-link").inner_text()
        assert "/kiosk/" in link and page.locator(".slip-qr svg").count() == 1
        _axe(page, f"devices with a new link {locale}")
        revoke = page.locator("tr", has_text="Foyer").locator("button")
        revoke.click()
        page.wait_for_load_state()
        assert page.request.get(link).status == 403
    finally:
        context.close()
