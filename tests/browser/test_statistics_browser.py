"""The statistics pages in a real browser, in German and English: axe-core finds no WCAG 2.1
A/AA violation, the inline SVG charts break no Content-Security-Policy rule (a CSP report in the
console fails the test), and the public transparency page passes too."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
import time_machine
from axe_playwright_python.sync_playwright import Axe

from amtstermin.booking import roles
from amtstermin.booking.models import Office
from tests.browser.conftest import DESKTOP, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NOW = datetime(2036, 12, 1, 7, 30, tzinfo=UTC)  # a Monday morning, far ahead of the real clock
PASSWORD = "a long enough test password 42"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PAGES = ("", "services/", "counters/", "walk-ins/", "forecast/")


@pytest.fixture
def office(transactional_db: None) -> Iterator[Office]:
    from django.contrib.auth.models import Group, User

    from amtstermin.booking.models import StaffMembership
    from amtstermin.reports.demo_history import load_history
    from amtstermin.reports.models import StatisticsSettings
    from tests.factories import small_office

    with time_machine.travel(NOW, tick=True):
        roles.ensure_staff_groups()
        office, _services, _counters = small_office()
        user = User.objects.create_user(username="head", password=PASSWORD, is_staff=True)
        user.groups.add(Group.objects.get(name=roles.OFFICE_HEAD))
        StaffMembership.objects.create(user=user, office=office)
        load_history(office, weeks=8, now=NOW)
        StatisticsSettings.objects.create(office=office, public_page=True)
        yield office


def _check(browser: Any, base_url: str, language: str, office: Office, shots: bool) -> None:
    context = browser.new_context(viewport=DESKTOP, base_url=base_url, locale=language)
    context.set_default_timeout(10_000)
    tab = context.new_page()
    problems: list[str] = []
    tab.on("console", lambda message: problems.append(message.text))
    tab.on("pageerror", lambda error: problems.append(str(error)))
    tab.goto("/backoffice/login/")
    tab.fill("#id_username", "head")
    tab.fill("#id_password", PASSWORD)
    tab.locator("main button[type=submit]").click()
    tab.wait_for_url("**/day/")
    tab.locator("nav.staff-nav a[href*=statistic]").click()
    tab.wait_for_load_state()
    for suffix in PAGES:
        tab.goto(f"/backoffice/{office.pk}/statistics/{suffix}")
        assert tab.locator("svg[role=img]").count() >= 1
        tab.locator("details summary").first.click()  # the table opens with the keyboard too
        results = Axe().run(tab, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
        assert results.violations_count == 0, f"{language} {suffix}: {results.generate_report()}"
        if shots:
            screenshot(tab, f"statistics-{suffix.strip('/') or 'overview'}")
    tab.goto(f"/o/{office.pk}/waiting-times/")
    results = Axe().run(tab, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    assert results.violations_count == 0, f"{language} transparency: {results.generate_report()}"
    if shots:
        screenshot(tab, "statistics-transparency")
    context.close()
    assert not [p for p in problems if "Content Security Policy" in p or "Refused" in p], problems


def test_statistics_pages_pass_axe_in_german_and_english(
    browser: Any, live_server: Any, office: Office
) -> None:
    with time_machine.travel(NOW, tick=True):
        _check(browser, live_server.url, "de-DE", office, shots=True)
        _check(browser, live_server.url, "en-US", office, shots=False)


@pytest.mark.parametrize("language", ["tr", "ar", "uk", "ru", "pl"])
def test_the_public_waiting_times_pass_axe_in_the_other_languages(
    browser: Any, live_server: Any, office: Office, language: str
) -> None:
    """German and English above; the page follows the browser's language, Arabic right to left."""
    with time_machine.travel(NOW, tick=True):
        context = browser.new_context(viewport=DESKTOP, base_url=live_server.url, locale=language)
        tab = context.new_page()
        tab.goto(f"/o/{office.pk}/waiting-times/")
        assert tab.evaluate("document.documentElement.lang") == language
        assert tab.evaluate("document.documentElement.dir") == (
            "rtl" if language == "ar" else "ltr"
        )
        results = Axe().run(tab, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
        assert results.violations_count == 0, f"{language}: {results.generate_report()}"
        context.close()
