"""The start page in a real browser (issue 16): services grouped by category, the filter that
hides what does not match, and the persons stepper, by mouse and by keyboard, with axe-core in
German and English, and without JavaScript."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe

from amtstermin.booking.models import Office, Service
from tests.browser.conftest import DESKTOP, PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DOCS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
ID_CARD = "Personalausweis beantragen"
REGISTRATION = "Anmeldung bei Zuzug"
CONDUCT = "Führungszeugnis beantragen"


@contextmanager
def _tab(browser: Any, live_server: Any, *, locale: str = "de-DE", script: bool = True) -> Any:
    """A fresh page in the given language (the first visit follows Accept-Language)."""
    context = browser.new_context(
        viewport=PHONE, base_url=live_server.url, locale=locale, java_script_enabled=script
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        yield page
    finally:
        context.close()
    assert not errors, errors


@pytest.fixture
def tab(browser: Any, live_server: Any) -> Iterator[Any]:
    with _tab(browser, live_server) as page:
        yield page


def _field(office: Office, name: str) -> str:
    return f"#id_persons_{Service.objects.get(office=office, name=name).pk}"


def _visible_services(page: Any) -> list[str]:
    return [
        item.locator(".service-name").inner_text()
        for item in page.locator("[data-service]").all()
        if item.is_visible()
    ]


def _visible_groups(page: Any) -> list[str]:
    return [
        group.locator("legend").inner_text()
        for group in page.locator("[data-service-group]").all()
        if group.is_visible()
    ]


def _search(page: Any, text: str) -> None:
    page.fill("#service-filter", text)


def _announced(page: Any, expected: str) -> None:
    page.wait_for_function(
        "t => document.querySelector('[data-filter-status]').textContent === t", arg=expected
    )


def _axe_clean(page: Any, name: str) -> None:
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    assert results.violations_count == 0, f"{name}:\n{results.generate_report()}"


def test_typing_filters_the_services_and_hides_empty_groups(tab: Any, demo_office: Office) -> None:
    tab.goto(f"/o/{demo_office.pk}/")
    assert _visible_groups(tab) == ["Ausweise und Pässe", "Meldewesen", "Bescheinigungen"]
    _search(tab, "reisepass beantragen")  # every word must match
    assert _visible_services(tab) == ["Reisepass beantragen", "Kinderreisepass beantragen"]
    assert _visible_groups(tab) == ["Ausweise und Pässe"]
    _announced(tab, "Angezeigte Anliegen: 2")
    _search(tab, "")
    assert len(_visible_services(tab)) == 12
    _announced(tab, "Angezeigte Anliegen: 12")


def test_the_filter_ignores_case_umlauts_and_sharp_s(tab: Any, demo_office: Office) -> None:
    Service.objects.filter(office=demo_office, name="Meldebescheinigung").update(
        description="Bescheinigung über Ihre Straße und Hausnummer."
    )
    tab.goto(f"/o/{demo_office.pk}/")
    for typed in ("FÜHRUNG", "fuhrung", "Fuehrungszeugnis"):
        _search(tab, typed)
        assert _visible_services(tab) == [CONDUCT], typed
    _search(tab, "strasse")
    assert _visible_services(tab) == ["Meldebescheinigung"]
    _search(tab, "passe")  # the category "Ausweise und Pässe"
    assert len(_visible_services(tab)) == 5
    _search(tab, "xyz")
    assert _visible_services(tab) == [] and _visible_groups(tab) == []
    assert tab.locator("[data-filter-empty]").is_visible()
    _announced(tab, "Zu Ihrer Suche passt kein Anliegen.")


def test_a_chosen_service_stays_visible_whatever_is_typed(tab: Any, demo_office: Office) -> None:
    tab.goto(f"/o/{demo_office.pk}/")
    tab.get_by_role("button", name=f"Mehr Personen für {ID_CARD}").click()
    _search(tab, "zuzug")
    assert _visible_services(tab) == [ID_CARD, REGISTRATION]
    assert _visible_groups(tab) == ["Ausweise und Pässe", "Meldewesen"]


def test_the_stepper_counts_within_limits_and_adds_up_the_time(
    tab: Any, demo_office: Office
) -> None:
    tab.goto(f"/o/{demo_office.pk}/")
    field = _field(demo_office, REGISTRATION)  # at most 8 persons
    more = tab.get_by_role("button", name=f"Mehr Personen für {REGISTRATION}")
    fewer = tab.get_by_role("button", name=f"Weniger Personen für {REGISTRATION}")
    assert fewer.get_attribute("aria-disabled") == "true"
    fewer.click(force=True)  # Playwright waits for an aria-disabled button otherwise
    assert tab.input_value(field) == "0"
    for _ in range(4):
        more.click()
    assert tab.input_value(field) == "4"
    assert tab.locator("#total-time").inner_text() == "Gesamtdauer: 25 Minuten"
    tab.fill(field, "12")
    tab.locator(field).blur()
    assert tab.input_value(field) == "8"  # the most the service allows
    assert more.get_attribute("aria-disabled") == "true"
    more.click(force=True)
    assert tab.input_value(field) == "8"
    for control in (more, fewer, tab.locator(field)):
        box = control.bounding_box()
        assert box["width"] >= 48 and box["height"] >= 48
    # The label still names the field, and the choice is sent like the select's.
    assert tab.get_by_label(f"Zahl der Personen: {REGISTRATION}").input_value() == "8"
    tab.locator("form.services-form button[type=submit]").click()
    tab.wait_for_url(f"**/time/?services={Service.objects.get(name=REGISTRATION).pk}%3A8")


def test_the_stepper_works_with_the_keyboard(tab: Any, demo_office: Office) -> None:
    tab.goto(f"/o/{demo_office.pk}/")
    field = _field(demo_office, ID_CARD)
    tab.focus("#service-filter")
    tab.keyboard.press("Tab")  # from the filter to the first service's first stop
    for _ in range(6):
        if tab.evaluate("document.activeElement.textContent.includes('Weniger Personen')"):
            break
        tab.keyboard.press("Tab")
    assert tab.evaluate("document.activeElement.textContent") == f"−Weniger Personen für {ID_CARD}"
    tab.keyboard.press("Tab")
    assert tab.evaluate("document.activeElement.id") == field[1:]
    tab.keyboard.press("ArrowUp")
    tab.keyboard.press("ArrowUp")
    assert tab.input_value(field) == "2"
    tab.keyboard.press("Tab")
    assert "Mehr Personen" in tab.evaluate("document.activeElement.textContent")
    tab.keyboard.press("Enter")
    tab.keyboard.press("Space")
    assert tab.input_value(field) == "4"
    tab.keyboard.press("Enter")  # at the most: nothing changes, the focus stays
    assert tab.input_value(field) == "4"
    assert "Mehr Personen" in tab.evaluate("document.activeElement.textContent")
    assert tab.locator("#total-time").inner_text() == "Gesamtdauer: 60 Minuten"


@pytest.mark.parametrize("locale", ["de-DE", "en-GB"])
def test_the_start_page_with_filter_and_stepper_passes_axe(
    browser: Any, live_server: Any, demo_office: Office, locale: str
) -> None:
    with _tab(browser, live_server, locale=locale) as page:
        page.goto(f"/o/{demo_office.pk}/")
        assert page.evaluate("document.documentElement.lang") == locale[:2]
        _axe_clean(page, f"start ({locale})")
        page.locator("[data-stepper] .stepper-button").nth(1).click()
        _search(page, "melde")
        _axe_clean(page, f"start filtered ({locale})")
        page.locator("form.services-form button[type=submit]").click()
        page.wait_for_url("**/time/**")


def test_without_javascript_the_select_stays_and_no_filter_shows(
    browser: Any, live_server: Any, demo_office: Office
) -> None:
    with _tab(browser, live_server, script=False) as page:
        page.goto(f"/o/{demo_office.pk}/")
        assert page.locator(f"select{_field(demo_office, ID_CARD)}").is_visible()
        assert page.locator("[data-service-filter]").count() == 1
        assert not page.locator("[data-service-filter]").is_visible()
        assert page.locator(".stepper-button").count() == 0
        assert len(_visible_services(page)) == 12
        page.select_option(_field(demo_office, ID_CARD), "2")
        page.locator("form.services-form button[type=submit]").click()
        page.wait_for_url("**/time/**")


def test_the_start_page_is_far_shorter_and_photographed(tab: Any, demo_office: Office) -> None:
    """Before issue 16 the page was 4,714 px tall at 1280 px: twelve boxes with a select each."""
    tab.goto(f"/o/{demo_office.pk}/")
    DOCS.mkdir(parents=True, exist_ok=True)
    tab.set_viewport_size(DESKTOP)
    assert tab.evaluate("document.documentElement.scrollHeight") < 3500
    tab.screenshot(path=str(DOCS / "start-1280.png"), full_page=True)
    tab.set_viewport_size(PHONE)
    tab.screenshot(path=str(DOCS / "start-390.png"), full_page=True)
    tab.get_by_role("button", name=f"Mehr Personen für {ID_CARD}").click()
    _search(tab, "melde")
    tab.screenshot(path=str(DOCS / "start-filtered-390.png"), full_page=True)
