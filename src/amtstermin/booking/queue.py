"""Writes of the office's one queue beside ``desk``: a checked-in appointment's place in the
line, the live ticket page's token, and leaving the queue.

The functions starting with ``_`` run under the office's lock, inside the caller's
transaction.
"""

from __future__ import annotations

import secrets
from datetime import date, datetime

from django.utils import timezone

from amtstermin.booking import audit
from amtstermin.booking.errors import WrongState, error_messages
from amtstermin.booking.locking import office_lock
from amtstermin.booking.models import Appointment, AuditAction, Office, Ticket, TicketStatus
from amtstermin.booking.tokens import hash_token

TOKEN_BYTES = 16  # 128 bits: a short link that cannot be guessed


def next_number(office: Office, day: date) -> int:
    last = (
        Ticket.objects.filter(office=office, day=day)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    return (last or 0) + 1


def give_page_token(ticket: Ticket) -> None:
    """A fresh token for the live ticket page; the ticket keeps only its hash."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    ticket.token_hash = hash_token(token)
    ticket.page_token = token


def place_in_queue(appointment: Appointment, *, now: datetime) -> Ticket:
    """The checked-in citizen's entry in the queue (a T number); the one it has, if any."""
    existing = Ticket.objects.filter(appointment=appointment).first()
    if existing is not None and existing.status == TicketStatus.LEFT:
        # Checked in again after an undone check-in: back in the queue, from now on.
        existing.status, existing.left_at, existing.created_at = TicketStatus.WAITING, None, now
        give_page_token(existing)
        existing.save(update_fields=["status", "left_at", "created_at", "token_hash"])
    if existing is not None:
        return existing
    day = appointment.start.astimezone(appointment.office.zone).date()
    ticket = Ticket(
        office=appointment.office,
        day=day,
        prefix=Ticket.APPOINTMENT_PREFIX,
        number=next_number(appointment.office, day),
        appointment=appointment,
        minutes=int((appointment.end - appointment.start).total_seconds() // 60),
        created_at=now,
    )
    give_page_token(ticket)
    ticket.save()
    ticket.services.set([line.service for line in appointment.lines.all()])
    return ticket


def take_out_of_queue(ticket: Ticket, *, now: datetime) -> None:
    """A check-in undone: the number leaves the queue (until the citizen checks in again)."""
    ticket.status, ticket.left_at = TicketStatus.LEFT, now
    ticket.save(update_fields=["status", "left_at"])


def mark_called(ticket: Ticket, *, now: datetime) -> list[str]:
    """The fields a call changes; the first call also records the actual wait."""
    ticket.status = TicketStatus.CALLED
    ticket.called_at = now
    ticket.call_count += 1
    fields = ["status", "called_at", "call_count"]
    if ticket.first_called_at is None:
        ticket.first_called_at = now
        ticket.actual_wait_minutes = max(0, round((now - ticket.created_at).total_seconds() / 60))
        fields += ["first_called_at", "actual_wait_minutes"]
    return fields


def ticket_leave(*, ticket: Ticket, now: datetime | None = None) -> Ticket:
    """The citizen gives up the number on the live ticket page."""
    now = now or timezone.now()
    with office_lock(ticket.office, changes_times=False):
        current = Ticket.objects.get(pk=ticket.pk)
        if current.status != TicketStatus.WAITING:
            raise WrongState(error_messages["ticket_gone"])
        before = audit.ticket_snapshot(current)
        take_out_of_queue(current, now=now)
        audit.record(
            staff_user=None,
            action=AuditAction.TICKET_LEFT,
            ticket=current,
            now=now,
            before=before,
            after=audit.ticket_snapshot(current),
            note="ticket page",
        )
        return current


def follow_appointment(appointment: Appointment, *, now: datetime, finished: bool) -> None:
    """The clerk serves a checked-in citizen from the day plan: their queue entry follows, so
    no counter calls them again (in service: called to the appointment's counter; completed:
    done)."""
    ticket = Ticket.objects.filter(appointment=appointment).first()
    if ticket is None or ticket.status not in (TicketStatus.WAITING, TicketStatus.CALLED):
        return
    fields: list[str] = []
    if ticket.status == TicketStatus.WAITING:
        ticket.counter_id = appointment.counter_id
        fields = ["counter", *mark_called(ticket, now=now)]
    if finished:
        ticket.status = TicketStatus.DONE
        ticket.finished_at = now
        fields += ["status", "finished_at"]
    ticket.save(update_fields=sorted(set(fields)))
