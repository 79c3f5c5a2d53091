"""Housekeeping: lapsed holds and unconfirmed bookings are marked expired; personal data is
erased after the office's retention period. Run by the worker (``booking.tasks``)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from amtstermin.booking.models import Appointment, AppointmentStatus, Office
from amtstermin.notifications import outbox


def release_lapsed(*, office_id: int | None = None, now: datetime | None = None) -> int:
    """Mark lapsed holds and unconfirmed bookings (of one office, or all) as expired."""
    now = now or timezone.now()
    lapsed = Appointment.objects.lapsed(now)
    if office_id is not None:
        lapsed = lapsed.filter(office_id=office_id)
    return lapsed.update(status=AppointmentStatus.EXPIRED, expired_at=now)


PERSONAL_FIELDS = {
    "citizen_name": "",
    "email": "",
    "phone": "",
    "booked_for": "",
    "cancel_reason": "",
    "email_identity": "",
    "phone_identity": "",
    "office_reason": "",
}


def purge_personal_data(*, now: datetime | None = None) -> dict[str, int]:
    """Erase name, e-mail, phone and the person booked for, ``retention_days`` after the
    appointment or after its cancellation or expiry. What stays is anonymous: office,
    services, persons, times, status, channel. Returns the count per office name."""
    now = now or timezone.now()
    counts: dict[str, int] = {}
    for office in Office.objects.all():
        cutoff = now - timedelta(days=office.retention_days)
        due = Appointment.objects.filter(
            office=office, personal_data_erased_at__isnull=True
        ).filter(
            Q(end__lt=cutoff)
            | Q(status=AppointmentStatus.CANCELLED, cancelled_at__lt=cutoff)
            | Q(status=AppointmentStatus.EXPIRED, expired_at__lt=cutoff)
        )
        with transaction.atomic():
            ids = list(due.values_list("pk", flat=True))
            Appointment.objects.filter(pk__in=ids).update(
                personal_data_erased_at=now, **PERSONAL_FIELDS
            )
            outbox.erase_for(ids)
        # Two offices may share a name: add up, so that the total stays right.
        counts[office.name] = counts.get(office.name, 0) + len(ids)
    return counts
