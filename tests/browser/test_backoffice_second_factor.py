"""The second factor in a real browser: an office that requires it, the set-up from the QR
page's key, a logout, and a login with password and code; axe-core on the set-up and the code
page (also with an error shown).

The clock stands (and ticks) far in the future, as in the other back-office browser tests.
"""

from __future__ import annotations

from base64 import b32decode
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest
import time_machine
from axe_playwright_python.sync_playwright import Axe
from django_otp.oath import totp

from amtstermin.booking import roles
from amtstermin.booking.models import Office
from tests.browser.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NOW = datetime(2036, 12, 1, 7, 30, tzinfo=UTC)
PASSWORD = "a long enough test password 42"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@dataclass
class Strict:
    office: Office
    clock: Any


@pytest.fixture
def strict_office(transactional_db: None) -> Iterator[Strict]:
    """An office that requires the second factor, with one clerk who has none yet."""
    from django.contrib.auth.models import Group, User

    from amtstermin.booking.models import StaffMembership
    from tests.factories import small_office

    with time_machine.travel(NOW, tick=True) as clock:
        roles.ensure_staff_groups()
        office, _services, _counters = small_office()
        Office.objects.filter(pk=office.pk).update(require_second_factor=True)
        user = User.objects.create_user(username="clerk", password=PASSWORD, is_staff=True)
        user.groups.add(Group.objects.get(name=roles.CLERK))
        StaffMembership.objects.create(user=user, office=office)
        yield Strict(office=office, clock=clock)


def _axe(page: Any, name: str) -> None:
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    assert results.violations_count == 0, f"{name}: {results.generate_report()}"


def _password_step(page: Any) -> None:
    page.goto("/backoffice/login/")
    page.fill("#id_username", "clerk")
    page.fill("#id_password", PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()


def _code(key: bytes) -> str:
    return f"{totp(key):06d}"


def test_clerk_sets_up_the_authenticator_and_logs_in_with_a_code(
    page: Any, strict_office: Strict
) -> None:
    day_plan = f"/backoffice/{strict_office.office.pk}/day/"
    _password_step(page)
    # The office requires the second factor: the set-up page comes first.
    assert "/backoffice/security/" in page.url
    qr = page.locator(".qr-code img")
    assert qr.get_attribute("src").startswith("data:image/svg+xml")
    assert qr.evaluate("img => img.complete && img.naturalWidth > 0")
    _axe(page, "second factor set-up")
    screenshot(page, "backoffice-second-factor-setup")

    # Set up by typing the key shown on the page (as a user would without a camera).
    key = b32decode(page.locator(".secret code").inner_text().replace(" ", ""))
    page.goto(day_plan)
    assert "/backoffice/security/" in page.url  # still closed before set-up
    page.fill("#id_code", _code(key))
    page.locator("main button[type=submit]").click()
    page.wait_for_url(f"**{day_plan}")
    assert page.locator(".message-success").count() == 1

    # Log out, log in again: the password alone is not enough.
    page.locator("header form button[type=submit]").click()
    page.wait_for_url("**/backoffice/login/")
    strict_office.clock.shift(31)  # the set-up used up this 30-second step's code
    _password_step(page)
    assert "/backoffice/login/verify/" in page.url
    _axe(page, "code page")
    page.fill("#id_code", "000000" if _code(key) != "000000" else "111111")
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()
    alert = page.locator("[role=alert]")
    assert alert.count() == 1 and alert.inner_text().strip()
    assert page.locator("#id_code").get_attribute("aria-invalid") == "true"
    _axe(page, "code page with an error")
    screenshot(page, "backoffice-second-factor-verify-error")

    strict_office.clock.shift(3)  # wait out the throttle after the wrong code
    page.fill("#id_code", _code(key))
    page.locator("main button[type=submit]").click()
    page.wait_for_url("**/day/")
    assert page.locator(f"a[href='{day_plan}']").count() >= 1
