"""The day plan with staff-only time passes axe in German and English."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, time
from typing import Any

import pytest
import time_machine
from axe_playwright_python.sync_playwright import Axe

from amtstermin.booking import roles
from amtstermin.booking.models import Office, StaffOnlyTime, Weekday
from tests.browser.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Far ahead of the real clock: the browser judges cookie expiry by its own (real) clock.
NOW = datetime(2036, 12, 1, 7, 30, tzinfo=UTC)  # a Monday
DAY = "2036-12-01"
PASSWORD = "a long enough test password 42"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture
def office(transactional_db: None) -> Iterator[Office]:
    from django.contrib.auth.models import Group, User

    from amtstermin.booking.models import StaffMembership
    from tests.factories import small_office

    with time_machine.travel(NOW, tick=True):
        roles.ensure_staff_groups()
        the_office, _services, counters = small_office()
        user = User.objects.create_user(username="clerk", password=PASSWORD, is_staff=True)
        user.groups.add(Group.objects.get(name=roles.CLERK))
        StaffMembership.objects.create(user=user, office=the_office)
        StaffOnlyTime.objects.create(
            counter=counters[0], weekday=Weekday.MONDAY, start=time(8), end=time(9)
        )
        StaffOnlyTime.objects.create(counter=counters[1], weekday=Weekday.MONDAY, share_percent=20)
        yield the_office


@pytest.mark.parametrize(
    ("locale", "label"),
    [("de-DE", "Nur intern, nicht online buchbar"), ("en-GB", "Staff only, not offered online")],
)
def test_the_day_plan_with_staff_only_time_passes_axe(
    browser: Any, live_server: Any, office: Office, locale: str, label: str
) -> None:
    context = browser.new_context(base_url=live_server.url, locale=locale)
    try:
        page = context.new_page()
        page.goto("/backoffice/login/")
        page.fill("#id_username", "clerk")
        page.fill("#id_password", PASSWORD)
        page.locator("main button[type=submit]").click()
        page.wait_for_url("**/day/")
        page.goto(f"/backoffice/{office.pk}/day/{DAY}/")
        assert page.get_by_text(label).count() == 2
        results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
        assert results.violations_count == 0, results.generate_report()
        screenshot(page, f"day-staff-only-{locale[:2]}")
    finally:
        context.close()
