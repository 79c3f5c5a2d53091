"""Check-in opens on the appointment's day, a configurable time before its start (60 minutes
by default), at the desk and at the kiosk alike; a check-in can be undone by the clerk."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import TYPE_CHECKING

import pytest
import time_machine
from django.test import Client

from amtstermin.booking import desk
from amtstermin.booking.errors import WrongState
from amtstermin.booking.models import (
    Appointment,
    AppointmentStatus,
    AuditEntry,
    Ticket,
    TicketStatus,
)

from .conftest import Cast, at, book, client_for

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as TestResponse

# The clock stands at 08:30 (conftest).


def _post(cast: Cast, appointment: Appointment, action: str) -> TestResponse:
    return client_for(cast.clerk_a).post(
        f"/backoffice/{cast.office_a.pk}/appointment/{appointment.pk}/{action}/", follow=True
    )


def _status(appointment: Appointment) -> str:
    return Appointment.objects.get(pk=appointment.pk).status


def test_a_check_in_a_day_early_is_refused_with_the_opening_time(cast: Cast) -> None:
    appointment = book(cast.office_a, cast.services_a["id_card"], at(9) + timedelta(days=1))
    body = _post(cast, appointment, "check-in").content.decode()
    assert 'role="alert"' in body and "Too early to check in" in body
    assert "Tuesday, 8 December 2026 at 08:00" in body
    assert _status(appointment) == AppointmentStatus.CONFIRMED
    assert not AuditEntry.objects.filter(appointment=appointment, action="check_in").exists()


def test_61_minutes_before_the_start_is_too_early_by_default(
    cast: Cast, frozen: time_machine.Traveller
) -> None:
    appointment = book(cast.office_a, cast.services_a["id_card"], at(9, 30))
    frozen.move_to(at(8, 29))
    body = _post(cast, appointment, "check-in").content.decode()
    assert "Too early to check in" in body and "Monday, 7 December 2026 at 08:30" in body
    assert _status(appointment) == AppointmentStatus.CONFIRMED


def test_60_minutes_before_the_start_is_accepted(cast: Cast) -> None:
    appointment = book(cast.office_a, cast.services_a["id_card"], at(9, 30))
    _post(cast, appointment, "check-in")
    assert _status(appointment) == AppointmentStatus.CHECKED_IN


def test_the_office_sets_how_early_check_in_opens(cast: Cast) -> None:
    cast.office_a.check_in_minutes_before = 15
    cast.office_a.save()
    at_nine = book(cast.office_a, cast.services_a["id_card"], at(9))
    _post(cast, at_nine, "check-in")
    assert _status(at_nine) == AppointmentStatus.CONFIRMED
    cast.office_a.check_in_minutes_before = 90
    cast.office_a.save()
    at_ten = book(cast.office_a, cast.services_a["id_card"], at(10))
    _post(cast, at_ten, "check-in")
    assert _status(at_ten) == AppointmentStatus.CHECKED_IN


def test_the_kiosk_follows_the_same_rule(cast: Cast) -> None:
    appointment = book(cast.office_a, cast.services_a["id_card"], at(11))
    with pytest.raises(WrongState, match="Too early"):
        desk.ticket_check_in_by_code(office=cast.office_a, code=appointment.code)
    assert _status(appointment) == AppointmentStatus.CONFIRMED
    assert not Ticket.objects.exists()


def test_undo_restores_the_booking_and_is_audited(cast: Cast) -> None:
    appointment = book(cast.office_a, cast.services_a["id_card"], at(9))
    _post(cast, appointment, "check-in")
    body = _post(cast, appointment, "undo-check-in").content.decode()
    assert f"check-in of {appointment.code} is undone" in body
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.CONFIRMED and appointment.checked_in_at is None
    entry = AuditEntry.objects.get(appointment=appointment, action="check_in_undone")
    assert entry.actor == cast.clerk_a
    assert entry.before["status"] == "checked_in" and entry.after["status"] == "confirmed"
    assert entry.after["checked_in_at"] is None


def test_undo_restores_an_unconfirmed_booking_as_unconfirmed(cast: Cast) -> None:
    appointment = book(cast.office_a, cast.services_a["id_card"], at(9))
    Appointment.objects.filter(pk=appointment.pk).update(
        status=AppointmentStatus.PENDING, confirmed_at=None
    )
    _post(cast, appointment, "check-in")
    _post(cast, appointment, "undo-check-in")
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.PENDING
    assert appointment.pending_until is not None and appointment.pending_until > at(8, 30)


def test_undo_is_refused_once_the_service_has_started(cast: Cast) -> None:
    appointment = book(cast.office_a, cast.services_a["id_card"], at(9))
    _post(cast, appointment, "check-in")
    _post(cast, appointment, "start")
    body = _post(cast, appointment, "undo-check-in").content.decode()
    assert "already started" in body
    assert _status(appointment) == AppointmentStatus.CHECKED_IN


def test_undo_by_another_offices_staff_is_forbidden(cast: Cast) -> None:
    appointment = book(cast.office_a, cast.services_a["id_card"], at(9))
    _post(cast, appointment, "check-in")
    response = client_for(cast.clerk_b).post(
        f"/backoffice/{cast.office_a.pk}/appointment/{appointment.pk}/undo-check-in/"
    )
    assert response.status_code in (403, 404)
    assert _status(appointment) == AppointmentStatus.CHECKED_IN
    assert not AuditEntry.objects.filter(action="check_in_undone").exists()


def test_undo_takes_the_number_out_of_the_queue_until_the_next_check_in(cast: Cast) -> None:
    appointment = book(cast.office_a, cast.services_a["id_card"], at(9))
    _post(cast, appointment, "check-in")
    ticket = Ticket.objects.get(appointment=appointment)
    assert ticket.status == TicketStatus.WAITING
    _post(cast, appointment, "undo-check-in")
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.LEFT and ticket.left_at is not None
    assert _status(appointment) == AppointmentStatus.CONFIRMED
    # Checked in again (here at the kiosk): the same number waits again.
    again = desk.ticket_check_in_by_code(office=cast.office_a, code=appointment.code)
    assert again.pk == ticket.pk and again.status == TicketStatus.WAITING
    assert _status(appointment) == AppointmentStatus.CHECKED_IN


def test_undo_is_refused_once_the_number_has_been_called(cast: Cast) -> None:
    appointment = book(cast.office_a, cast.services_a["id_card"], at(9))
    _post(cast, appointment, "check-in")
    Ticket.objects.filter(appointment=appointment).update(status=TicketStatus.CALLED)
    body = _post(cast, appointment, "undo-check-in").content.decode()
    assert "has already been called" in body
    assert _status(appointment) == AppointmentStatus.CHECKED_IN


def test_the_clerk_prints_a_slip_whose_qr_code_leads_to_the_live_ticket_page(cast: Cast) -> None:
    appointment = book(cast.office_a, cast.services_a["id_card"], at(9))
    _post(cast, appointment, "check-in")
    ticket = Ticket.objects.get(appointment=appointment)
    slip = client_for(cast.clerk_a).post(
        f"/backoffice/{cast.office_a.pk}/appointment/{appointment.pk}/ticket/"
    )
    assert slip.status_code == 200
    page = slip.content.decode()
    assert ticket.label in page and "<svg" in page
    link = re.search(r'href="http://testserver(/t/[A-Za-z0-9_-]+/)"', page)
    assert link is not None
    assert Client().get(link.group(1)).status_code == 200  # the citizen follows the number
    # Another office's clerk gets nothing.
    other = client_for(cast.clerk_b).post(
        f"/backoffice/{cast.office_a.pk}/appointment/{appointment.pk}/ticket/"
    )
    assert other.status_code in (403, 404)


def test_no_slip_for_a_number_already_called(cast: Cast) -> None:
    appointment = book(cast.office_a, cast.services_a["id_card"], at(9))
    _post(cast, appointment, "check-in")
    Ticket.objects.filter(appointment=appointment).update(status=TicketStatus.CALLED)
    response = client_for(cast.clerk_a).post(
        f"/backoffice/{cast.office_a.pk}/appointment/{appointment.pk}/ticket/", follow=True
    )
    assert "no number waiting" in response.content.decode()
