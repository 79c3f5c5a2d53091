"""The citizen pages in a real browser: the whole flow by mouse and by keyboard, and axe-core."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import translation

from amtstermin.booking.models import Appointment, Office, Service
from amtstermin.ratelimit.models import UsedChallenge
from tests.browser.conftest import PHONE, screenshot
from tests.factories import make_office

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ID_CARD = "Personalausweis beantragen"
REGISTRATION = "Anmeldung bei Zuzug"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def _services(office: Office) -> tuple[Service, Service]:
    return (
        Service.objects.get(office=office, name=ID_CARD),
        Service.objects.get(office=office, name=REGISTRATION),
    )


def _time_url(office: Office, demand: str, start: int) -> str:
    day = datetime.fromtimestamp(start, UTC).astimezone(office.zone).date()
    monday = day - timedelta(days=day.weekday())
    query = urlencode({"services": demand, "week": monday.isoformat(), "day": day.isoformat()})
    return f"/o/{office.pk}/time/?{query}"


def _time_button(page: Any, start: int) -> Any:
    return page.locator(f'.times button[name="start"][value="{start}"]')


def test_booking_and_cancelling_with_the_mouse(page: Any, demo_office: Office) -> None:
    id_card, registration = _services(demo_office)
    page.goto("/")
    assert page.url.endswith(f"/o/{demo_office.pk}/")
    page.fill(f"#id_persons_{id_card.pk}", "1")  # the stepper's number field
    page.fill(f"#id_persons_{registration.pk}", "4")
    # The live total (15 + 10 + 3 * 5 minutes) appears before going on.
    assert page.locator("#total-time").inner_text() == "Gesamtdauer: 40 Minuten"
    page.locator("form.services-form button[type=submit]").click()

    page.wait_for_url(re.compile(r"/time/\?services="))
    assert "40" in page.locator("#total-time").inner_text()
    next_free = page.locator("#next-free")
    start = int(next_free.get_attribute("value"))
    _wait_for_the_proof_of_work(page)
    next_free.click()

    page.wait_for_url(re.compile(r"/booking/details/$"))
    assert page.locator("[data-hold]").is_visible()
    page.fill("#id_name", "Erika Mustermann")
    page.fill("#id_email", "erika@example.org")
    page.check("#id_consent")
    page.locator("form.details-form button[type=submit]").click()

    page.wait_for_url(re.compile(r"/booking/review/$"))
    assert "Erika Mustermann" in page.locator("main").inner_text()
    _wait_for_the_proof_of_work(page)
    page.click("#book-now")

    page.wait_for_url(re.compile(r"/booking/done/$"))
    code = page.locator("#booking-code").inner_text()
    assert re.fullmatch(r"[A-Z0-9]{8}", code)
    # Both steps were sent with a solution the server accepted and used up.
    assert UsedChallenge.objects.count() == 2
    checklist = page.locator(".checklist-items").inner_text()
    assert "4 ×" in checklist and "Personalausweis oder Reisepass" in checklist
    assert checklist.count("Personalausweis oder Reisepass") == 1  # merged across services
    # One catalogue entry that both services ask for, with each service's note.
    assert checklist.count("Geburts- oder Heiratsurkunde") == 1
    assert "Nur bei der ersten Beantragung" in checklist and "zum ersten Mal" in checklist
    fees = page.locator(".fee-lines").inner_text()
    assert ID_CARD in fees and "37,00" in fees and REGISTRATION in fees
    screenshot(page, "checklist")
    manage_url = page.locator("#manage-link").get_attribute("href")
    assert "/manage/" in manage_url

    demand = f"{id_card.pk}:1,{registration.pk}:4"
    page.goto(_time_url(demo_office, demand, start))
    assert _time_button(page, start).count() == 0  # booked: no longer offered

    page.goto(manage_url)
    assert page.locator("#booking-code").inner_text() == code
    page.click("#cancel-button")  # asks once more on its own page
    page.wait_for_url(re.compile(r"/cancel/$"))
    assert page.locator("#booking-code").inner_text() == code
    page.click("#confirm-cancel")
    page.wait_for_selector("#cancelled-notice")

    page.goto(_time_url(demo_office, demand, start))
    assert _time_button(page, start).count() == 1  # offered again


def _wait_for_the_proof_of_work(page: Any) -> None:
    """The widget solves its challenge in the background (a web worker, no request elsewhere)."""
    page.wait_for_function(
        "() => [...document.querySelectorAll('input[data-proof]')].every(i => i.value)"
    )


def _tab_to(page: Any, selector: str, *, backwards: bool = False, limit: int = 80) -> None:
    """Press Tab (or Shift+Tab) until the element matching ``selector`` has the focus."""
    key = "Shift+Tab" if backwards else "Tab"
    for _ in range(limit):
        page.keyboard.press(key)
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} cannot be reached with {key}")


def _focused(page: Any, selector: str) -> bool:
    return bool(page.evaluate("s => document.activeElement.matches(s)", selector))


def test_booking_and_cancelling_with_the_keyboard_alone(page: Any, demo_office: Office) -> None:
    id_card, registration = _services(demo_office)
    page.goto(f"/o/{demo_office.pk}/")
    page.keyboard.press("Tab")
    assert _focused(page, ".skip-link")  # the first stop skips to the content

    # The stepper's number field counts with the arrow keys, its native keyboard interaction.
    _tab_to(page, f"#id_persons_{id_card.pk}")
    page.keyboard.press("ArrowUp")
    _tab_to(page, f"#id_persons_{registration.pk}")
    for _ in range(4):
        page.keyboard.press("ArrowUp")
    assert page.input_value(f"#id_persons_{registration.pk}") == "4"
    _tab_to(page, "form.services-form button[type=submit]")
    page.keyboard.press("Enter")

    page.wait_for_url(re.compile(r"/time/\?services="))
    _tab_to(page, "#next-free")
    start = int(page.locator("#next-free").get_attribute("value"))
    page.keyboard.press("Enter")

    page.wait_for_url(re.compile(r"/booking/details/$"))
    _tab_to(page, "form.details-form button[type=submit]")
    page.keyboard.press("Enter")  # nothing filled in
    page.wait_for_selector("#error-summary")
    assert _focused(page, "#error-summary")  # the summary takes the focus and is announced
    _tab_to(page, 'a[href="#id_name"]')
    page.keyboard.press("Enter")  # the summary's link leads to the field
    assert _focused(page, "#id_name")
    page.keyboard.type("Erika Mustermann")
    _tab_to(page, "#id_email")
    page.keyboard.type("erika@example.org")
    _tab_to(page, "#id_consent")
    page.keyboard.press("Space")
    _tab_to(page, "#id_name", backwards=True)  # Shift+Tab goes back; the input is kept
    assert page.input_value("#id_name") == "Erika Mustermann"
    _tab_to(page, "form.details-form button[type=submit]")
    page.keyboard.press("Enter")

    page.wait_for_url(re.compile(r"/booking/review/$"))
    _tab_to(page, "#book-now")
    page.keyboard.press("Enter")

    page.wait_for_url(re.compile(r"/booking/done/$"))
    assert "4 ×" in page.locator(".checklist-items").inner_text()
    _tab_to(page, "#manage-link")
    page.keyboard.press("Enter")

    page.wait_for_url(re.compile(r"/manage/"))
    _tab_to(page, "#cancel-button")
    page.keyboard.press("Enter")  # a link to the page that asks once more
    page.wait_for_url(re.compile(r"/cancel/$"))
    _tab_to(page, "#confirm-cancel")
    page.keyboard.press("Space")
    page.wait_for_selector("#cancelled-notice")

    demand = f"{id_card.pk}:1,{registration.pk}:4"
    page.goto(_time_url(demo_office, demand, start))
    assert _time_button(page, start).count() == 1


AXE = Axe()
LANGUAGES = ["de", "en", "tr", "ar", "uk", "ru", "pl"]
DOCS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
# The whole booking in Turkish and in Arabic, photographed at 390 px into docs/screenshots/.
BOOKING_STEPS = {"start", "office", "time", "details", "review", "done", "manage", "cancel-confirm"}


def _check(page: Any, name: str, language: str) -> None:
    """axe-core (WCAG 2.1 A and AA) finds nothing, lang and dir are the language's; German
    pages are also photographed."""
    assert page.evaluate("document.documentElement.lang") == language
    assert page.evaluate("document.documentElement.dir") == ("rtl" if language == "ar" else "ltr")
    assert page.locator("h1").count() == 1, name
    results = AXE.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    assert results.violations_count == 0, f"{name} ({language}):\n{results.generate_report()}"
    if language == "de":
        screenshot(page, name)
    if language in ("tr", "ar") and name in BOOKING_STEPS:
        _phone_shot(page, f"{name}-{language}")


def _phone_shot(page: Any, name: str) -> None:
    """A 390 px wide photograph of the whole page into docs/screenshots/."""
    DOCS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size(PHONE)
    page.screenshot(path=str(DOCS / f"{name}-390.png"), full_page=True)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_citizen_page_passes_axe_in_each_language(
    browser_page: Any, demo_office: Office, language: str
) -> None:
    make_office(name="Bürgerbüro Nord", street="Nordring 5")  # so that the start page lists
    with browser_page() as page:
        _visit_every_page(page, demo_office, language)


def _visit_every_page(page: Any, demo_office: Office, language: str) -> None:
    id_card, registration = _services(demo_office)
    page.goto("/")
    if language != "de":
        # The switch, as a citizen uses it: the button with the language's own name.
        page.click(f".language-switch button[value={language}]")
        page.wait_for_selector(f"html[lang={language}]")
    assert page.locator(".language-switch [aria-current=true]").get_attribute("lang") == language
    _check(page, "start", language)
    page.click(f'a[href="/o/{demo_office.pk}/"]')
    _check(page, "office", language)
    with translation.override(language):  # the office's own texts in the citizen's language
        id_card_name = Service.objects.get(pk=id_card.pk).name
    assert id_card_name in page.locator("main").inner_text()
    page.locator("form.services-form button[type=submit]").click()
    page.wait_for_selector("#error-summary")
    _check(page, "office-error", language)
    page.fill(f"#id_persons_{id_card.pk}", "1")  # the stepper's number field
    page.fill(f"#id_persons_{registration.pk}", "4")
    page.locator("form.services-form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/time/"))
    _check(page, "time", language)
    page.locator(".times button[name=start]").last.click()
    page.wait_for_url(re.compile(r"/booking/details/$"))
    _check(page, "details", language)
    page.fill("#id_email", "not-an-address")
    page.check("#id_for_other")
    page.locator("form.details-form button[type=submit]").click()
    page.wait_for_selector("#error-summary")
    _check(page, "details-errors", language)
    page.fill("#id_name", "Erika Mustermann")
    page.fill("#id_email", "erika@example.org")
    page.fill("#id_booked_for", "Max Mustermann")
    page.check("#id_consent")
    page.locator("form.details-form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/booking/review/$"))
    _check(page, "review", language)
    page.click("#book-now")
    page.wait_for_url(re.compile(r"/booking/done/$"))
    _check(page, "done", language)
    assert id_card_name in page.locator("main").inner_text()
    # The booking remembers its language: its e-mails, .ics and manage page speak it.
    assert Appointment.objects.latest("pk").language == language
    manage_url = page.locator("#manage-link").get_attribute("href")
    page.click("#print-link")
    _check(page, "done-print", language)
    page.goto(manage_url)
    _check(page, "manage", language)
    page.click("#move-link")
    page.wait_for_url(re.compile(r"/move/"))
    _check(page, "move", language)
    page.goto(manage_url)
    page.click("#cancel-button")
    page.wait_for_url(re.compile(r"/cancel/$"))
    _check(page, "cancel-confirm", language)
    page.click("#confirm-cancel")
    page.wait_for_selector("#cancelled-notice")
    _check(page, "manage-cancelled", language)
    page.goto(f"/o/{demo_office.pk}/privacy/")
    _check(page, "privacy", language)
    page.goto(f"/o/{demo_office.pk}/accessibility/")
    _check(page, "accessibility", language)
    page.goto("/manage/no-such-token/")
    _check(page, "not-found", language)
