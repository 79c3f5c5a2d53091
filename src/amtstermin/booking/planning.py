"""The office's plan: counters blocked (absences), the office closed, the walk-in limit.

Each change is made under the office's lock and recorded in the audit log in the same
transaction.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from django.utils import timezone

from amtstermin.booking import audit
from amtstermin.booking.errors import InvalidDetails, error_messages
from amtstermin.booking.locking import office_lock
from amtstermin.booking.models import Absence, AuditAction, Closure, Counter, Office

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

    with office_lock(office):
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
