"""The waitlist in a real browser, in German and English: nothing is free, the citizen leaves
a wish, confirms it on the page behind the e-mail's link, a time becomes free and is offered,
and the citizen accepts it; axe-core checks every page on the way."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock
from typing import Any

import holidays
import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.core import mail

from amtstermin.booking import services
from amtstermin.booking.demand import resolve_demand
from amtstermin.booking.models import AppointmentStatus, Channel, Office, WaitlistEntry
from amtstermin.notifications.models import Message, MessageStatus
from amtstermin.notifications.tasks import send_message
from tests.browser.conftest import screenshot
from tests.factories import make_counter, make_office, make_service

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE = Axe()


def _check(page: Any, name: str, language: str) -> None:
    assert page.evaluate("document.documentElement.lang") == language
    assert page.evaluate("document.documentElement.dir") == ("rtl" if language == "ar" else "ltr")
    assert page.locator("h1").count() == 1, name
    results = AXE.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    assert results.violations_count == 0, f"{name} ({language}):\n{results.generate_report()}"
    if language == "de":
        screenshot(page, name)


def _a_monday() -> date:
    """A Monday ahead that is a working day in North Rhine-Westphalia (the test office's state),
    outside the days around Christmas."""
    today = datetime.now(UTC).date()
    day = today + timedelta(days=3)
    closed = holidays.country_holidays("DE", subdiv="NW", years=[day.year, day.year + 1])
    while day.weekday() != 0 or day in closed or (day.month == 12 and day.day >= 24):
        day += timedelta(days=1)
    return day


def _booked_out_office() -> tuple[Office, str, Any]:
    """One time (Monday 8:00-8:30), the only day bookable, booked by phone."""
    day = _a_monday()
    today = datetime.now(UTC).date()
    office = make_office(
        name="Bürgerbüro Warteliste", slot_minutes=30, horizon_days=(day - today).days
    )
    service = make_service(office, "Reisepass", 30, 0, name_en="Passport")
    make_counter(office, "Schalter 1", [service], [(0, clock(8, 0), clock(8, 30))])
    demand = resolve_demand(office=office, pairs=[(service.pk, 1)])
    start = datetime.combine(day, clock(8, 0), tzinfo=office.zone)
    booked, _token = services.appointment_book(
        demand=demand,
        start=start,
        citizen=services.CitizenDetails(name="Max Muster", email="", phone="0221 123456"),
        channel=Channel.PHONE,
        staff=True,
    )
    return office, demand.key(), booked


def _link_of_the_last_e_mail(live_url: str) -> str:
    for message in Message.objects.filter(status=MessageStatus.QUEUED):
        send_message.call(message.pk)
    # In Arabic the link stands between the isolates LRI and PDI (U+2066, U+2069).
    [link] = re.findall(r"https?://[^\s\u2069]+", str(mail.outbox[-1].body))
    return link.replace(settings.AMTSTERMIN_BASE_URL, live_url)


@pytest.mark.parametrize("language", ["de", "en", "tr", "ar", "uk", "ru", "pl"])
def test_a_wish_from_sign_up_to_an_accepted_offer(
    page: Any, live_server: Any, language: str
) -> None:
    office, demand_key, booked = _booked_out_office()
    page.goto(f"/o/{office.pk}/time/?services={demand_key}")
    if language != "de":
        page.click(f".language-switch button[value={language}]")
        page.wait_for_selector(f"html[lang={language}]")
    page.wait_for_selector("#nothing-free")
    page.click("#waitlist-link")
    page.wait_for_url(re.compile(r"/waitlist/"))
    _check(page, "wish-new", language)

    page.fill("#id_name", "Erika Mustermann")
    page.fill("#id_email", "erika@example.org")
    page.locator("#wish-submit").click()
    page.wait_for_selector("#error-summary")
    _check(page, "wish-new-errors", language)
    page.check("#id_consent")
    page.locator("#wish-submit").click()
    page.wait_for_selector("#wish-sent")
    _check(page, "wish-sent", language)

    page.goto(_link_of_the_last_e_mail(live_server.url))
    _check(page, "wish-opt-in", language)
    page.locator("#wish-confirm").focus()
    page.keyboard.press("Enter")
    page.wait_for_selector("#wish-active")
    _check(page, "wish-active", language)

    services.appointment_cancel(appointment=booked, staff=True)  # offered in its transaction
    page.goto(_link_of_the_last_e_mail(live_server.url))
    page.wait_for_selector("#offer")
    _check(page, "wish-offer", language)

    page.click("#offer-accept")
    page.wait_for_url(re.compile(r"/manage/"))
    _check(page, "wish-accepted", language)
    entry = WaitlistEntry.objects.get()
    assert entry.offer is not None and entry.offer.status == AppointmentStatus.CONFIRMED
