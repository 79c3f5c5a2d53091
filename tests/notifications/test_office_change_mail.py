"""When the office moves or cancels, the e-mail says so, gives the reason typed in, and the new
time with the manage link, or a link that books the same services again; never a deadline for
changing online that has passed already."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from amtstermin.booking import services
from amtstermin.booking.demand import resolve_demand
from amtstermin.booking.models import Appointment, Office, Service
from amtstermin.notifications.models import Message, MessageStatus
from amtstermin.notifications.tasks import send_message
from tests.factories import small_office

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
EIGHT = datetime(2026, 12, 7, 7, 0, tzinfo=UTC)  # Monday 08:00 in Berlin
pytestmark = pytest.mark.usefixtures("locmem")


@pytest.fixture
def locmem() -> object:
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        yield


def _book(language: str) -> tuple[Office, dict[str, Service], Appointment]:
    office, svc, _counters = small_office()
    demand = resolve_demand(
        office=office, pairs=[(svc["id_card"].pk, 1), (svc["registration"].pk, 3)]
    )
    citizen = services.CitizenDetails(
        name="Erika Mustermann", email="erika@example.org", language=language
    )
    appointment, _token = services.appointment_book(
        demand=demand, start=EIGHT, citizen=citizen, now=NOW
    )
    return office, svc, appointment


def _last_mail() -> mail.EmailMessage:
    for message in Message.objects.filter(status=MessageStatus.QUEUED).order_by("pk"):
        send_message.call(message.pk)
    return mail.outbox[-1]


def test_the_offices_move_names_the_office_the_reason_and_the_new_time_in_german(
    db: None,
) -> None:
    _office, _svc, appointment = _book("de")
    services.appointment_move(
        appointment=appointment,
        start=EIGHT + timedelta(days=1, hours=2),
        staff=True,
        now=NOW,
        reason="Personalversammlung",
    )
    moved = _last_mail()
    assert moved.subject.startswith("Das Amt hat Ihren Termin verlegt")
    assert "leider hat das Amt Ihren Termin auf eine neue Zeit verlegt." in moved.body
    assert "Grund: Personalversammlung" in moved.body
    assert "Dienstag, 8. Dezember 2026, 10:00" in moved.body
    assert "/manage/" in moved.body


def test_the_offices_move_in_english(db: None) -> None:
    _office, _svc, appointment = _book("en")
    services.appointment_move(
        appointment=appointment,
        start=EIGHT + timedelta(days=1, hours=2),
        staff=True,
        now=NOW,
        reason="staff meeting",
    )
    moved = _last_mail()
    assert moved.subject.startswith("The office has moved your appointment")
    assert "the office has had to move your appointment to a new time." in moved.body
    assert "Reason: staff meeting" in moved.body


def test_a_clerk_moving_at_the_citizens_request_does_not_apologise(db: None) -> None:
    """Without a reason (the day plan's move for a caller) the mail states the fact plainly."""
    _office, _svc, appointment = _book("en")
    services.appointment_move(
        appointment=appointment, start=EIGHT + timedelta(days=1, hours=2), staff=True, now=NOW
    )
    moved = _last_mail()
    assert "the office has moved your appointment to a new time." in moved.body
    assert "sorry" not in moved.body and "Reason" not in moved.body


def test_the_offices_cancellation_gives_the_reason_and_a_link_to_book_again(
    db: None, client: Client
) -> None:
    office, svc, appointment = _book("de")
    services.appointment_cancel(appointment=appointment, staff=True, now=NOW, reason="erkrankt")
    cancelled = _last_mail()
    assert cancelled.subject.startswith("Das Amt hat Ihren Termin abgesagt")
    assert "leider hat das Amt Ihren Termin abgesagt." in cancelled.body
    assert "Grund: erkrankt" in cancelled.body
    assert "Die Zeit ist jetzt für andere frei" not in cancelled.body
    rebook = f"/o/{office.pk}/?services={svc['id_card'].pk}%3A1%2C{svc['registration'].pk}%3A3"
    assert "Neuen Termin für dieselben Leistungen buchen: " in cancelled.body
    assert rebook in cancelled.body
    page = client.get(rebook, HTTP_ACCEPT_LANGUAGE="de")
    assert page.status_code == 200
    assert page.context["form"][f"persons_{svc['registration'].pk}"].value() == 3


def test_the_offices_cancellation_in_english(db: None) -> None:
    _office, _svc, appointment = _book("en")
    services.appointment_cancel(appointment=appointment, staff=True, now=NOW, reason="illness")
    cancelled = _last_mail()
    assert "the office has had to cancel your appointment." in cancelled.body
    assert "Reason: illness" in cancelled.body
    assert "Book a new appointment for the same services:" in cancelled.body
    assert "free for others" not in cancelled.body


def test_the_citizens_own_cancellation_still_reads_as_their_own(db: None) -> None:
    _office, _svc, appointment = _book("en")
    services.appointment_cancel(appointment=appointment, now=NOW)
    cancelled = _last_mail()
    assert "The time is free for others." in cancelled.body
    assert "the office" not in cancelled.body


def test_a_move_after_the_online_deadline_states_no_past_deadline(db: None) -> None:
    """Moved by the office to tomorrow morning: the online deadline (a day before) has passed."""
    _office, _svc, appointment = _book("de")
    late = EIGHT - timedelta(hours=3)
    services.appointment_move(
        appointment=appointment, start=EIGHT + timedelta(hours=1), staff=True, now=late
    )
    with time_machine.travel(late, tick=False):
        moved = _last_mail()
    assert "möglich bis" not in moved.body and "online bis" not in moved.body
    assert "wenden Sie sich bitte an das Amt" in moved.body


def test_the_citizens_own_move_after_the_offices_reads_as_their_own(db: None) -> None:
    _office, _svc, appointment = _book("en")
    services.appointment_move(
        appointment=appointment, start=EIGHT + timedelta(hours=1), staff=True, now=NOW, reason="x"
    )
    services.appointment_move(appointment=appointment, start=EIGHT + timedelta(hours=2), now=NOW)
    moved = Appointment.objects.get(pk=appointment.pk)
    assert not moved.changed_by_office and moved.office_reason == "" and moved.moved_from is None
    assert "your appointment has a new time." in _last_mail().body


def test_the_cancellation_reads_the_appointment_s_services_once(db: None) -> None:
    """The link to book again and the calendar file take the services from the visit summary
    the e-mail shows anyway."""
    _office, _svc, appointment = _book("de")
    _last_mail()  # the booking's own e-mail
    services.appointment_cancel(appointment=appointment, staff=True, now=NOW, reason="erkrankt")
    with CaptureQueriesContext(connection) as captured:
        cancelled = _last_mail()
    assert "/?services=" in cancelled.body
    lines = [q for q in captured.captured_queries if 'FROM "booking_appointmentline"' in q["sql"]]
    assert len(lines) == 1
