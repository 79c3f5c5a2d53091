"""An absence in a real browser: the office head closes the office for a morning, sees the
affected citizens with their contact details, moves all to the proposed times, finds the
phone-only citizen on the call list and ticks them off; the citizen with an e-mail address gets
the office's reason and the new time. axe-core on each page, in German and English.

The clock stands (and ticks) on a Monday morning, 08:30 in Berlin, years in the future, so the
browser's cookies stay valid.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest
import time_machine
from axe_playwright_python.sync_playwright import Axe
from django.core import mail
from django.test import override_settings

from amtstermin.booking import roles, services
from amtstermin.booking.demand import resolve_demand
from amtstermin.booking.models import Appointment, AuditEntry, Channel, Office
from amtstermin.booking.planning import blocked_time_create
from amtstermin.booking.services import CitizenDetails
from amtstermin.notifications.models import Message, MessageStatus
from amtstermin.notifications.tasks import send_message
from tests.browser.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NOW = datetime(2036, 12, 1, 7, 30, tzinfo=UTC)  # Monday 08:30 in Berlin
TUESDAY = "2036-12-02"
PASSWORD = "a long enough test password 42"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def tuesday(hour: int, minute: int = 0) -> datetime:
    return datetime(2036, 12, 2, hour - 1, minute, tzinfo=UTC)


@dataclass
class Morning:
    office: Office
    writer: Appointment  # has an e-mail address
    caller: Appointment  # has only a phone number


@pytest.fixture
def morning(transactional_db: None) -> Iterator[Morning]:
    from django.contrib.auth.models import Group, User

    from amtstermin.booking.models import StaffMembership
    from tests.factories import small_office

    with (
        time_machine.travel(NOW, tick=True),
        override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"),
    ):
        roles.ensure_staff_groups()
        office, svc, _counters = small_office()
        head = User.objects.create_user(username="head", password=PASSWORD, is_staff=True)
        head.groups.add(Group.objects.get(name=roles.OFFICE_HEAD))
        StaffMembership.objects.create(user=head, office=office)
        demand = resolve_demand(office=office, pairs=[(svc["id_card"].pk, 1)])
        writer, _token = services.appointment_book(
            demand=demand,
            start=tuesday(9),
            citizen=CitizenDetails(name="Erika Mustermann", email="erika@example.org"),
            staff=True,
        )
        caller, _token = services.appointment_book(
            demand=demand,
            start=tuesday(9, 30),
            citizen=CitizenDetails(name="Karl Anrufer", email="", phone="0221 98765"),
            channel=Channel.PHONE,
            staff=True,
        )
        yield Morning(office=office, writer=writer, caller=caller)


def log_in(page: Any) -> None:
    page.goto("/backoffice/login/")
    page.fill("#id_username", "head")
    page.fill("#id_password", PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url("**/day/")


def _axe(page: Any, name: str) -> None:
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    assert results.violations_count == 0, f"{name}: {results.generate_report()}"


def _send_queued() -> None:
    for message in Message.objects.filter(status=MessageStatus.QUEUED).order_by("pk"):
        send_message.call(message.pk)


def test_an_absence_moves_people_tells_them_why_and_lists_whom_to_call(
    page: Any, morning: Morning
) -> None:
    office = morning.office.pk
    log_in(page)
    page.goto(f"/backoffice/{office}/absences/")
    page.select_option("#absence-scope", "office")
    page.fill("#start-day", TUESDAY)
    page.fill("#start-time", "08:00")
    page.fill("#end-day", TUESDAY)
    page.fill("#end-time", "12:00")
    page.fill("#absence-reason", "Personalversammlung")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/absences/office/*/")
    affected = page.locator("table").inner_text()
    assert "Karl Anrufer" in affected and "0221 98765" in affected
    assert "erika@example.org" in affected and "Personalausweis" in affected
    _axe(page, "affected appointments")

    page.locator("a[href$='/move/']").click()
    page.wait_for_url("**/move/")
    for appointment in (morning.writer, morning.caller):
        assert page.locator(f"#move-{appointment.pk}").is_checked()
    assert "Mi 03.12.2036 08:00" in page.locator("table").inner_text()
    _axe(page, "proposal")
    screenshot(page, "backoffice-absence-proposal")

    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/calls/")
    for appointment in (morning.writer, morning.caller):
        moved = Appointment.objects.get(pk=appointment.pk)
        assert moved.start >= tuesday(12) and moved.moved_from == appointment.start
    row = page.locator(f"#call-{morning.caller.pk}")
    assert "0221 98765" in row.inner_text() and "Personalversammlung" in row.inner_text()
    assert page.locator(f"#call-{morning.writer.pk}").count() == 0
    _axe(page, "call list")
    screenshot(page, "backoffice-call-list")

    row.locator("button").click()
    page.wait_for_load_state()
    assert "angerufen" in page.locator(f"#call-{morning.caller.pk}").inner_text()
    assert AuditEntry.objects.filter(appointment=morning.caller, action="citizen_called").exists()

    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        _send_queued()
    [moved_mail] = [m for m in mail.outbox if "Das Amt hat Ihren Termin verlegt" in m.subject]
    assert moved_mail.to == ["erika@example.org"]
    assert "Grund: Personalversammlung" in moved_mail.body
    assert "Mittwoch, 3. Dezember 2036, 08:00" in moved_mail.body


def test_the_absence_pages_pass_axe_in_english(
    browser: Any, live_server: Any, morning: Morning
) -> None:
    from django.contrib.auth.models import User

    head = User.objects.get(username="head")
    blocked = blocked_time_create(
        scope=morning.office,
        start=tuesday(8),
        end=tuesday(12),
        reason="Staff meeting",
        staff_user=head,
    )
    services.appointment_cancel(
        appointment=morning.caller, staff=True, staff_user=head, reason="Staff meeting"
    )
    context = browser.new_context(base_url=live_server.url, locale="en-US")
    page = context.new_page()
    log_in(page)
    base = f"/backoffice/{morning.office.pk}/absences/office/{blocked.pk}/"
    for url in (base, f"{base}move/", f"{base}calls/"):
        page.goto(url)
        assert page.locator("html").get_attribute("lang") == "en"
        _axe(page, url)
    assert "Karl Anrufer" in page.locator("table").inner_text()
    context.close()
