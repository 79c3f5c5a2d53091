"""E-mails are queued in the transaction that changes the appointment, and sent by a task."""

from __future__ import annotations

import smtplib
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any
from unittest import mock

import pytest
from django.core import mail
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.test import override_settings
from django_tasks_db.models import DBTaskResult
from icalendar import Calendar

from amtstermin.booking import housekeeping, services
from amtstermin.booking.demand import Demand, resolve_demand
from amtstermin.booking.errors import InvalidDetails, WrongState
from amtstermin.booking.models import Appointment, AppointmentStatus, Channel, Office
from amtstermin.booking.tokens import manage_token
from amtstermin.notifications import outbox
from amtstermin.notifications.models import Message, MessageKind, MessageSetting, MessageStatus
from amtstermin.notifications.tasks import send_message, send_reminder
from tests.factories import small_office

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
EIGHT = datetime(2026, 12, 7, 7, 0, tzinfo=UTC)  # Monday 08:00 in Berlin
CITIZEN = services.CitizenDetails(name="Erika Mustermann", email="erika@example.org")
LOCMEM = override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")


def tasks_named(name: str) -> list[DBTaskResult]:
    return [t for t in DBTaskResult.objects.all() if t.task_path.endswith(name)]


def run_queued_messages() -> None:
    for message in Message.objects.filter(status=MessageStatus.QUEUED).order_by("pk"):
        send_message.call(message.pk)


@pytest.fixture
def confirming_office(db: None) -> tuple[Office, Demand]:
    office, svc, _counters = small_office()
    office.require_email_confirmation = True
    office.save()
    demand = resolve_demand(
        office=office, pairs=[(svc["id_card"].pk, 1), (svc["registration"].pk, 4)]
    )
    return office, demand


def book(demand: Demand, **kwargs: Any) -> tuple[Appointment, str]:
    appointment, token = services.appointment_book(
        demand=demand,
        start=kwargs.pop("start", EIGHT),
        citizen=kwargs.pop("citizen", CITIZEN),
        now=kwargs.pop("now", NOW),
        **kwargs,
    )
    return appointment, token


@LOCMEM
def test_online_booking_stays_pending_until_the_link_is_followed(
    confirming_office: tuple[Office, Demand],
) -> None:
    _office, demand = confirming_office
    appointment, token = book(demand)
    assert appointment.status == AppointmentStatus.PENDING
    assert appointment.pending_until == NOW + timedelta(minutes=60)
    assert [m.kind for m in Message.objects.all()] == [MessageKind.CONFIRM_REQUEST]
    assert len(tasks_named("send_message")) == 1
    run_queued_messages()
    (request,) = mail.outbox
    assert request.to == ["erika@example.org"]
    assert "NICHT gebucht" in request.body  # the citizen booked in German
    assert f"/confirm/{token}/" in request.body
    assert "\n" not in request.subject

    confirmed = services.appointment_confirm(
        appointment=appointment, now=NOW + timedelta(minutes=5)
    )
    assert confirmed.status == AppointmentStatus.CONFIRMED
    run_queued_messages()
    booked_mail = mail.outbox[1]
    assert "Ihr Termin ist gebucht" in booked_mail.body
    assert "4 × Ausweis" in booked_mail.body  # merged checklist, counted by persons
    (_name, ics_bytes, _type) = next(a for a in booked_mail.attachments if a[0] == "termin.ics")
    event = Calendar.from_ical(ics_bytes).walk("VEVENT")[0]
    assert event["uid"] == f"{appointment.code}@amtstermin"
    assert event.decoded("dtstart").astimezone(UTC) == EIGHT
    assert "Rathausplatz 2" in str(event["location"])
    assert any(
        getattr(a, "get_content_type", lambda: "")() == "image/png" for a in booked_mail.attachments
    )
    assert isinstance(booked_mail, EmailMultiAlternatives)
    html = booked_mail.alternatives[0][0]
    assert isinstance(html, str)
    assert "cid:booking-code" in html and "http" not in html.split("<body")[1].split("href")[0]
    # The reminder is scheduled 24 hours before.
    (reminder,) = tasks_named("send_reminder")
    assert reminder.run_after == EIGHT - timedelta(hours=24)


@LOCMEM
def test_a_rolled_back_booking_leaves_no_mail_behind(
    confirming_office: tuple[Office, Demand],
) -> None:
    _office, demand = confirming_office
    real_queue = outbox.queue

    def queue_then_fail(*args: Any, **kwargs: Any) -> None:
        real_queue(*args, **kwargs)
        raise RuntimeError("crash after queueing")

    with mock.patch.object(outbox, "queue", queue_then_fail), pytest.raises(RuntimeError):
        book(demand)
    assert Appointment.objects.count() == 0
    assert Message.objects.count() == 0
    assert tasks_named("send_message") == []


@LOCMEM
def test_no_reminder_when_booked_within_the_reminder_time(db: None) -> None:
    office, svc, _counters = small_office()
    demand = resolve_demand(office=office, pairs=[(svc["id_card"].pk, 1)])
    book(demand, now=EIGHT - timedelta(hours=20))
    assert tasks_named("send_reminder") == []


@LOCMEM
def test_reminder_is_dropped_after_a_move_and_sent_otherwise(db: None) -> None:
    office, svc, _counters = small_office()
    demand = resolve_demand(office=office, pairs=[(svc["id_card"].pk, 1)])
    appointment, _token = book(demand)
    assert send_reminder.call(appointment.pk, appointment.start.isoformat()) == "queued"
    old_start = appointment.start.isoformat()
    services.appointment_move(appointment=appointment, start=EIGHT + timedelta(hours=1), now=NOW)
    assert send_reminder.call(appointment.pk, old_start) == "obsolete"
    run_queued_messages()
    kinds = [m.kind for m in Message.objects.order_by("created_at", "pk")]
    assert kinds == [MessageKind.CONFIRMED, MessageKind.REMINDER, MessageKind.MOVED]
    moved_ics = next(a for a in mail.outbox[-1].attachments if a[0] == "termin.ics")[1]
    event = Calendar.from_ical(moved_ics).walk("VEVENT")[0]
    assert event["sequence"] == 1 and event["uid"] == f"{appointment.code}@amtstermin"


@LOCMEM
def test_cancelling_sends_a_calendar_cancellation(db: None) -> None:
    office, svc, _counters = small_office()
    demand = resolve_demand(office=office, pairs=[(svc["id_card"].pk, 1)])
    appointment, _token = book(demand)
    services.appointment_cancel(appointment=appointment, now=NOW)
    run_queued_messages()
    cancelled = mail.outbox[-1]
    ics = next(a for a in cancelled.attachments if a[0] == "termin.ics")[1]
    assert "METHOD:CANCEL" in ics and "STATUS:CANCELLED" in ics
    assert send_reminder.call(appointment.pk, appointment.start.isoformat()) == "obsolete"


@LOCMEM
def test_messages_follow_the_office_settings_and_the_citizens_language(db: None) -> None:
    office, svc, _counters = small_office()
    MessageSetting.objects.create(
        office=office,
        kind=MessageKind.CONFIRMED,
        paragraph="Bitte pünktlich.",
        paragraph_en="Please be on time.",
    )
    MessageSetting.objects.create(office=office, kind=MessageKind.CANCELLED, enabled=False)
    demand = resolve_demand(office=office, pairs=[(svc["id_card"].pk, 1)])
    english = services.CitizenDetails(name="Jane Doe", email="jane@example.org", language="en")
    appointment, _token = book(demand, citizen=english)
    services.appointment_cancel(appointment=appointment, now=NOW)
    run_queued_messages()
    (only,) = mail.outbox
    assert "Please be on time." in only.body and "Bitte" not in only.body
    assert only.subject.startswith("Your appointment is booked")
    assert "Personalausweis (en)" in only.body


@pytest.mark.parametrize("name", ["Eve\r\nBcc: victim@example.org", "x" * 201, "\x00"])
def test_names_that_could_inject_headers_are_refused(db: None, name: str) -> None:
    office, svc, _counters = small_office()
    demand = resolve_demand(office=office, pairs=[(svc["id_card"].pk, 1)])
    with pytest.raises(InvalidDetails):
        book(demand, citizen=services.CitizenDetails(name=name, email="e@example.org"))
    with pytest.raises(InvalidDetails):
        book(demand, citizen=services.CitizenDetails(name="Eve", email="e@example.org\nBcc: x@y.z"))
    assert Appointment.objects.count() == 0


class FailingBackend:
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        pass

    def send_messages(self, messages: Sequence[EmailMessage]) -> int:
        raise smtplib.SMTPServerDisconnected("mail server went away")


@override_settings(
    EMAIL_BACKEND="tests.notifications.test_outbox.FailingBackend", MAIL_MAX_ATTEMPTS=3
)
def test_failed_delivery_is_retried_with_backoff_then_shown_with_the_reason(db: None) -> None:
    office, svc, _counters = small_office()
    demand = resolve_demand(office=office, pairs=[(svc["id_card"].pk, 1)])
    appointment, _token = book(demand, channel=Channel.ONLINE)
    assert (
        appointment.status == AppointmentStatus.CONFIRMED
    )  # the booking never fails because mail is down
    message = Message.objects.get()
    before = len(tasks_named("send_message"))
    assert send_message.call(message.pk) == MessageStatus.QUEUED
    retries = tasks_named("send_message")
    assert len(retries) == before + 1
    delays = [t.run_after for t in retries if t.run_after.year < 9000]
    assert delays and min(delays) > datetime.now(UTC) + timedelta(seconds=50)
    send_message.call(message.pk)
    assert send_message.call(message.pk) == MessageStatus.FAILED
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED and message.attempts == 3
    assert "mail server went away" in message.last_error
    outbox.resend(message)
    message.refresh_from_db()
    assert message.status == MessageStatus.QUEUED and message.attempts == 0


@LOCMEM
def test_a_message_is_sent_once_even_if_its_task_runs_twice(db: None) -> None:
    office, svc, _counters = small_office()
    demand = resolve_demand(office=office, pairs=[(svc["id_card"].pk, 1)])
    book(demand)
    message = Message.objects.get()
    assert send_message.call(message.pk) == "sent"
    assert send_message.call(message.pk) == "not queued"
    assert len(mail.outbox) == 1


def test_manage_link_in_mails_is_the_citizens_token(db: None) -> None:
    office, svc, _counters = small_office()
    demand = resolve_demand(office=office, pairs=[(svc["id_card"].pk, 1)])
    appointment, token = book(demand)
    assert manage_token(appointment.token_nonce) == token


class BrokenTemplateBackend:
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        pass

    def send_messages(self, messages: Sequence[EmailMessage]) -> int:
        raise ValueError("not an SMTP error")


@override_settings(EMAIL_BACKEND="tests.notifications.test_outbox.BrokenTemplateBackend")
def test_any_failure_is_retried_and_never_leaves_a_message_stuck_in_sending(db: None) -> None:
    office, svc, _counters = small_office()
    demand = resolve_demand(office=office, pairs=[(svc["id_card"].pk, 1)])
    book(demand)
    message = Message.objects.get()
    assert send_message.call(message.pk) == MessageStatus.QUEUED
    message.refresh_from_db()
    assert message.status == MessageStatus.QUEUED and "not an SMTP error" in message.last_error


def test_a_confirmation_link_is_dead_once_the_personal_data_is_erased(
    confirming_office: tuple[Office, Demand],
) -> None:
    _office, demand = confirming_office
    appointment, _token = book(demand)
    housekeeping.purge_personal_data(now=EIGHT + timedelta(days=30))
    with pytest.raises(WrongState):
        services.appointment_confirm(appointment=appointment, now=NOW + timedelta(minutes=5))
    appointment.refresh_from_db()
    assert appointment.status != AppointmentStatus.CONFIRMED
