"""The Leichte Sprache page in a real browser: reached from the start page, axe-core clean in a
German and an English session (the content stays German, marked lang="de")."""

from __future__ import annotations

from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe

from amtstermin.booking.models import Office
from tests.browser.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
VIDEO = "https://musterstadt.example/gebaerdensprache"


def _axe_clean(page: Any, name: str) -> None:
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    assert results.violations_count == 0, f"{name}:\n{results.generate_report()}"


@pytest.mark.parametrize("language", ["de", "en", "tr", "ar", "uk", "ru", "pl"])
def test_leichte_sprache_from_the_start_page_passes_axe(
    browser_page: Any, demo_office: Office, language: str
) -> None:
    demo_office.sign_language_video_url = VIDEO
    demo_office.save()
    with browser_page() as page:
        page.goto("/")
        if language != "de":
            page.click(f".language-switch button[value={language}]")
            page.wait_for_selector(f"html[lang={language}]")
        top_link = page.locator(".easy-links a", has_text="Leichte Sprache")
        assert top_link.is_visible()
        sign = page.locator(".easy-links a.sign-language-link")
        assert sign.get_attribute("href") == VIDEO and sign.get_attribute("rel") == "noopener"
        _axe_clean(page, f"office with links ({language})")
        if language == "de":
            screenshot(page, "easy-language-office")
        top_link.click()
        page.wait_for_url(f"**/o/{demo_office.pk}/leichte-sprache/")
        assert page.evaluate("document.documentElement.lang") == language
        content = page.locator("#easy-language")
        assert content.get_attribute("lang") == "de" and content.get_attribute("dir") == "ltr"
        assert demo_office.name in content.inner_text()
        assert page.locator("#easy-hours li").count() >= 5
        _axe_clean(page, f"Leichte Sprache ({language})")
        if language == "de":
            screenshot(page, "easy-language")
