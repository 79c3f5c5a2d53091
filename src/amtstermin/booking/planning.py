"""The office's plan: counters blocked (absences), the office closed, the walk-in limit, and
the appointments inside a blocked time moved or cancelled.

Each change is made under the office's lock and recorded in the audit log in the same
transaction. The appointments of an absence are moved or cancelled one by one through the
services that hold the rules, each in its own transaction (the services' own), so every write
keeps its own lock, audit entry and e-mail, and one that cannot be moved does not hold the
others back.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from amtstermin.booking import audit, relocation, selectors, services
from amtstermin.booking.errors import (
    BookingError,
    InvalidDetails,
    SlotTaken,
    WrongState,
    error_messages,
)
from amtstermin.booking.locking import office_lock
from amtstermin.booking.models import Absence, Appointment, AuditAction, Closure, Counter, Office

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def _check_range(start: datetime, end: datetime) -> None:
    if timezone.is_naive(start) or timezone.is_naive(end):
        raise InvalidDetails(error_messages["range_without_zone"], field="start")
    if end <= start:
        raise InvalidDetails(error_messages["end_before_start"], field="end")


def absence_create(
    *,
    counter: Counter,
    start: datetime,
    end: datetime,
    reason: str,
    staff_user: User,
    now: datetime | None = None,
) -> Absence:
    """Block a counter (illness, training); its appointments stay until moved or cancelled."""
    now = now or timezone.now()
    _check_range(start, end)
    office = counter.office

    with office_lock(office):
        absence = Absence.objects.create(counter=counter, start=start, end=end, reason=reason[:200])
        audit.record(
            staff_user=staff_user,
            action=AuditAction.ABSENCE,
            office_id=office.pk,
            now=now,
            before={},
            after={
                "counter": counter.pk,
                "start": start.astimezone(UTC).isoformat(),
                "end": end.astimezone(UTC).isoformat(),
            },
            note=reason,
        )
        return absence


def closure_create(
    *,
    office: Office,
    start: datetime,
    end: datetime,
    reason: str,
    staff_user: User,
    now: datetime | None = None,
) -> Closure:
    """Close the whole office for a time range."""
    now = now or timezone.now()
    _check_range(start, end)

    with office_lock(office):
        closure = Closure.objects.create(office=office, start=start, end=end, reason=reason[:200])
        audit.record(
            staff_user=staff_user,
            action=AuditAction.CLOSURE,
            office_id=office.pk,
            now=now,
            before={},
            after={
                "start": start.astimezone(UTC).isoformat(),
                "end": end.astimezone(UTC).isoformat(),
            },
            note=reason,
        )
        return closure


def office_set_walk_in_limit(
    *, office: Office, limit: int | None, staff_user: User, now: datetime | None = None
) -> Office:
    """The office head sets how many walk-in tickets the kiosk issues a day (None: no limit)."""
    now = now or timezone.now()
    if limit is not None and not 0 <= limit <= 999:
        raise InvalidDetails(error_messages["limit_out_of_range"], field="limit")

    with office_lock(office, changes_times=False):
        current = Office.objects.get(pk=office.pk)
        before = {"walk_in_daily_limit": current.walk_in_daily_limit}
        current.walk_in_daily_limit = limit
        current.save(update_fields=["walk_in_daily_limit"])
        audit.record(
            staff_user=staff_user,
            action=AuditAction.WALK_IN_LIMIT,
            office_id=office.pk,
            now=now,
            before=before,
            after={"walk_in_daily_limit": limit},
        )
        return current


def blocked_time_create(
    *,
    scope: Office | Counter,
    start: datetime,
    end: datetime,
    reason: str,
    staff_user: User,
    now: datetime | None = None,
) -> Absence | Closure:
    """Block one counter (an absence) or the whole office (a closure) from start to end."""
    if isinstance(scope, Counter):
        return absence_create(
            counter=scope, start=start, end=end, reason=reason, staff_user=staff_user, now=now
        )
    return closure_create(
        office=scope, start=start, end=end, reason=reason, staff_user=staff_user, now=now
    )


class Resolution(StrEnum):
    MOVE = "move"  # to the nearest free time at or after the appointment's start
    CANCEL = "cancel"  # with the reason, told to the citizen


@dataclass(frozen=True)
class Outcome:
    appointment: Appointment
    moved_to: datetime | None = None  # the new start, if moved
    error: str = ""  # why it was not moved or cancelled, for people


def _affected(office: Office, blocked: Absence | Closure) -> list[Appointment]:
    counter = blocked.counter if isinstance(blocked, Absence) else None
    return selectors.affected_appointments(
        office, start=blocked.start, end=blocked.end, counter=counter
    )


def blocked_appointments_resolve(
    *,
    office: Office,
    blocked: Absence | Closure,
    appointment_ids: Collection[int],
    resolution: Resolution,
    reason: str = "",
    staff_user: User,
    now: datetime | None = None,
) -> list[Outcome]:
    """Move each chosen appointment inside the blocked time to the nearest free time at or after
    its start (``relocation``), or cancel it. Only active appointments of the office inside the
    blocked time (and, for an absence, on its counter) are touched, whatever else
    ``appointment_ids`` names."""
    now = now or timezone.now()
    chosen = [a for a in _affected(office, blocked) if a.pk in appointment_ids]
    if resolution == Resolution.MOVE:
        proposals = relocation.propose_times(office, chosen, now=now)
        moves = {p.appointment.pk: p.start for p in proposals if p.start is not None}
        found = blocked_appointments_move(
            office=office, blocked=blocked, moves=moves, staff_user=staff_user, now=now
        )
        by_id = {outcome.appointment.pk: outcome for outcome in found}
        unmoved = str(error_messages["no_free_time"])  # no proposal: it keeps its time
        return [by_id.get(a.pk, Outcome(a, error=unmoved)) for a in chosen]
    outcomes = []
    for appointment in chosen:
        try:
            services.appointment_cancel(
                appointment=appointment, staff=True, staff_user=staff_user, reason=reason, now=now
            )
            outcomes.append(Outcome(appointment))
        except BookingError as exc:
            outcomes.append(Outcome(appointment, error=exc.message))
    return outcomes


def blocked_appointments_move(
    *,
    office: Office,
    blocked: Absence | Closure,
    moves: Mapping[int, datetime],
    staff_user: User,
    now: datetime | None = None,
) -> list[Outcome]:
    """Move the appointments of the blocked time the clerk confirmed, each to the start
    confirmed for it (``moves``: appointment id to start), telling the citizen the blocked
    time's reason. A time taken since the proposal leaves that appointment where it is."""
    now = now or timezone.now()
    outcomes = []
    for appointment in _affected(office, blocked):
        start = moves.get(appointment.pk)
        if start is None:
            continue
        try:
            moved = services.appointment_move(
                appointment=appointment,
                start=start,
                staff=True,
                staff_user=staff_user,
                now=now,
                reason=blocked.reason,
            )
        except SlotTaken:
            outcomes.append(Outcome(appointment, error=str(error_messages["proposal_taken"])))
        except BookingError as exc:
            outcomes.append(Outcome(appointment, error=exc.message))
        else:
            outcomes.append(Outcome(appointment, moved_to=moved.start))
    return outcomes


def citizen_called(
    *, appointment: Appointment, staff_user: User, now: datetime | None = None
) -> Appointment:
    """The clerk phoned a citizen on the call list: who and when, in the audit log too."""
    now = now or timezone.now()
    with transaction.atomic(durable=True):
        updated = Appointment.objects.filter(
            pk=appointment.pk, office_call_needed_at__isnull=False, called_back_at__isnull=True
        ).update(called_back_at=now, called_back_by=staff_user)
        current = Appointment.objects.get(pk=appointment.pk)
        if not updated:
            if current.called_back_at is not None:
                return current  # ticked off already (twice clicked, or by a colleague)
            raise WrongState(error_messages["not_to_call"])
        audit.record(
            staff_user=staff_user,
            action=AuditAction.CITIZEN_CALLED,
            appointment=current,
            before={"code": current.code, "called_back_at": None},
            after={"code": current.code, "called_back_at": now.astimezone(UTC).isoformat()},
            now=now,
        )
        return current
