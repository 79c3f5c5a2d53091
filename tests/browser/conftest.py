"""Real-browser tests: Debian's Chromium driven by Playwright against pytest-django's live server.

Without /usr/bin/chromium the tests skip with that reason; with AMTSTERMIN_REQUIRE_BROWSER=1 (CI)
they fail instead. Never ``playwright install``: the machines cannot download a browser.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

# Playwright's sync API runs an event loop in the test thread; the test's own database set-up is
# plain synchronous code, so Django's async guard must not trip over that loop.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def _browser_missing() -> None:
    reason = f"{CHROMIUM} is missing (apt-get install chromium)"
    if os.environ.get("AMTSTERMIN_REQUIRE_BROWSER") == "1":
        pytest.fail(f"AMTSTERMIN_REQUIRE_BROWSER=1 but {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        _browser_missing()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        yield launched
        launched.close()


@contextmanager
def _fresh_page(browser: Any, base_url: str) -> Iterator[Any]:
    """A fresh browser context (own cookies) with a phone-sized window; CSP or script errors
    fail the test."""
    context = browser.new_context(viewport=PHONE, base_url=base_url, locale="de-DE")
    context.set_default_timeout(10_000)
    tab = context.new_page()
    problems: list[str] = []
    tab.on(
        "console",
        lambda message: problems.append(message.text) if message.type == "error" else None,
    )
    tab.on("pageerror", lambda error: problems.append(str(error)))
    yield tab
    context.close()
    assert not [p for p in problems if "Content Security Policy" in p or "Error" in p], problems


@pytest.fixture
def page(browser: Any, live_server: Any) -> Iterator[Any]:
    with _fresh_page(browser, live_server.url) as tab:
        yield tab


@pytest.fixture
def browser_page(browser: Any, live_server: Any) -> Callable[[], Any]:
    """Open as many fresh pages as a test needs: ``with browser_page() as page: ...``."""
    return lambda: _fresh_page(browser, live_server.url)


@pytest.fixture
def demo_office(transactional_db: None) -> Any:
    """The demo office, with its second counter kept off-line so a booked time really vanishes
    from the online offer, and a one-hour deadline for moving online (the first free time may be
    tomorrow morning)."""
    from amtstermin.booking.demo import load_demo
    from amtstermin.booking.models import Counter, Office

    office, _created = load_demo(now=datetime.now(UTC))
    # Saved as the configuration pages save them, so the cached configuration follows.
    office.cancel_deadline_hours = 1
    office.barrier_contact_email = "barrierefrei@musterstadt.example"
    office.accessibility_statement = "Die PDF-Gebührenordnung ist noch nicht barrierefrei."
    office.save()
    second = Counter.objects.get(office=office, name="Schalter 2")
    second.online_bookable = False
    second.save()
    return Office.objects.get(pk=office.pk)


def screenshot(tab: Any, name: str) -> None:
    """Save the whole page at phone and desktop width under test-artifacts/screenshots/."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for label, size in (("390", PHONE), ("1280", DESKTOP)):
        tab.set_viewport_size(size)
        tab.screenshot(path=str(SCREENSHOTS / f"{name}-{label}.png"), full_page=True)
    tab.set_viewport_size(PHONE)
