"""Housekeeping: lapsed holds and unconfirmed bookings are marked expired (the citizen of an
unconfirmed one is told once); personal data is erased after the office's retention period.
Run by the worker (``booking.tasks``)."""

from __future__ import annotations

from collections.abc import Callable, Collection
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from amtstermin.booking import availability_cache, events, selectors
from amtstermin.booking.locking import office_lock
from amtstermin.booking.models import (
    OPEN_WISH_STATUSES,
    Appointment,
    AppointmentQuerySet,
    AppointmentStatus,
    Office,
    WaitlistEntry,
    WaitlistStatus,
)
from amtstermin.notifications import outbox
from amtstermin.notifications.models import MessageKind


def release_lapsed(*, office_id: int | None = None, now: datetime | None = None) -> int:
    """Mark lapsed holds and unconfirmed bookings (of one office, or all) as expired: each
    office's under its lock, and in the same transaction the times they free are offered to
    the waitlist first (``booking.events``). While wishes wait, a lapsed one keeps its time
    until this runs (``selectors.engine_inputs``)."""
    now = now or timezone.now()
    lapsed = Appointment.objects.lapsed(now)
    if office_id is not None:
        lapsed = lapsed.filter(office_id=office_id)
    office_ids = set(lapsed.values_list("office_id", flat=True))
    count = 0
    for office in Office.objects.filter(pk__in=office_ids).order_by("pk"):
        with office_lock(office):
            # Under the lock: the same rows twice (read through the (status, office) index).
            of_office = Appointment.objects.lapsed(now).filter(office_id=office.pk)
            starts = list(of_office.values_list("start", flat=True))
            count += expire_lapsed(of_office, now=now, messages_off=_messages_off)
            days = {start.astimezone(office.zone).date() for start in starts}
            events.announce_free_times(office.pk, days=days, now=now)
    return count


def expire_lapsed(
    lapsed: AppointmentQuerySet,
    *,
    now: datetime,
    messages_off: Callable[[int], Collection[str]],
) -> int:
    """Mark these lapsed holds and unconfirmed bookings expired, in the caller's transaction;
    the one place that does it (the sweep above, and a booking under the office's lock that
    finds them on its day).

    The citizen of an unconfirmed booking is told once that it lapsed: each such row turns
    expired by its own conditional update, and only the caller whose update changed it queues
    the e-mail (in the booking's language), so a second sweep, at once or racing this one,
    sends nothing. ``messages_off(office_id)``: the kinds of e-mail that office turned off.
    """
    count = lapsed.filter(status=AppointmentStatus.HELD).update(
        status=AppointmentStatus.EXPIRED, expired_at=now
    )
    for appointment in lapsed.filter(status=AppointmentStatus.PENDING).select_related("office"):
        if not Appointment.objects.filter(
            pk=appointment.pk,
            status=AppointmentStatus.PENDING,
            pending_until=appointment.pending_until,
        ).update(status=AppointmentStatus.EXPIRED, expired_at=now):
            continue  # confirmed or marked meanwhile
        appointment.status, appointment.expired_at = AppointmentStatus.EXPIRED, now
        outbox.queue(
            appointment, MessageKind.LAPSED, messages_off=messages_off(appointment.office_id)
        )
        count += 1
    return count


def _messages_off(office_id: int) -> Collection[str]:
    configuration = selectors.office_configuration(office_id, include_inactive=True)
    return configuration.messages_off if configuration is not None else frozenset()


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
            _erase_wishes(office, now, cutoff)
        # Two offices may share a name: add up, so that the total stays right.
        counts[office.name] = counts.get(office.name, 0) + len(ids)
    return counts


WISH_PERSONAL_FIELDS = {"citizen_name": "", "email": "", "email_identity": ""}


def _erase_wishes(office: Office, now: datetime, cutoff: datetime) -> None:
    """Waitlist wishes: erased ``retention_days`` after they ended, or after their last day
    (a wish still open then expires with it)."""
    last_day = cutoff.astimezone(office.zone).date()
    due = WaitlistEntry.objects.filter(office=office, personal_data_erased_at__isnull=True).filter(
        Q(decided_at__lt=cutoff) | Q(last_day__lt=last_day)
    )
    ids = list(due.values_list("pk", flat=True))
    if WaitlistEntry.objects.filter(pk__in=ids, status__in=OPEN_WISH_STATUSES).update(
        status=WaitlistStatus.EXPIRED, decided_at=now
    ):
        # Whether wishes wait decides whether lapsed holds keep their time: cached answers of
        # the office are outdated (selectors.engine_inputs).
        availability_cache.bump(office.pk)
    WaitlistEntry.objects.filter(pk__in=ids).update(
        personal_data_erased_at=now, **WISH_PERSONAL_FIELDS
    )
    outbox.erase_for_wishes(ids)
