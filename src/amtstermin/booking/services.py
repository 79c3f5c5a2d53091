"""An appointment's life: hold, book, complete a hold, extend it, confirm, release, cancel, move.

The desk's work (check-in, service, tickets) lives in ``desk``, the office's plan in
``planning``, the worker's tidying up in ``housekeeping``.

A booking runs under the office's lock (``with office_lock(office):``), recomputes the free
counter for the wanted start from the database, and inserts; the e-mail and the tasks that
follow are queued in the same transaction. On PostgreSQL an exclusion constraint is the last
guard; a lost race becomes ``SlotTaken``. See docs/locking.md.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from amtstermin.booking import (
    audit,
    claim,
    contact,
    events,
    follow_up,
    limits,
    office_change,
    selectors,
)
from amtstermin.booking.demand import Demand, demand_of_appointment
from amtstermin.booking.errors import (
    Busy,
    DeadlinePassed,
    InvalidDetails,
    SlotTaken,
    StartNotOffered,
    WrongState,
    error_messages,
)
from amtstermin.booking.locking import office_lock, race_window
from amtstermin.booking.models import (
    Appointment,
    AppointmentLine,
    AppointmentStatus,
    AuditAction,
    Channel,
    Counter,
)
from amtstermin.booking.parsing import language_codes
from amtstermin.booking.selectors import BookingWindow, OfficeConfiguration
from amtstermin.booking.start_check import check_start
from amtstermin.booking.tokens import hash_token, manage_token, new_code, new_nonce
from amtstermin.notifications import outbox
from amtstermin.notifications.models import MessageKind

if TYPE_CHECKING:
    from django.contrib.auth.models import User


CODE_ATTEMPTS = 5  # new codes tried when a random one is taken (practically never twice)


@dataclass(frozen=True)
class CitizenDetails:
    name: str
    email: str
    phone: str = ""
    booked_for: str = ""
    language: str = "de"


def _insert(
    *,
    demand: Demand,
    start: datetime,
    now: datetime,
    staff: bool,
    status: AppointmentStatus,
    channel: Channel,
    citizen: CitizenDetails | None,
    staff_user: User | None = None,
    on_insert: Callable[[Appointment], object] | None = None,
    replacing: Appointment | None = None,
    counter_id: int | None = None,
) -> tuple[Appointment, str]:
    window = selectors.booking_window(demand.office, now=now, staff=staff)
    check_start(demand, start, now, window)
    for _attempt in range(CODE_ATTEMPTS):
        code = new_code()
        try:
            with office_lock(demand.office):
                configuration = claim.configuration_now(demand.office)
                if citizen is not None and not staff:  # the clerk decides for a caller
                    limits.check_person_limit(
                        office=demand.office, email=citizen.email, phone=citizen.phone, now=now
                    )
                if replacing is not None:
                    release_hold(replacing, now)  # undone with the rest if the time is taken
                return _create(
                    demand=demand,
                    start=start,
                    now=now,
                    staff=staff,
                    status=status,
                    channel=channel,
                    citizen=citizen,
                    window=window,
                    configuration=configuration,
                    code=code,
                    staff_user=staff_user,
                    on_insert=on_insert,
                    counter_id=counter_id,
                )
        except SlotTaken as exc:
            # The guard or the code's unique constraint refused the insert; only the latter
            # leaves another appointment with this code behind.
            taken = isinstance(exc.__cause__, IntegrityError)
            if not (taken and Appointment.objects.filter(code=code).exists()):
                raise
    raise Busy(error_messages["busy"])


def _create(
    *,
    demand: Demand,
    start: datetime,
    now: datetime,
    staff: bool,
    status: AppointmentStatus,
    channel: Channel,
    citizen: CitizenDetails | None,
    window: BookingWindow,
    configuration: OfficeConfiguration,
    code: str,
    staff_user: User | None = None,
    on_insert: Callable[[Appointment], object] | None = None,
    counter_id: int | None = None,
    held_until: datetime | None = None,
) -> tuple[Appointment, str]:
    """Under the office's lock: claim the counter for ``start`` and insert the appointment with
    what follows it (e-mail and tasks, the audit entry, ``on_insert``)."""
    claimed = claim.claim_counter(
        demand,
        start,
        now,
        staff=staff,
        window=window,
        configuration=configuration,
        only_counter_id=counter_id,
    )
    race_window()
    nonce = new_nonce()
    token = manage_token(nonce)
    if status == AppointmentStatus.HELD and held_until is None:
        held_until = now + timedelta(minutes=demand.office.hold_minutes)
    appointment = Appointment(
        office=demand.office,
        counter_id=claimed,
        start=start,
        end=start + timedelta(minutes=demand.duration_minutes),
        status=status,
        code=code,
        token_nonce=nonce,
        token_hash=hash_token(token),
        channel=channel,
        held_until=held_until if status == AppointmentStatus.HELD else None,
        **_citizen_fields(citizen),
    )
    if status != AppointmentStatus.HELD:
        follow_up.settle(appointment, now)
    appointment.save(force_insert=True)
    AppointmentLine.objects.bulk_create(
        AppointmentLine(appointment=appointment, service=item.service, persons=item.persons)
        for item in demand.items
    )
    follow_up.announce(appointment, now, configuration)
    if staff_user is not None:
        audit.record(
            staff_user=staff_user,
            action=AuditAction.BOOK,
            appointment=appointment,
            before={},
            after=audit.appointment_snapshot(appointment),
            now=now,
            note=str(channel),
        )
    if on_insert is not None:
        on_insert(appointment)
    return appointment, token


def hold_in_transaction(
    *,
    demand: Demand,
    start: datetime,
    now: datetime,
    window: BookingWindow,
    configuration: OfficeConfiguration,
    held_until: datetime,
    on_insert: Callable[[Appointment], object],
) -> Appointment:
    """Hold ``start`` until ``held_until`` inside a transaction that holds the office's lock
    already: the waitlist's offer, made in the transaction that freed the time. The same checks
    as ``appointment_hold`` (the start, the counter under the lock, the database's guard); a
    refusal (``BookingError``) undoes what it wrote and leaves the caller's transaction as it
    was."""
    check_start(demand, start, now, window)
    with _undone_if_refused():
        appointment, _token = _create(
            demand=demand,
            start=start,
            now=now,
            staff=False,
            status=AppointmentStatus.HELD,
            channel=Channel.ONLINE,
            citizen=None,
            window=window,
            configuration=configuration,
            code=new_code(),
            on_insert=on_insert,
            held_until=held_until,
        )
    return appointment


@contextmanager
def _undone_if_refused() -> Iterator[None]:
    """A savepoint: what the block wrote is rolled back if it raises; the database guard's
    refusal becomes ``SlotTaken``."""
    if not connection.in_atomic_block:
        yield  # the race tests' control: no transaction at all
        return
    try:
        with transaction.atomic():
            yield
    except IntegrityError as exc:
        raise SlotTaken(error_messages["slot_taken"]) from exc


def validate_citizen(citizen: CitizenDetails, *, email_required: bool) -> CitizenDetails:
    """The details as ``contact`` cleans them; the first field at fault as ``InvalidDetails``.

    Pages, API and staff forms have checked them with the same functions already; this is
    the last line for any other caller."""
    try:
        cleaned = contact.clean_details(
            name=citizen.name,
            email=citizen.email,
            phone=citizen.phone,
            booked_for=citizen.booked_for,
            email_required=email_required,
        )
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise InvalidDetails(messages[0], field=field) from None
    if citizen.language not in language_codes():
        raise InvalidDetails(error_messages["unknown_language"], field="language")
    return replace(citizen, **cleaned)


def _citizen_fields(citizen: CitizenDetails | None) -> dict[str, str]:
    if citizen is None:
        return {}
    return {
        "citizen_name": citizen.name,
        "email": citizen.email,
        "phone": citizen.phone,
        "booked_for": citizen.booked_for,
        "language": citizen.language,
    }


def appointment_hold(
    *,
    demand: Demand,
    start: datetime,
    channel: Channel = Channel.ONLINE,
    staff: bool = False,
    now: datetime | None = None,
    replacing: Appointment | None = None,
    on_insert: Callable[[Appointment], object] | None = None,
) -> tuple[Appointment, str]:
    """Keep a time for a citizen who is filling in the form (or, with ``on_insert``, which
    runs in the hold's transaction, for a waitlist offer). Returns it and its secret token.

    One hold per citizen: ``replacing`` (the citizen's earlier hold) is given back in the same
    step, so it may free the very time chosen now. If the new time is refused, the earlier
    hold stays. A hold completed meanwhile (in another tab) is a booking and stays anyway.
    """
    now = now or timezone.now()
    same_office = replacing is not None and replacing.office_id == demand.office.pk
    held = _insert(
        demand=demand,
        start=start,
        now=now,
        staff=staff,
        status=AppointmentStatus.HELD,
        channel=channel,
        citizen=None,
        replacing=replacing if same_office else None,
        on_insert=on_insert,
    )
    if replacing is not None and not same_office and replacing.status == AppointmentStatus.HELD:
        # Another office's hold shares no time with this one: give it back under its own lock.
        appointment_release_hold(appointment=replacing, now=now)
    return held


def appointment_book(
    *,
    demand: Demand,
    start: datetime,
    citizen: CitizenDetails,
    channel: Channel = Channel.ONLINE,
    staff: bool = False,
    now: datetime | None = None,
    staff_user: User | None = None,
    on_insert: Callable[[Appointment], object] | None = None,
    counter: Counter | None = None,
) -> tuple[Appointment, str]:
    """Book in one step (API; staff on the phone, on ``counter`` if named): the appointment and
    its token. Online bookings are pending until the citizen follows the e-mailed link if the
    office asks for it, else (and for staff) confirmed. ``on_insert(appointment)`` runs in the
    transaction: what it writes commits with the booking or not (the API's Idempotency-Key)."""
    citizen = validate_citizen(citizen, email_required=channel == Channel.ONLINE)
    return _insert(
        demand=demand,
        start=start,
        now=now or timezone.now(),
        staff=staff,
        status=AppointmentStatus.PENDING,  # settled to pending or confirmed once inserted
        channel=channel,
        citizen=citizen,
        staff_user=staff_user,
        on_insert=on_insert,
        counter_id=counter.pk if counter is not None else None,
    )


def _renew_lapsed_hold(
    current: Appointment, now: datetime, configuration: OfficeConfiguration
) -> None:
    """Keep a lapsed hold's time if nobody took it meanwhile, whether or not the release task
    has run yet."""
    try:
        current.counter_id = claim.reclaim(current, now, configuration)
    except SlotTaken:
        if current.status == AppointmentStatus.EXPIRED:
            raise WrongState(error_messages["hold_lapsed"]) from None
        raise
    current.status = AppointmentStatus.HELD
    current.expired_at = None


def appointment_extend_hold(
    *, appointment: Appointment, now: datetime | None = None
) -> Appointment:
    """Give the citizen another full hold time (WCAG 2.2.1: timing adjustable)."""
    now = now or timezone.now()

    with office_lock(appointment.office):
        current = Appointment.objects.select_related("office").get(pk=appointment.pk)
        if not current.is_hold:
            raise WrongState(error_messages["hold_lapsed"])
        limits.check_hold_extension(current)
        if current.held_until is None or current.held_until <= now:
            # Expired: renew only if nobody took the time meanwhile.
            _renew_lapsed_hold(current, now, claim.configuration_now(current.office))
        current.held_until = now + timedelta(minutes=current.office.hold_minutes)
        current.hold_extensions += 1
        current.save(
            update_fields=["held_until", "counter", "status", "expired_at", "hold_extensions"]
        )
        return current


def appointment_complete_hold(
    *,
    appointment: Appointment,
    citizen: CitizenDetails,
    now: datetime | None = None,
    confirm_by_email: bool = False,
) -> Appointment:
    """Turn the citizen's hold into a booking. An expired hold is renewed if still free.
    ``confirm_by_email``: pending until the e-mailed link is followed, whatever the office's
    setting (a booking made without a proof of work)."""
    now = now or timezone.now()
    citizen = validate_citizen(citizen, email_required=appointment.channel == Channel.ONLINE)

    with office_lock(appointment.office):
        current = Appointment.objects.select_related("office").get(pk=appointment.pk)
        if not current.is_hold:
            raise WrongState(error_messages["hold_lapsed"])
        configuration = claim.configuration_now(current.office)
        if current.channel == Channel.ONLINE:
            limits.check_person_limit(
                office=current.office,
                email=citizen.email,
                phone=citizen.phone,
                now=now,
                ignore_id=current.pk,
            )
        if current.held_until is None or current.held_until <= now:
            _renew_lapsed_hold(current, now, configuration)
        for field, value in _citizen_fields(citizen).items():
            setattr(current, field, value)
        current.held_until = None
        follow_up.settle(current, now, confirm_by_email)
        current.save()
        follow_up.announce(current, now, configuration)
        return current


def appointment_confirm(*, appointment: Appointment, now: datetime | None = None) -> Appointment:
    """The citizen followed the e-mailed link. Late but still free: confirmed all the same."""
    now = now or timezone.now()

    with office_lock(appointment.office):
        current = Appointment.objects.select_related("office").get(pk=appointment.pk)
        if current.status == AppointmentStatus.CONFIRMED:
            return current
        if current.personal_data_erased_at is not None:
            raise WrongState(error_messages["not_confirmable"])
        if current.status not in (AppointmentStatus.PENDING, AppointmentStatus.EXPIRED):
            raise WrongState(error_messages["not_confirmable"])
        configuration = claim.configuration_now(current.office)
        if not current.holds_time(now):  # expired, or pending past its deadline
            current.counter_id = claim.reclaim(current, now, configuration)
            current.expired_at = None  # set by the release task, or by claim_counter just now
            current.save(update_fields=["counter", "expired_at"])
        follow_up.mark_confirmed(current, now, configuration)
        return current


def appointment_release_hold(*, appointment: Appointment, now: datetime | None = None) -> None:
    """The citizen chose another time: give the hold back. A hold completed meanwhile (in
    another tab) is a booking now and stays."""
    now = now or timezone.now()

    with office_lock(appointment.office):
        release_hold(appointment, now)


def release_hold(appointment: Appointment, now: datetime) -> bool:
    """Give a hold back (a waitlist offer too), under the caller's lock; its time goes to the
    waitlist first. False if it is no hold any more (completed, or lapsed and marked)."""
    if not Appointment.objects.filter(pk=appointment.pk, status=AppointmentStatus.HELD).update(
        status=AppointmentStatus.EXPIRED, expired_at=now
    ):
        return False
    events.announce_free_times(appointment.office_id, days={_local_day(appointment)}, now=now)
    return True


def _local_day(appointment: Appointment) -> date:
    return appointment.start.astimezone(appointment.office.zone).date()


def appointment_cancel(
    *,
    appointment: Appointment,
    staff: bool = False,
    now: datetime | None = None,
    staff_user: User | None = None,
    reason: str = "",
) -> Appointment:
    """Cancel; citizens until the appointment starts. The time is free for others at once.
    Staff give ``staff_user`` (audit log) and may give a ``reason`` the citizen is told."""
    now = now or timezone.now()
    reason = office_change.clean_reason(reason)
    changes = {
        "cancel_reason": reason,
        **office_change.fields(appointment, staff=staff, reason=reason, now=now),
    }

    with office_lock(appointment.office):
        current = copy.copy(appointment)
        while True:
            if current.status == AppointmentStatus.CANCELLED:
                return current
            if current.status not in (
                AppointmentStatus.HELD,
                AppointmentStatus.PENDING,
                AppointmentStatus.CONFIRMED,
            ):
                raise WrongState(error_messages["not_cancellable"])
            if not staff and not current.may_cancel_online(now):
                raise DeadlinePassed(error_messages["cancel_deadline_passed"])
            # The checks above hold if the row is still as it was read: one conditional update
            # checks that and cancels. If it changed meanwhile, decide again on the fresh row
            # (under the lock it cannot change again).
            if (
                Appointment.objects.filter(
                    pk=current.pk, status=current.status, start=current.start
                ).update(status=AppointmentStatus.CANCELLED, cancelled_at=now, **changes)
                == 1
            ):
                break
            current = Appointment.objects.select_related("office").get(pk=current.pk)
        was_booked = current.status in (AppointmentStatus.PENDING, AppointmentStatus.CONFIRMED)
        # The waitlist may be offered the time, before the commit (booking.events).
        events.announce_free_times(current.office_id, days={_local_day(current)}, now=now)
        before = audit.appointment_snapshot(current)
        current.status = AppointmentStatus.CANCELLED
        current.cancelled_at = now
        office_change.apply(current, changes)
        if staff_user is not None:
            audit.record(
                staff_user=staff_user,
                action=AuditAction.CANCEL,
                appointment=current,
                before=before,
                after=audit.appointment_snapshot(current),
                now=now,
                note=reason,
            )
        if was_booked:
            messages_off = claim.configuration_now(current.office).messages_off
            outbox.queue(current, MessageKind.CANCELLED, messages_off=messages_off)
        return current


def appointment_move(
    *,
    appointment: Appointment,
    start: datetime,
    staff: bool = False,
    now: datetime | None = None,
    staff_user: User | None = None,
    counter: Counter | None = None,
    reason: str = "",
) -> Appointment:
    """Move to another start for the same services. The row is updated in place in one
    transaction, so the old time is given up only when the new one is taken; code, token and
    calendar UID stay. Staff may name the ``counter`` (it must offer the services and be free
    then), give ``staff_user`` for the audit log and a ``reason`` the citizen is told."""
    now = now or timezone.now()
    demand = demand_of_appointment(appointment)
    window = selectors.booking_window(demand.office, now=now, staff=staff)
    check_start(demand, start, now, window)
    with office_lock(appointment.office):
        current = Appointment.objects.select_related("office").get(pk=appointment.pk)
        if not current.is_movable(now):
            raise WrongState(error_messages["not_movable"])
        if not staff and not current.may_move_online(now):
            raise DeadlinePassed(error_messages["move_deadline_passed"])
        if counter is not None and counter.office_id != current.office_id:
            raise StartNotOffered(error_messages["foreign_counter"], field="counter")
        before = audit.appointment_snapshot(current)
        configuration = claim.configuration_now(current.office)
        current.counter_id = claim.claim_counter(
            demand,
            start,
            now,
            staff=staff,
            window=window,
            configuration=configuration,
            ignore_id=current.pk,
            only_counter_id=counter.pk if counter is not None else None,
        )
        changes = office_change.fields(
            current, staff=staff, reason=reason, now=now, moved_from=current.start
        )
        old_day = _local_day(current)
        current.start = start
        current.end = start + timedelta(minutes=demand.duration_minutes)
        current.revision += 1
        changed = office_change.apply(current, changes)
        current.save(update_fields=["counter", "start", "end", "revision", *changed])
        events.announce_free_times(current.office_id, days={old_day}, now=now)  # the old time
        if staff_user is not None:
            audit.record(
                staff_user=staff_user,
                action=AuditAction.MOVE,
                appointment=current,
                before=before,
                after=audit.appointment_snapshot(current),
                now=now,
                note=current.office_reason,
            )
        if current.status == AppointmentStatus.CONFIRMED:
            outbox.queue(current, MessageKind.MOVED, messages_off=configuration.messages_off)
            outbox.schedule_reminder(current, now=now, messages_off=configuration.messages_off)
        return current
