"""Planning actions of the back office that the existing services do in parts: block a counter
or the whole office, and move or cancel the appointments inside the blocked time.

Each calls the services that hold the rules, so every write keeps its own lock, audit entry and
e-mail. The appointments of an absence are moved or cancelled one by one, each in its own
transaction (the services' own): one that cannot be moved does not hold the others back.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from amtstermin.booking import planning, selectors, services
from amtstermin.booking.errors import BookingError
from amtstermin.booking.models import Absence, Appointment, Closure, Counter, Office

if TYPE_CHECKING:
    from django.contrib.auth.models import User

error_messages = {
    "no_free_time": _("No free time in the next four weeks."),
}


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
        return planning.absence_create(
            counter=scope, start=start, end=end, reason=reason, staff_user=staff_user, now=now
        )
    return planning.closure_create(
        office=scope, start=start, end=end, reason=reason, staff_user=staff_user, now=now
    )


class Resolution(StrEnum):
    MOVE = "move"  # to the first free time
    CANCEL = "cancel"  # with the reason, told to the citizen


@dataclass(frozen=True)
class Outcome:
    appointment: Appointment
    moved_to: datetime | None = None  # the new start, if moved
    error: str = ""  # why it was not moved or cancelled, for people


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
    """Move each chosen appointment inside the blocked time to the first free time in four
    weeks, or cancel it. Only active appointments of the office inside the blocked time (and,
    for an absence, on its counter) are touched, whatever else ``appointment_ids`` names."""
    now = now or timezone.now()
    counter = blocked.counter if isinstance(blocked, Absence) else None
    affected = selectors.affected_appointments(
        office, start=blocked.start, end=blocked.end, counter=counter
    )
    outcomes = []
    for appointment in affected:
        if appointment.pk in appointment_ids:
            outcomes.append(_resolve(appointment, resolution, reason, staff_user, now))
    return outcomes


def _resolve(
    appointment: Appointment, resolution: Resolution, reason: str, staff_user: User, now: datetime
) -> Outcome:
    try:
        if resolution == Resolution.CANCEL:
            services.appointment_cancel(
                appointment=appointment, staff=True, staff_user=staff_user, reason=reason, now=now
            )
            return Outcome(appointment)
        offer = selectors.first_free_start(appointment, now=now)
        if offer is None:
            return Outcome(appointment, error=str(error_messages["no_free_time"]))
        moved = services.appointment_move(
            appointment=appointment, start=offer[0], staff=True, staff_user=staff_user, now=now
        )
        return Outcome(appointment, moved_to=moved.start)
    except BookingError as exc:
        return Outcome(appointment, error=exc.message)
