"""Citizen-page details of issue 16 in a real browser, with and without JavaScript: the hold
that lapses while the page is open, the copy button, the other person's name, and the page that
asks once more before cancelling (axe-core in German and English)."""

from __future__ import annotations

import re
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone

from amtstermin.booking.models import Appointment, AppointmentStatus, Office, Service
from tests.browser.conftest import PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@contextmanager
def _tab(browser: Any, live_server: Any, *, locale: str = "de-DE", script: bool = True) -> Any:
    context = browser.new_context(
        viewport=PHONE, base_url=live_server.url, locale=locale, java_script_enabled=script
    )
    context.set_default_timeout(10_000)
    if script:
        context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        yield page
    finally:
        context.close()
    assert not errors, errors


def _axe_clean(page: Any, name: str) -> None:
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    assert results.violations_count == 0, f"{name}:\n{results.generate_report()}"


def _hold(page: Any, office: Office) -> None:
    """Hold the next free time for one ID card; the details page opens."""
    id_card = Service.objects.get(office=office, name="Personalausweis beantragen")
    page.goto(f"/o/{office.pk}/time/?services={id_card.pk}:1")
    page.click("#next-free")
    page.wait_for_url(re.compile(r"/booking/details/$"))


def _hold_lapses_in(delta: timedelta) -> None:
    Appointment.objects.filter(status=AppointmentStatus.HELD).update(
        held_until=timezone.now() + delta
    )


def _book(page: Any, office: Office) -> str:
    """Book a time; returns the manage link from the confirmation page."""
    _hold(page, office)
    page.fill("#id_name", "Erika Mustermann")
    page.fill("#id_email", "erika@example.org")
    page.check("#id_consent")
    page.locator("form.details-form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/booking/review/$"))
    page.click("#book-now")
    page.wait_for_url(re.compile(r"/booking/done/$"))
    return str(page.locator("#manage-link").get_attribute("href"))


# --- A hold that lapses ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("locale", "expired"),
    [("de-DE", "Ihre Reservierung ist abgelaufen."), ("en-GB", "Your reservation has expired.")],
)
def test_the_countdown_says_plainly_when_the_hold_has_lapsed(
    browser: Any, live_server: Any, demo_office: Office, locale: str, expired: str
) -> None:
    with _tab(browser, live_server, locale=locale) as page:
        _hold(page, demo_office)
        _hold_lapses_in(timedelta(seconds=4))
        page.reload()
        assert not page.locator("#hold-expired").is_visible()
        page.wait_for_selector("#hold-expired", state="visible", timeout=20_000)
        notice = page.locator("[data-hold]").inner_text()
        assert expired in notice and "0 Minuten" not in notice and "0 minutes" not in notice
        assert page.locator("[data-hold-running]").is_hidden()
        announced = page.locator("[data-hold-live]").text_content()
        assert announced.startswith(expired)
        _axe_clean(page, f"lapsed hold ({locale})")
        page.click("#choose-again")
        page.wait_for_url(re.compile(r"/time/\?services="))


def test_without_javascript_a_page_loaded_after_the_lapse_says_so(
    browser: Any, live_server: Any, demo_office: Office
) -> None:
    with _tab(browser, live_server, script=False) as page:
        _hold(page, demo_office)
        _hold_lapses_in(timedelta(seconds=-30))
        page.reload()
        assert page.locator("#hold-expired").is_visible()
        assert "Ihre Reservierung ist abgelaufen." in page.locator("[data-hold]").inner_text()
        page.click("#choose-again")
        page.wait_for_url(re.compile(r"/time/\?services="))


# --- The copy button and the other person's name ----------------------------------------------


def test_the_copy_button_shows_only_where_it_works(
    browser: Any, live_server: Any, demo_office: Office
) -> None:
    with _tab(browser, live_server, script=False) as page:
        _book(page, demo_office)
        assert page.locator("[data-copy]").count() == 1
        assert page.locator("[data-copy]").is_hidden()  # no dead "Link kopieren" button
    with _tab(browser, live_server) as page:
        manage_url = _book(page, demo_office)
        copy = page.get_by_role("button", name="Link kopieren")
        copy.click()
        page.wait_for_function(
            "() => document.querySelector('[data-copy-status]').textContent !== ''"
        )
        assert page.evaluate("navigator.clipboard.readText()") == manage_url


def test_the_other_persons_name_shows_only_while_the_box_is_ticked(
    browser: Any, live_server: Any, demo_office: Office
) -> None:
    with _tab(browser, live_server, script=False) as page:
        _hold(page, demo_office)
        # Without JavaScript the field is always there, with its label.
        assert page.get_by_label("Name der Person, für die der Termin ist").is_visible()
    with _tab(browser, live_server) as page:
        _the_name_follows_the_box(page, demo_office)


def _the_name_follows_the_box(tab: Any, demo_office: Office) -> None:
    _hold(tab, demo_office)
    name = tab.get_by_label("Name der Person, für die der Termin ist")
    assert name.is_hidden()
    tab.check("#id_for_other")
    assert name.is_visible()
    tab.uncheck("#id_for_other")
    assert name.is_hidden()
    tab.check("#id_for_other")
    tab.locator("form.details-form button[type=submit]").click()  # nothing else filled in
    tab.wait_for_selector("#error-summary")
    assert name.is_visible()  # back with the box ticked: the field, its error, its label
    assert tab.locator("#id_booked_for_error").is_visible()
    name.fill("Max Mustermann")
    tab.fill("#id_email", "kaputt")
    tab.locator("form.details-form button[type=submit]").click()
    tab.wait_for_selector("#error-summary")
    assert name.input_value() == "Max Mustermann"


# --- Cancelling asks once more ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("locale", "question"), [("de-DE", "Wirklich absagen?"), ("en-GB", "Really cancel?")]
)
def test_cancelling_asks_once_more_on_its_own_page(
    browser: Any, live_server: Any, demo_office: Office, locale: str, question: str
) -> None:
    with _tab(browser, live_server, locale=locale) as page:
        manage_url = _book(page, demo_office)
        code = page.locator("#booking-code").inner_text()
        page.goto(manage_url)
        page.click("#cancel-button")
        page.wait_for_url(re.compile(r"/cancel/$"))
        assert page.locator("h1").inner_text() == question
        assert page.locator("#booking-code").inner_text() == code
        _axe_clean(page, f"cancel confirmation ({locale})")
        page.click("#keep-appointment")  # the way back changes nothing
        page.wait_for_url(manage_url)
        assert Appointment.objects.get(code=code).status != AppointmentStatus.CANCELLED
        page.click("#cancel-button")
        page.click("#confirm-cancel")
        page.wait_for_selector("#cancelled-notice")
        assert Appointment.objects.get(code=code).status == AppointmentStatus.CANCELLED
