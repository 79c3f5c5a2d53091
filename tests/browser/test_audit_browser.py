"""The audit log in a real browser: filtering without JavaScript, the CSV link, and axe-core in
German and English.

The clock stands (and ticks) on a Monday morning in Berlin, years ahead, as in the other back
office browser tests.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
import time_machine
from axe_playwright_python.sync_playwright import Axe

from amtstermin.booking import desk, planning, roles, services
from amtstermin.booking.demand import resolve_demand
from amtstermin.booking.models import Channel, Office
from amtstermin.booking.services import CitizenDetails
from tests.browser.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NOW = datetime(2036, 12, 1, 7, 30, tzinfo=UTC)
PASSWORD = "a long enough test password 42"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def at(hour: int, minute: int = 0) -> datetime:
    """That Monday at a Berlin wall time."""
    return datetime(2036, 12, 1, hour - 1, minute, tzinfo=UTC)


@pytest.fixture
def office(transactional_db: None) -> Iterator[Office]:
    """An office whose log holds a phone booking, its move and check-in, a blocked counter and a
    new walk-in limit."""
    from django.contrib.auth.models import Group, User

    from amtstermin.booking.models import StaffMembership
    from tests.factories import small_office

    with time_machine.travel(NOW, tick=True):
        roles.ensure_staff_groups()
        office, svc, counters = small_office()
        staff = {}
        for name, group in (("clerk", roles.CLERK), ("head", roles.OFFICE_HEAD)):
            user = User.objects.create_user(username=name, password=PASSWORD, is_staff=True)
            user.groups.add(Group.objects.get(name=group))
            StaffMembership.objects.create(user=user, office=office)
            staff[name] = user
        demand = resolve_demand(office=office, pairs=[(svc["id_card"].pk, 1)], staff=True)
        appointment, _token = services.appointment_book(
            demand=demand,
            start=at(10),
            citizen=CitizenDetails(name="Karl Anrufer", email="", phone="0221 12345"),
            channel=Channel.PHONE,
            staff=True,
            staff_user=staff["clerk"],
        )
        appointment = services.appointment_move(
            appointment=appointment,
            start=at(9),  # check-in opens an hour before the start
            staff=True,
            staff_user=staff["clerk"],
            counter=counters[1],
        )
        desk.appointment_check_in(appointment=appointment, staff_user=staff["clerk"])
        planning.absence_create(
            counter=counters[0],
            start=at(11),
            end=at(12),
            reason="Schulung",
            staff_user=staff["head"],
        )
        planning.office_set_walk_in_limit(office=office, limit=40, staff_user=staff["head"])
        yield office


def _log_in(page: Any) -> None:
    page.goto("/backoffice/login/")
    page.fill("#id_username", "head")
    page.fill("#id_password", PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url("**/day/")


def _axe(page: Any, name: str, language: str) -> None:
    assert page.evaluate("document.documentElement.lang") == language
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    assert results.violations_count == 0, f"{name} ({language}): {results.generate_report()}"


def test_the_audit_log_reads_in_words_filters_and_passes_axe_in_german_and_english(
    page: Any, office: Office
) -> None:
    _log_in(page)
    url = f"/backoffice/{office.pk}/audit/"
    page.goto(url)
    table = page.locator("table.audit").inner_text()
    assert "Beginn: 01.12.2036 10:00 → 01.12.2036 09:00" in table
    assert "Wartenummern ohne Termin pro Tag: — → 40" in table
    assert "+00:00" not in table and "{" not in table
    _axe(page, "audit", "de")
    screenshot(page, "audit")

    # Filtering is a plain GET form: choose, submit, and the page shows only that action.
    page.select_option("#audit-action", "move")
    page.select_option("#audit-staff", "clerk")
    page.locator("form.audit-filters button[type=submit]").click()
    page.wait_for_url("**action=move**")
    rows = page.locator("table.audit tbody tr")
    assert rows.count() == 1 and "verschoben" in rows.inner_text()
    assert "separator=comma" in page.locator("a[href*='/audit/csv/']").last.get_attribute("href")
    _axe(page, "audit filtered", "de")

    page.goto(f"{url}?day=1.12.")
    assert page.locator("#audit-day[aria-invalid=true]").count() == 1
    _axe(page, "audit with an error", "de")


def test_the_audit_log_passes_axe_in_english(
    browser: Any, live_server: Any, office: Office
) -> None:
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    page = context.new_page()
    _log_in(page)
    page.goto(f"/backoffice/{office.pk}/audit/")
    table = page.locator("table.audit").inner_text()
    assert "Walk-in tickets per day: — → 40" in table and "counter blocked" in table
    _axe(page, "audit", "en")
    page.goto(f"/backoffice/{office.pk}/audit/?day=1.12.")
    assert page.locator("#audit-day[aria-invalid=true]").count() == 1
    _axe(page, "audit with an error", "en")
    context.close()
