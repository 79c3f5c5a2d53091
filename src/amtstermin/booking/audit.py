"""The audit log: who did what to an appointment, a ticket or an office's plan.

Every entry is written inside the transaction of the action it records, with its
``AuditAction`` and the state before and after; never the citizen's details.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from amtstermin.booking.models import Appointment, AuditAction, AuditEntry, Ticket

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def _iso(value: datetime | None) -> str | None:
    return value.astimezone(UTC).isoformat() if value is not None else None


def appointment_snapshot(appointment: Appointment) -> dict[str, Any]:
    """What the audit log keeps of an appointment: its state, never the citizen's details."""
    return {
        "code": appointment.code,
        "status": appointment.status,
        "counter": appointment.counter_id,
        "start": _iso(appointment.start),
        "end": _iso(appointment.end),
        "checked_in_at": _iso(appointment.checked_in_at),
        "in_service_at": _iso(appointment.in_service_at),
        "completed_at": _iso(appointment.completed_at),
        "no_show_at": _iso(appointment.no_show_at),
        "cancelled_at": _iso(appointment.cancelled_at),
    }


def ticket_snapshot(ticket: Ticket) -> dict[str, Any]:
    return {
        "number": ticket.label,
        "status": ticket.status,
        "counter": ticket.counter_id,
        "called_at": _iso(ticket.called_at),
        "call_count": ticket.call_count,
    }


def record(
    *,
    staff_user: User | None,
    action: AuditAction,
    now: datetime,
    before: dict[str, Any],
    after: dict[str, Any],
    appointment: Appointment | None = None,
    ticket: Ticket | None = None,
    office_id: int | None = None,
    note: str = "",
) -> AuditEntry:
    """Append one entry for the office of ``appointment``, of ``ticket`` or ``office_id``."""
    if office_id is None:
        office_id = appointment.office_id if appointment is not None else ticket.office_id  # type: ignore[union-attr]
    return AuditEntry.objects.create(
        office_id=office_id,
        actor=staff_user,
        actor_name=staff_user.get_username() if staff_user is not None else "",
        created_at=now,
        action=action,
        appointment=appointment,
        ticket=ticket,
        before=before,
        after=after,
        note=note[:300],
    )
