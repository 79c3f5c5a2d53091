"""What one person may hold at a time when booking online, so that one script cannot fill an
office's calendar: the office's number of appointments per e-mail address and per phone
number, and a hold extended at most twice."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Count, Q

from amtstermin.booking.contact import email_identity, phone_identity
from amtstermin.booking.errors import ExtensionRefused, PersonLimitReached, error_messages
from amtstermin.booking.models import (
    OPEN_WISH_STATUSES,
    Appointment,
    AppointmentStatus,
    Office,
    WaitlistEntry,
)

# The states in which an appointment counts against its person (a bare hold has no person yet).
_ACTIVE = (AppointmentStatus.PENDING, AppointmentStatus.CONFIRMED, AppointmentStatus.CHECKED_IN)


def check_person_limit(
    *, office: Office, email: str, phone: str, now: datetime, ignore_id: int | None = None
) -> None:
    """Refuse a further appointment for an address or number that holds the office's limit.

    Called under the office's lock, so two bookings at once cannot both pass."""
    person = {
        field: value
        for field, value in (
            ("email_identity", email_identity(email)),
            ("phone_identity", phone_identity(phone)),
        )
        if value
    }
    if not person:
        return
    either = Q()
    for field, value in person.items():
        either |= Q(**{field: value})
    # One statement under the lock counts both.
    counts = (
        Appointment.objects.filter(either, office=office, status__in=_ACTIVE, end__gt=now)
        .exclude(status=AppointmentStatus.PENDING, pending_until__lte=now)  # lapsed
        .exclude(pk=ignore_id or 0)
        .aggregate(
            **{field: Count("pk", filter=Q(**{field: value})) for field, value in person.items()}
        )
    )
    limit = office.appointments_per_person
    if max(counts.values()) >= limit:
        raise PersonLimitReached(error_messages["person_limit"] % {"limit": limit})


def check_hold_extension(appointment: Appointment) -> None:
    if not appointment.may_extend_hold():
        raise ExtensionRefused(error_messages["hold_extended_enough"])


def check_wish_limit(*, office: Office, email: str) -> None:
    """Refuse a further waitlist wish for an address that has as many open wishes (waiting for
    the e-mail, waiting, or offered) at this office as it may hold appointments.

    Called under the office's lock, like ``check_person_limit``."""
    by_email = email_identity(email)
    if not by_email:
        return
    open_wishes = WaitlistEntry.objects.filter(
        office=office, email_identity=by_email, status__in=OPEN_WISH_STATUSES
    ).count()
    limit = office.appointments_per_person
    if open_wishes >= limit:
        raise PersonLimitReached(error_messages["wish_limit"] % {"limit": limit})
