"""At the desk and the kiosk: check-in, service, completion, no-show, and walk-in tickets.

Each action is taken under the office's lock and recorded in the audit log in the same
transaction.
"""

from __future__ import annotations

import math
import re
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from amtstermin import scheduling
from amtstermin.booking import audit, queue, queue_selectors
from amtstermin.booking.errors import InvalidDetails, LimitReached, WrongState, error_messages
from amtstermin.booking.locking import office_lock
from amtstermin.booking.models import (
    CODE_LENGTH,
    Appointment,
    AppointmentStatus,
    AuditAction,
    AuditEntry,
    Counter,
    Office,
    Service,
    Ticket,
    TicketStatus,
)
from amtstermin.languages import formatting

if TYPE_CHECKING:
    from django.contrib.auth.models import User

CHECK_IN_FROM = (AppointmentStatus.PENDING, AppointmentStatus.CONFIRMED)  # booked, not yet arrived


def _transition(
    *,
    appointment: Appointment,
    staff_user: User | None,
    action: AuditAction,
    allowed: tuple[str, ...],
    refused: str,  # the key of the message in error_messages
    change: Any,
    now: datetime,
    note: str = "",
) -> Appointment:
    """Load the appointment under the office's lock, check its state, change it, record it."""
    with office_lock(appointment.office):
        current = Appointment.objects.select_related("office").get(pk=appointment.pk)
        if current.status not in allowed:
            raise WrongState(error_messages[refused] % {"status": current.get_status_display()})
        before = audit.appointment_snapshot(current)
        fields: list[str] = change(current)
        current.save(update_fields=fields)
        audit.record(
            staff_user=staff_user,
            action=action,
            appointment=current,
            before=before,
            after=audit.appointment_snapshot(current),
            now=now,
            note=note,
        )
        return current


def _check_in(current: Appointment, now: datetime) -> list[str]:
    """The citizen has arrived: the state, and the fields it changed. Refused before the
    appointment's day or earlier on it than the office allows (``Appointment.may_check_in_at``),
    at the desk and at the kiosk alike."""
    if not current.may_check_in_at(now):
        opens = current.check_in_opens().astimezone(current.office.zone)
        raise WrongState(
            error_messages["check_in_too_early"]
            % {
                "day": formatting.long_date(opens.date()),
                "time": formatting.isolate(formatting.hhmm(opens)),
            }
        )
    current.status = AppointmentStatus.CHECKED_IN
    current.checked_in_at = now
    current.pending_until = None
    return ["status", "checked_in_at", "pending_until"]


def _check_in_and_queue(current: Appointment, now: datetime) -> list[str]:
    """Checked in at the counter: the citizen also gets a place in the office's queue."""
    fields = _check_in(current, now)
    queue.place_in_queue(current, now=now)
    return fields


def appointment_check_in(
    *,
    appointment: Appointment,
    staff_user: User | None,
    now: datetime | None = None,
    note: str = "",
) -> Appointment:
    """The citizen has arrived (at the counter or at the kiosk)."""
    now = now or timezone.now()
    return _transition(
        appointment=appointment,
        staff_user=staff_user,
        action=AuditAction.CHECK_IN,
        allowed=CHECK_IN_FROM,
        refused="no_check_in",
        change=lambda current: _check_in_and_queue(current, now),
        now=now,
        note=note,
    )


def appointment_undo_check_in(
    *, appointment: Appointment, staff_user: User, now: datetime | None = None
) -> Appointment:
    """A check-in made by mistake: the appointment is booked again as it was before (its status
    from the check-in's audit entry), and its number leaves the queue until the citizen checks
    in again. Not once its service has begun or its number has been called."""
    now = now or timezone.now()

    def change(current: Appointment) -> list[str]:
        if current.in_service_at is not None:
            raise WrongState(error_messages["service_started"])
        ticket = Ticket.objects.filter(appointment=current).first()
        if ticket is not None and ticket.status != TicketStatus.WAITING:
            raise WrongState(error_messages["check_in_with_ticket"] % {"number": ticket.label})
        if ticket is not None:
            queue.take_out_of_queue(ticket, now=now)
        checked_in = (
            AuditEntry.objects.filter(appointment=current, action=AuditAction.CHECK_IN)
            .order_by("-created_at", "-pk")
            .first()
        )
        was = checked_in.before.get("status") if checked_in is not None else None
        if was not in CHECK_IN_FROM:
            was = AppointmentStatus.CONFIRMED if current.confirmed_at else AppointmentStatus.PENDING
        current.status = was
        current.checked_in_at = None
        if was == AppointmentStatus.PENDING:  # a fresh time to confirm, as a booking gets
            current.pending_until = now + timedelta(minutes=current.office.confirm_minutes)
        return ["status", "checked_in_at", "pending_until"]

    return _transition(
        appointment=appointment,
        staff_user=staff_user,
        action=AuditAction.CHECK_IN_UNDONE,
        allowed=(AppointmentStatus.CHECKED_IN,),
        refused="not_checked_in_now",
        change=change,
        now=now,
    )


def appointment_start_service(
    *, appointment: Appointment, staff_user: User, now: datetime | None = None
) -> Appointment:
    """The clerk begins serving a checked-in citizen."""
    now = now or timezone.now()
    if appointment.in_service_at is not None and appointment.status == AppointmentStatus.CHECKED_IN:
        raise WrongState(error_messages["service_started"])

    def change(current: Appointment) -> list[str]:
        if current.in_service_at is not None:
            raise WrongState(error_messages["service_started"])
        current.in_service_at = now
        queue.follow_appointment(current, now=now, finished=False)
        return ["in_service_at"]

    return _transition(
        appointment=appointment,
        staff_user=staff_user,
        action=AuditAction.START_SERVICE,
        allowed=(AppointmentStatus.CHECKED_IN,),
        refused="not_checked_in",
        change=change,
        now=now,
    )


def appointment_complete(
    *, appointment: Appointment, staff_user: User, now: datetime | None = None
) -> Appointment:
    """The citizen has been served; the rest of the slot is free again."""
    now = now or timezone.now()

    def change(current: Appointment) -> list[str]:
        current.status = AppointmentStatus.COMPLETED
        current.completed_at = now
        if current.in_service_at is None:
            current.in_service_at = now
        queue.follow_appointment(current, now=now, finished=True)
        return ["status", "completed_at", "in_service_at"]

    return _transition(
        appointment=appointment,
        staff_user=staff_user,
        action=AuditAction.COMPLETE,
        allowed=(AppointmentStatus.CHECKED_IN,),
        refused="not_completable",
        change=change,
        now=now,
    )


def appointment_mark_no_show(
    *, appointment: Appointment, staff_user: User, now: datetime | None = None
) -> Appointment:
    """The citizen did not come. Possible once the appointment has begun."""
    now = now or timezone.now()
    if now < appointment.start:
        raise WrongState(error_messages["no_show_too_early"])

    def change(current: Appointment) -> list[str]:
        current.status = AppointmentStatus.NO_SHOW
        current.no_show_at = now
        return ["status", "no_show_at"]

    return _transition(
        appointment=appointment,
        staff_user=staff_user,
        action=AuditAction.NO_SHOW,
        allowed=(AppointmentStatus.PENDING, AppointmentStatus.CONFIRMED),
        refused="no_show_refused",
        change=change,
        now=now,
    )


def ticket_issue(*, office: Office, services: list[Service], now: datetime | None = None) -> Ticket:
    """Draw a walk-in number at the kiosk; refused once the office's daily limit is used up or
    while no counter for the services is open. The ticket carries its page token
    (``page_token``) and the estimate given."""
    now = now or timezone.now()
    if not services:
        raise InvalidDetails(error_messages["no_services"], field="services")
    if any(service.office_id != office.pk or not service.active for service in services):
        raise InvalidDetails(error_messages["foreign_services"], field="services")
    day = now.astimezone(office.zone).date()

    with office_lock(office, changes_times=False):
        current = Office.objects.get(pk=office.pk)
        if current.walk_in_daily_limit is not None:
            issued = Ticket.objects.filter(
                office=office, day=day, prefix=Ticket.WALK_IN_PREFIX
            ).count()
            if issued >= current.walk_in_daily_limit:
                raise LimitReached(error_messages["walk_in_limit_reached"])
        state = queue_selectors.queue_state(current, now=now)
        wanted = frozenset(service.pk for service in services)
        if not any(wanted <= load.offers for load in state.loads):
            raise LimitReached(error_messages["kiosk_closed"])
        minutes = sum(service.first_person_minutes for service in services)
        # The new number joins the queue last among the walk-ins: its wait follows from the
        # state just read, and is kept to measure the estimate later.
        wait = state.newcomer_wait(wanted, seconds=state.walk_in_seconds(wanted, minutes=minutes))
        ticket = Ticket(
            office=office,
            day=day,
            prefix=Ticket.WALK_IN_PREFIX,
            number=queue.next_number(office, day),
            minutes=minutes,
            created_at=now,
            estimated_wait_minutes=None if wait is None else math.ceil(wait / 60),
        )
        queue.give_page_token(ticket)
        ticket.save()
        ticket.services.set(services)
        return ticket


def ticket_check_in_by_code(*, office: Office, code: str, now: datetime | None = None) -> Ticket:
    """A booked citizen checks in at the kiosk with the booking code and gets a number."""
    now = now or timezone.now()
    code = re.sub(r"[^A-Za-z0-9]", "", code).upper()[:CODE_LENGTH]
    day = now.astimezone(office.zone).date()
    bounds = scheduling.day_bounds(day, office.zone)
    appointment = (
        Appointment.objects.filter(
            office=office,
            code=code,
            start__gte=datetime.fromtimestamp(bounds.start, UTC),
            start__lt=datetime.fromtimestamp(bounds.end, UTC),
        ).first()
        if code
        else None
    )
    if appointment is None:
        raise InvalidDetails(error_messages["unknown_code"], field="code")

    with office_lock(office):
        current = Appointment.objects.select_related("office").get(pk=appointment.pk)
        existing = Ticket.objects.filter(appointment=current).first()
        if existing is not None and existing.status != TicketStatus.LEFT:
            if existing.status == TicketStatus.WAITING:
                queue.give_page_token(existing)  # a new page link; the old one stops working
                existing.save(update_fields=["token_hash"])
            return existing
        if current.status in CHECK_IN_FROM:
            before = audit.appointment_snapshot(current)
            current.save(update_fields=_check_in(current, now))
            audit.record(
                staff_user=None,
                action=AuditAction.CHECK_IN,
                appointment=current,
                now=now,
                before=before,
                after=audit.appointment_snapshot(current),
                note="kiosk",
            )
        elif current.status != AppointmentStatus.CHECKED_IN:
            raise WrongState(
                error_messages["kiosk_refused"] % {"status": current.get_status_display()}
            )
        return queue.place_in_queue(current, now=now)


def _ticket_change(
    *,
    ticket: Ticket,
    staff_user: User | None,
    action: AuditAction,
    allowed: tuple[str, ...],
    refused: str,  # the key of the message in error_messages
    change: Any,
    now: datetime,
) -> Ticket:
    with office_lock(ticket.office, changes_times=False):
        current = Ticket.objects.get(pk=ticket.pk)
        if current.status not in allowed:
            raise WrongState(error_messages[refused] % {"number": current.label})
        before = audit.ticket_snapshot(current)
        current.save(update_fields=change(current))
        audit.record(
            staff_user=staff_user,
            action=action,
            ticket=current,
            now=now,
            before=before,
            after=audit.ticket_snapshot(current),
        )
        return current


def ticket_call_next(
    *, office: Office, counter: Counter, staff_user: User, now: datetime | None = None
) -> Ticket | None:
    """Finish the counter's current number and call the next one it can serve, if any."""
    now = now or timezone.now()
    if counter.office_id != office.pk:
        raise WrongState(error_messages["foreign_counter"])

    with office_lock(office, changes_times=False):
        for current in Ticket.objects.filter(
            office=office,
            counter=counter,
            status=TicketStatus.CALLED,
        ):
            before = audit.ticket_snapshot(current)
            current.status = TicketStatus.DONE
            current.finished_at = now
            current.save(update_fields=["status", "finished_at"])
            audit.record(
                staff_user=staff_user,
                action=AuditAction.TICKET_DONE,
                ticket=current,
                now=now,
                before=before,
                after=audit.ticket_snapshot(current),
            )
        ticket = queue_selectors.next_ticket(office, counter, now=now)
        if ticket is None:
            return None
        before = audit.ticket_snapshot(ticket)
        ticket.counter = counter
        ticket.save(update_fields=["counter", *queue.mark_called(ticket, now=now)])
        audit.record(
            staff_user=staff_user,
            action=AuditAction.TICKET_CALL,
            ticket=ticket,
            now=now,
            before=before,
            after=audit.ticket_snapshot(ticket),
        )
        return ticket


def ticket_call_again(*, ticket: Ticket, staff_user: User, now: datetime | None = None) -> Ticket:
    """The number was not answered: show and sound it again."""
    now = now or timezone.now()

    def change(current: Ticket) -> list[str]:
        current.called_at = now
        current.call_count += 1
        return ["called_at", "call_count"]

    return _ticket_change(
        ticket=ticket,
        staff_user=staff_user,
        action=AuditAction.TICKET_CALL_AGAIN,
        allowed=(TicketStatus.CALLED,),
        refused="not_called",
        change=change,
        now=now,
    )


def ticket_set_aside(*, ticket: Ticket, staff_user: User, now: datetime | None = None) -> Ticket:
    """Nobody answered: put the number aside (it can be called back later)."""
    now = now or timezone.now()

    def change(current: Ticket) -> list[str]:
        current.status = TicketStatus.SET_ASIDE
        current.set_aside_at = now
        return ["status", "set_aside_at"]

    return _ticket_change(
        ticket=ticket,
        staff_user=staff_user,
        action=AuditAction.TICKET_SET_ASIDE,
        allowed=(TicketStatus.CALLED,),
        refused="not_called",
        change=change,
        now=now,
    )


def ticket_return(*, ticket: Ticket, staff_user: User, now: datetime | None = None) -> Ticket:
    """A set-aside citizen turned up after all: back into the queue."""
    now = now or timezone.now()

    def change(current: Ticket) -> list[str]:
        current.status = TicketStatus.WAITING
        return ["status"]

    return _ticket_change(
        ticket=ticket,
        staff_user=staff_user,
        action=AuditAction.TICKET_RETURN,
        allowed=(TicketStatus.SET_ASIDE,),
        refused="not_set_aside",
        change=change,
        now=now,
    )


def ticket_finish(*, ticket: Ticket, staff_user: User, now: datetime | None = None) -> Ticket:
    """The citizen has been served."""
    now = now or timezone.now()

    def change(current: Ticket) -> list[str]:
        current.status = TicketStatus.DONE
        current.finished_at = now
        return ["status", "finished_at"]

    return _ticket_change(
        ticket=ticket,
        staff_user=staff_user,
        action=AuditAction.TICKET_DONE,
        allowed=(TicketStatus.CALLED,),
        refused="not_at_counter",
        change=change,
        now=now,
    )


def ticket_slip(*, appointment: Appointment) -> Ticket:
    """A slip for a citizen the clerk checked in: the waiting number with a fresh link to its
    live page (only the link's hash is kept, so an earlier slip's link stops working)."""
    with office_lock(appointment.office, changes_times=False):
        ticket = Ticket.objects.filter(appointment=appointment, status=TicketStatus.WAITING).first()
        if ticket is None:
            raise WrongState(error_messages["no_waiting_number"])
        queue.give_page_token(ticket)
        ticket.save(update_fields=["token_hash"])
        return ticket
