"""The back office in a real browser: login, day plan, check-in, calling a number onto the
display, a phone booking, a kiosk walk-in, a blocked counter, and axe-core on every page.

The clock stands (and ticks) on a Monday morning, 08:30 in Berlin, years in the future, so
the office is open and the browser's cookies stay valid.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import pytest
import time_machine
from axe_playwright_python.sync_playwright import Axe

from amtstermin.booking import desk as booking_desk
from amtstermin.booking import devices, roles, services, waitlist
from amtstermin.booking.demand import resolve_demand
from amtstermin.booking.models import Appointment, AppointmentStatus, Office, Ticket
from amtstermin.booking.services import CitizenDetails
from amtstermin.notifications.models import Message, MessageStatus
from tests.browser.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Far ahead of the real clock: the browser judges cookie expiry by its own (real) clock.
NOW = datetime(2036, 12, 1, 7, 30, tzinfo=UTC)
DAY = "2036-12-01"
PASSWORD = "a long enough test password 42"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def at(hour: int, minute: int = 0) -> datetime:
    return datetime(2036, 12, 1, hour - 1, minute, tzinfo=UTC)


@dataclass
class Desk:
    office: Office
    services: dict[str, Any]
    counters: list[Any]
    appointment: Appointment


@pytest.fixture
def desk(transactional_db: None) -> Iterator[Desk]:
    from django.contrib.auth.models import Group, User

    from amtstermin.booking.models import StaffMembership
    from tests.factories import small_office

    with time_machine.travel(NOW, tick=True):
        roles.ensure_staff_groups()
        office, svc, counters = small_office()
        for name, group in (("clerk", roles.CLERK), ("head", roles.OFFICE_HEAD)):
            user = User.objects.create_user(username=name, password=PASSWORD, is_staff=True)
            user.groups.add(Group.objects.get(name=group))
            StaffMembership.objects.create(user=user, office=office)
        demand = resolve_demand(office=office, pairs=[(svc["id_card"].pk, 1)])
        appointment, _token = services.appointment_book(
            demand=demand,
            start=at(9),
            citizen=CitizenDetails(name="Erika Mustermann", email="erika@example.org"),
            staff=True,
        )
        yield Desk(office=office, services=svc, counters=counters, appointment=appointment)


def pair(desk: Desk, kind: str) -> str:
    """A paired kiosk's or display's link token."""
    from django.contrib.auth.models import User

    head = User.objects.get(username="head")
    return devices.device_pair(office=desk.office, kind=kind, name=kind, staff_user=head).token


def log_in(page: Any, username: str) -> None:
    page.goto("/backoffice/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url("**/day/")


def test_clerk_checks_in_and_calls_the_next_number_onto_the_display(
    page: Any, browser: Any, live_server: Any, desk: Desk
) -> None:
    log_in(page, "clerk")
    appointment = desk.appointment
    card = page.locator(f"#appointment-{appointment.pk}")
    assert "Erika Mustermann" in card.inner_text()
    card.locator("form[action$='/check-in/'] button").click()
    page.wait_for_load_state()
    assert Appointment.objects.get(pk=appointment.pk).status == AppointmentStatus.CHECKED_IN
    assert page.locator(".message-success").count() == 1
    screenshot(page, "backoffice-day-plan")

    display_context = browser.new_context(base_url=live_server.url)
    display = display_context.new_page()
    display.goto(f"/display/{pair(desk, 'display')}/")
    assert display.locator(".call-number").count() == 0

    booking_desk.ticket_issue(office=desk.office, services=[desk.services["registration"]])
    counter = desk.counters[0]
    page.goto(f"/backoffice/{desk.office.pk}/queue/?counter={counter.pk}")
    page.locator("button[value=call-next]").click()
    page.wait_for_load_state()
    assert Ticket.objects.get(status="called").counter == counter
    # The checked-in citizen holds T-001 (due at 09:00); the walk-in drew W-002 and fits
    # before that. The display learns of the call by itself (polling every second).
    display.locator(".call-number").filter(has_text="W-002").wait_for(timeout=5000)
    assert counter.name in display.locator("#current").inner_text()
    assert "Erika" not in display.content()
    display_context.close()


def test_a_phone_booking(page: Any, desk: Desk) -> None:
    log_in(page, "clerk")
    page.goto(f"/backoffice/{desk.office.pk}/book/")
    page.fill(f"#persons-{desk.services['registration'].pk}", "2")
    page.locator("form[method=get] button[type=submit]").last.click()
    page.wait_for_load_state()
    page.locator(f"input[name=slot][value='{DAY}T10:00']").first.check()
    page.fill("#book-name", "Karl Anrufer")
    page.fill("#book-phone", "0221 12345")
    page.locator("form[method=post] button.button-primary-large").click()
    page.wait_for_url("**/confirmation/")
    booked = Appointment.objects.get(citizen_name="Karl Anrufer")
    assert booked.channel == "phone" and booked.start == at(10)
    assert booked.code in page.locator(".booking-code").inner_text()
    screenshot(page, "backoffice-phone-booking")


def test_a_walk_in_draws_a_number_at_the_kiosk(page: Any, desk: Desk) -> None:
    page.goto(f"/kiosk/{pair(desk, 'kiosk')}/")
    page.locator(f"#kiosk-service-{desk.services['registration'].pk}").check()
    page.locator("input[value=walk-in] ~ button").click()
    page.wait_for_load_state()
    assert "W-001" in page.locator(".ticket-big").inner_text()
    assert Ticket.objects.filter(office=desk.office, number=1).exists()
    screenshot(page, "backoffice-kiosk-ticket")


def test_a_blocked_counter_has_its_appointments_moved(page: Any, desk: Desk) -> None:
    log_in(page, "head")
    blocked = desk.appointment.counter
    page.goto(f"/backoffice/{desk.office.pk}/absences/")
    page.select_option("#absence-scope", str(blocked.pk))
    page.fill("#start-day", DAY)
    page.fill("#start-time", "08:00")
    page.fill("#end-day", DAY)
    page.fill("#end-time", "12:00")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/absences/counter/*/")
    assert desk.appointment.code in page.locator("table").inner_text()
    page.locator("a[href$='/move/']").click()
    page.wait_for_url("**/move/")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    moved = Appointment.objects.get(pk=desk.appointment.pk)
    assert moved.status == AppointmentStatus.CONFIRMED and moved.counter_id != blocked.pk
    assert page.locator(".message-success").count() == 1


def _a_waitlist_e_mail_failed(desk: Desk) -> None:
    demand = resolve_demand(office=desk.office, pairs=[(desk.services["id_card"].pk, 1)])
    wish = waitlist.Wish(
        demand=demand,
        first_day=date(2036, 12, 8),
        last_day=date(2036, 12, 8),
        name="Erika Mustermann",
        email="erika@example.org",
    )
    entry, _token = waitlist.waitlist_sign_up(wish=wish)
    Message.objects.filter(wish=entry).update(
        status=MessageStatus.FAILED, attempts=6, last_error="SMTPRecipientsRefused: 550"
    )


def _axe(page: Any, name: str) -> None:
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    assert results.violations_count == 0, f"{name}: {results.generate_report()}"


def test_staff_pages_pass_axe(page: Any, desk: Desk) -> None:
    office = desk.office.pk
    page.goto("/backoffice/login/")
    _axe(page, "login")
    log_in(page, "head")
    booking_desk.ticket_issue(office=desk.office, services=[desk.services["registration"]])
    id_card = desk.services["id_card"].pk
    _a_waitlist_e_mail_failed(desk)  # a row about a wish on the undelivered e-mails' page
    for url in (
        f"/backoffice/{office}/day/",
        f"/backoffice/{office}/day/?q=Erika",
        f"/backoffice/{office}/day/{DAY}/?print=1&counter={desk.appointment.counter_id}",
        f"/backoffice/{office}/book/?persons_{id_card}=1&day={DAY}",
        f"/backoffice/{office}/appointment/{desk.appointment.pk}/move/",
        f"/backoffice/{office}/appointment/{desk.appointment.pk}/confirmation/",
        f"/backoffice/{office}/queue/?counter={desk.counters[0].pk}",
        f"/backoffice/{office}/absences/",
        f"/backoffice/{office}/audit/",
        f"/backoffice/{office}/mail/",
        f"/backoffice/{office}/statistics/",
        f"/backoffice/{office}/devices/",
        f"/kiosk/{pair(desk, 'kiosk')}/",
        f"/display/{pair(desk, 'display')}/",
    ):
        page.goto(url)
        _axe(page, url)
    # An error state: booking without a name.
    page.goto(f"/backoffice/{office}/book/?persons_{id_card}=1&day={DAY}")
    page.locator(".time-radio input").first.check()
    page.locator("form[method=post] button.button-primary-large").click()
    page.wait_for_load_state()
    assert page.locator("[aria-invalid=true]").count() >= 1
    _axe(page, "book with errors")
