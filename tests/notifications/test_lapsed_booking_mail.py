"""A booking that lapses unconfirmed tells its citizen so, once, in the booking's language, with
a link to book again (issue 16). The e-mail is queued in the transaction that marks it expired."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core import mail
from django.db import transaction
from django.test import Client, override_settings

from amtstermin.booking import housekeeping, roles, services
from amtstermin.booking.models import Appointment, AppointmentStatus, Channel, StaffMembership
from amtstermin.booking.tasks import release_lapsed
from amtstermin.notifications.models import Message, MessageKind, MessageSetting, MessageStatus
from amtstermin.notifications.tasks import send_message
from tests.notifications.test_expiry_and_purge import (
    EIGHT,
    ERIKA,
    NOW,
    OTHER,
    Desk,
    book_online,
    one_counter_office,
)

LOCMEM = override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")
LAPSE = NOW + timedelta(minutes=61)  # the office gives an hour to confirm


@pytest.fixture
def clock() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def desk(db: None) -> Desk:
    """One counter; online bookings wait an hour for their confirmation."""
    return one_counter_office()


def _lapsed_messages(appointment: Appointment) -> list[Message]:
    return list(Message.objects.filter(appointment=appointment, kind=MessageKind.LAPSED))


def _sent(message: Message) -> mail.EmailMessage:
    mail.outbox.clear()
    assert send_message.call(message.pk) == "sent"
    (sent,) = mail.outbox
    return sent


@LOCMEM
def test_a_lapsed_booking_is_told_once_even_if_the_sweep_runs_twice(
    desk: Desk, clock: time_machine.Traveller
) -> None:
    pending, _token = book_online(desk)
    clock.move_to(LAPSE)
    assert release_lapsed.call(desk.office.pk) == 1
    assert release_lapsed.call(desk.office.pk) == 0  # the second run finds nothing to do
    clock.move_to(LAPSE + timedelta(hours=1))
    assert housekeeping.release_lapsed() == 0
    (told,) = _lapsed_messages(pending)
    assert Appointment.objects.get(pk=pending.pk).status == AppointmentStatus.EXPIRED
    sent = _sent(told)
    assert sent.to == [ERIKA.email]
    assert sent.subject == "Ihr Termin wurde nicht rechtzeitig bestätigt – Bürgerbüro Teststadt"
    body = str(sent.body)
    assert "Sie haben Ihren Termin nicht rechtzeitig bestätigt." in body
    rebook = f"{settings.AMTSTERMIN_BASE_URL}/o/{desk.office.pk}/?services="
    assert rebook in body and rebook in sent.alternatives[0][0]  # type: ignore[attr-defined]
    assert "/manage/" not in body and "Bitte mitbringen" not in body  # short: what lapsed only
    assert not sent.attachments  # no calendar entry, no QR code


@LOCMEM
def test_the_e_mail_speaks_the_language_of_the_booking(
    desk: Desk, clock: time_machine.Traveller
) -> None:
    english = services.CitizenDetails(name="Jane Doe", email="jane@example.org", language="en")
    pending, _token = services.appointment_book(demand=desk.demand, start=EIGHT, citizen=english)
    clock.move_to(LAPSE)
    housekeeping.release_lapsed()
    sent = _sent(_lapsed_messages(pending)[0])
    assert sent.subject == "Your appointment was not confirmed in time – Bürgerbüro Teststadt"
    assert "you did not confirm your appointment in time" in str(sent.body)
    again = (
        f"If you still need an appointment, please book again: {settings.AMTSTERMIN_BASE_URL}/o/"
    )
    assert again in str(sent.body)


def test_a_lapse_found_by_another_booking_tells_the_citizen_once_too(
    desk: Desk, clock: time_machine.Traveller
) -> None:
    pending, _token = book_online(desk)
    clock.move_to(LAPSE)
    # Someone else books the lapsed time (the only counter): the booking marks it expired.
    services.appointment_book(
        demand=desk.demand, start=EIGHT, citizen=OTHER, channel=Channel.PHONE, staff=True
    )
    assert Appointment.objects.get(pk=pending.pk).status == AppointmentStatus.EXPIRED
    assert housekeeping.release_lapsed() == 0
    assert len(_lapsed_messages(pending)) == 1


def test_the_e_mail_is_queued_with_the_expiry_or_not_at_all(
    desk: Desk, clock: time_machine.Traveller
) -> None:
    pending, _token = book_online(desk)
    clock.move_to(LAPSE)
    with pytest.raises(RuntimeError), transaction.atomic():
        housekeeping.release_lapsed()
        raise RuntimeError("the sweep's transaction fails")
    assert Appointment.objects.get(pk=pending.pk).status == AppointmentStatus.PENDING
    assert _lapsed_messages(pending) == []
    housekeeping.release_lapsed()
    assert len(_lapsed_messages(pending)) == 1


def test_a_booking_confirmed_in_time_and_a_lapsed_hold_get_no_such_e_mail(
    desk: Desk, clock: time_machine.Traveller
) -> None:
    confirmed, _token = book_online(desk)
    services.appointment_confirm(appointment=confirmed)
    hold, _token = services.appointment_hold(demand=desk.demand, start=EIGHT + timedelta(hours=1))
    clock.move_to(LAPSE)
    assert housekeeping.release_lapsed() == 1  # the hold
    assert not Message.objects.filter(kind=MessageKind.LAPSED).exists()
    assert Appointment.objects.get(pk=hold.pk).status == AppointmentStatus.EXPIRED


def test_an_office_that_turned_the_e_mail_off_sends_none(
    desk: Desk, clock: time_machine.Traveller
) -> None:
    MessageSetting.objects.create(office=desk.office, kind=MessageKind.LAPSED, enabled=False)
    pending, _token = book_online(desk)
    clock.move_to(LAPSE)
    assert housekeeping.release_lapsed() == 1
    assert _lapsed_messages(pending) == []


def test_an_undelivered_lapse_e_mail_shows_on_the_undelivered_mail_page(
    desk: Desk, clock: time_machine.Traveller, client: Client
) -> None:
    pending, _token = book_online(desk)
    clock.move_to(LAPSE)
    housekeeping.release_lapsed()
    (told,) = _lapsed_messages(pending)
    told.status, told.attempts, told.last_error = MessageStatus.FAILED, 6, "SMTPDataError: 554"
    told.save()
    head = User.objects.create_user("leitung-mail", is_staff=True)
    head.groups.add(Group.objects.get(name=roles.OFFICE_HEAD))
    StaffMembership.objects.create(user=head, office=desk.office)
    client.force_login(head)
    page = client.get(f"/backoffice/{desk.office.pk}/mail/").content.decode()
    assert "Nicht rechtzeitig bestätigt" in page and pending.code in page


def test_the_sweep_tells_each_office_by_its_own_setting(
    db: None, clock: time_machine.Traveller
) -> None:
    """Two offices' lapses in one sweep: each follows its own office's switch."""
    quiet, loud = one_counter_office(name="Leise"), one_counter_office(name="Laut")
    MessageSetting.objects.create(office=quiet.office, kind=MessageKind.LAPSED, enabled=False)
    quiet_booking, _token = book_online(quiet)
    loud_booking, _token = book_online(loud)
    clock.move_to(LAPSE)
    assert housekeeping.release_lapsed() == 2
    assert _lapsed_messages(quiet_booking) == []
    assert len(_lapsed_messages(loud_booking)) == 1
