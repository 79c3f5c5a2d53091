"""What follows an appointment's new state, queued in the transaction that sets it: the e-mail
(confirm, confirmed), the reminder, and the task that tidies up when a hold or an unconfirmed
booking lapses. Called under the office's lock by the services and the waitlist."""

from __future__ import annotations

from datetime import datetime, timedelta

from amtstermin.booking import tasks
from amtstermin.booking.models import Appointment, AppointmentStatus
from amtstermin.booking.selectors import OfficeConfiguration
from amtstermin.notifications import outbox
from amtstermin.notifications.models import MessageKind


def settle(appointment: Appointment, now: datetime, confirm_by_email: bool = False) -> None:
    """Set the booked state, not yet saved: pending (a confirmation link goes out) or confirmed
    at once. ``announce`` queues what follows once it is saved."""
    if appointment.needs_confirmation or (confirm_by_email and appointment.email):
        appointment.status = AppointmentStatus.PENDING
        appointment.pending_until = now + timedelta(minutes=appointment.office.confirm_minutes)
    else:
        _set_confirmed(appointment, now)


def _set_confirmed(appointment: Appointment, now: datetime) -> None:
    appointment.status = AppointmentStatus.CONFIRMED
    appointment.confirmed_at = now
    appointment.held_until = None
    appointment.pending_until = None


def announce(appointment: Appointment, now: datetime, configuration: OfficeConfiguration) -> None:
    """Queue the e-mails and tasks that follow the state just saved."""
    off = configuration.messages_off
    if appointment.status == AppointmentStatus.HELD:
        _schedule_expiry(appointment)
    elif appointment.status == AppointmentStatus.PENDING:
        outbox.queue(appointment, MessageKind.CONFIRM_REQUEST, messages_off=off)
        _schedule_expiry(appointment)
    elif appointment.status == AppointmentStatus.CONFIRMED:
        outbox.queue(appointment, MessageKind.CONFIRMED, messages_off=off)
        outbox.schedule_reminder(appointment, now=now, messages_off=off)


def mark_confirmed(
    appointment: Appointment, now: datetime, configuration: OfficeConfiguration
) -> None:
    """Confirm and queue what follows (under the caller's lock)."""
    _set_confirmed(appointment, now)
    appointment.save(update_fields=["status", "confirmed_at", "held_until", "pending_until"])
    announce(appointment, now, configuration)


def _schedule_expiry(appointment: Appointment) -> None:
    """Tidy up when the hold or confirmation time lapses: marked expired under the lock, its time
    goes to the waitlist first (``housekeeping.release_lapsed``)."""
    deadline = appointment.held_until or appointment.pending_until
    if deadline is not None:
        tasks.release_lapsed.using(run_after=deadline).enqueue(appointment.office_id)
