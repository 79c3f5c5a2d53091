"""Citizens cancel online until the appointment starts; the office's deadline (24 hours here)
closes moving only. Pages, API, e-mail and calendar file all say so."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.test import Client, override_settings
from icalendar import Calendar

from amtstermin.booking import services
from amtstermin.booking.demand import resolve_demand
from amtstermin.booking.models import Appointment, AppointmentStatus, Office, Service
from amtstermin.notifications.models import Message, MessageStatus
from amtstermin.notifications.tasks import send_message
from tests.factories import small_office
from tests.proof import proof

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)  # Tuesday 10:00 in Berlin
START = datetime(2026, 12, 7, 7, 0, tzinfo=UTC)  # Monday 08:00
LATE = START - timedelta(minutes=30)  # inside the 24 hours before
CANCEL_UNTIL_START = "Sie können online absagen, bis Ihr Termin beginnt"


@pytest.fixture
def clock() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def office(db: None, clock: time_machine.Traveller) -> tuple[Office, Service]:
    office, svc, _counters = small_office()
    assert office.cancel_deadline_hours == 24
    return office, svc["id_card"]


def book(office: tuple[Office, Service]) -> tuple[Appointment, str]:
    demand = resolve_demand(office=office[0], pairs=[(office[1].pk, 1)])
    citizen = services.CitizenDetails(name="Erika Mustermann", email="erika@example.org")
    return services.appointment_book(demand=demand, start=START, citizen=citizen)


def test_half_an_hour_before_the_start_the_manage_page_cancels_but_does_not_move(
    client: Client, office: tuple[Office, Service], clock: time_machine.Traveller
) -> None:
    appointment, token = book(office)
    clock.move_to(LATE)
    html = client.get(f"/manage/{token}/").content.decode()
    assert 'id="cancel-button"' in html and 'id="move-link"' not in html
    refused = client.post(f"/manage/{token}/move/", {"start": int(START.timestamp()) + 3600})
    assert refused.status_code == 302
    assert "Wirklich absagen?" in client.get(f"/manage/{token}/cancel/").content.decode()
    client.post(f"/manage/{token}/cancel/")
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.CANCELLED and appointment.start == START


def test_half_an_hour_before_the_start_the_api_cancels(
    client: Client, office: tuple[Office, Service], clock: time_machine.Traveller
) -> None:
    appointment, token = book(office)
    clock.move_to(LATE)
    assert client.delete(f"/api/v1/appointments/{token}").status_code == 204
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.CANCELLED


def test_the_api_gives_the_start_as_cancellable_until(
    client: Client, office: tuple[Office, Service]
) -> None:
    _appointment, token = book(office)
    body = client.get(f"/api/v1/appointments/{token}").json()
    assert body["cancellable_until"] == body["start"] == "2026-12-07T08:00:00+01:00"


@override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")
def test_the_confirmation_e_mail_names_the_start_as_the_cancel_deadline(
    office: tuple[Office, Service],
) -> None:
    book(office)
    for message in Message.objects.filter(status=MessageStatus.QUEUED):
        send_message.call(message.pk)
    (confirmation,) = mail.outbox
    assert f"{CANCEL_UNTIL_START} (Montag, 7. Dezember 2026, 08:00 Uhr)." in confirmation.body
    assert "Eine andere Zeit können Sie online bis Sonntag, 6. Dezember 2026, 08:00 Uhr wählen" in (
        confirmation.body
    )


def test_the_calendar_file_names_the_start_as_the_cancel_deadline(
    client: Client, office: tuple[Office, Service]
) -> None:
    _appointment, token = book(office)
    ics = client.get(f"/manage/{token}/calendar.ics").content
    description = str(Calendar.from_ical(ics).walk("VEVENT")[0]["description"])
    assert f"{CANCEL_UNTIL_START} (Montag, 7. Dezember 2026, 08:00 Uhr)." in description


def test_a_booking_made_late_in_the_evening_can_be_cancelled_from_its_confirmation(
    client: Client, office: tuple[Office, Service], clock: time_machine.Traveller
) -> None:
    """The reported case: booked at 22:28 for 08:00 the next morning."""
    the_office, service = office
    clock.move_to(datetime(2026, 12, 6, 21, 28, tzinfo=UTC))
    held = client.post(
        f"/o/{the_office.pk}/hold/",
        {"services": f"{service.pk}:1", "start": int(START.timestamp())},
    )
    assert held.status_code == 302
    details = {"name": "Erika Mustermann", "email": "erika@example.org", "consent": "on"}
    client.post("/booking/details/", details)
    client.post("/booking/review/", proof(client))
    done = client.get("/booking/done/").content.decode()
    assert "Montag, 7. Dezember 2026, 08:00 Uhr" in done.split(CANCEL_UNTIL_START)[1][:60]
    assert 'id="move-closed"' in done
    manage = re.search(r'href="http://testserver(/manage/[^/"]+/)" id="manage-link"', done)
    assert manage is not None
    assert client.get(f"{manage.group(1)}cancel/").status_code == 200  # "Really cancel?"
    client.post(f"{manage.group(1)}cancel/")
    assert Appointment.objects.get().status == AppointmentStatus.CANCELLED
