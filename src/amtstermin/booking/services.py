"""Every write to an appointment: hold, book, complete, extend, cancel, move.

A booking runs in one durable transaction that takes the office's lock (PostgreSQL: an advisory
transaction lock; SQLite: the transaction begins IMMEDIATE, so it *is* the lock), recomputes the
free counter for the wanted start from the database, and inserts. On PostgreSQL an exclusion
constraint is the last guard; a lost race becomes ``SlotTaken``. See docs/locking.md.
"""

from __future__ import annotations

import re
import secrets
import time
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, OperationalError, connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from amtstermin import scheduling
from amtstermin.booking import availability_cache, selectors
from amtstermin.booking.demand import Demand, demand_of_appointment
from amtstermin.booking.models import (
    Appointment,
    AppointmentLine,
    Channel,
    Office,
    Status,
)
from amtstermin.booking.tokens import hash_token, manage_token, new_nonce
from amtstermin.notifications import outbox
from amtstermin.notifications.models import Kind

# Booking codes avoid look-alikes (0/O, 1/I/L, 2/Z, 5/S, 8/B) so they survive the phone.
CODE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
CODE_LENGTH = 8
LOCK_NAMESPACE = 4711  # first key of pg_advisory_xact_lock(namespace, office_id)


class BookingError(Exception):
    """A booking operation was refused; ``message`` is for people, ``field`` names the input."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class SlotTaken(BookingError):
    """The time was free when shown but is taken now."""


class StartNotOffered(BookingError):
    """The start is off the grid, in the past, inside the lead time, outside the window or
    outside the opening hours: no counter could ever take it as asked."""


class DeadlinePassed(BookingError):
    """Too late to cancel or move online."""


class WrongState(BookingError):
    """The appointment is not in a state that allows this."""


class InvalidDetails(BookingError):
    """A personal detail is missing or malformed."""


class Busy(BookingError):
    """The database lock was not granted in time; trying again shortly will work."""


@dataclass(frozen=True)
class CitizenDetails:
    name: str
    email: str
    phone: str = ""
    booked_for: str = ""
    language: str = "de"


def _new_code() -> str:
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if not Appointment.objects.filter(code=code).exists():
            return code


def _lock_office(office: Office) -> None:
    """Serialise bookings of one office. SQLite's IMMEDIATE transaction already did."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL lock_timeout = '10s'")
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [LOCK_NAMESPACE, office.pk])


def _race_window() -> None:
    """Tests widen the window between check and insert to prove the lock is what holds."""
    delay = settings.BOOKING_RACE_WINDOW_MS
    if delay:
        time.sleep(delay / 1000)


def _check_start(demand: Demand, start: datetime, now: datetime, staff: bool) -> None:
    office = demand.office
    if timezone.is_naive(start):
        raise StartNotOffered(_("The start needs a time zone."), field="start")
    local = start.astimezone(office.zone)
    if local.second or local.microsecond or (local.hour * 60 + local.minute) % office.slot_minutes:
        raise StartNotOffered(
            _("Appointments start every %(minutes)d minutes.") % {"minutes": office.slot_minutes},
            field="start",
        )
    if start < now:
        raise StartNotOffered(_("This time is in the past."), field="start")
    window = selectors.booking_window(office, now=now, staff=staff)
    if start < window.earliest:
        raise StartNotOffered(
            _("Online appointments must be booked at least %(hours)s hours ahead.")
            % {"hours": f"{office.lead_time_minutes / 60:g}"},
            field="start",
        )
    if not window.first_day <= local.date() <= window.last_day:
        raise StartNotOffered(
            _("Appointments can be booked from %(first)s to %(last)s.")
            % {"first": f"{window.first_day:%d.%m.%Y}", "last": f"{window.last_day:%d.%m.%Y}"},
            field="start",
        )


def _release_lapsed(office: Office, day: date, now: datetime) -> None:
    """Mark holds and unconfirmed bookings past their deadline on that day as expired.

    Availability already ignores them; the database guard does not, so they are released here,
    under the lock, before the day's time is given out again.
    """
    bounds = scheduling.day_bounds(day, office.zone)
    Appointment.objects.filter(
        Q(status=Status.HELD, held_until__lte=now)
        | Q(status=Status.PENDING, pending_until__lte=now),
        office=office,
        start__lt=datetime.fromtimestamp(bounds.end, UTC),
        end__gt=datetime.fromtimestamp(bounds.start, UTC),
    ).update(status=Status.EXPIRED, expired_at=now)


def _claim_counter(
    demand: Demand, start: datetime, now: datetime, staff: bool, ignore_id: int | None = None
) -> int:
    """The counter that takes ``start``, decided from the database under the lock."""
    office = demand.office
    day = start.astimezone(office.zone).date()
    _release_lapsed(office, day, now)
    window = selectors.booking_window(office, now=now, staff=staff).clipped(day, day)
    inputs = selectors.engine_inputs(
        office, first_day=day, last_day=day, now=now, staff=staff, ignore_appointment_id=ignore_id
    )
    counters = inputs.counters
    ask = {
        "office": inputs.calendar,
        "demand": demand.engine_lines(),
        "window": window.as_engine(),
        "start": int(start.timestamp()),
        "shortest_minutes": selectors.shortest_bookable_minutes(office),
    }
    counter_id = scheduling.counter_for_start(counters=counters, **ask)  # type: ignore[arg-type]
    if counter_id is not None:
        return counter_id
    idle = [replace(counter, busy=()) for counter in counters]
    if scheduling.counter_for_start(counters=idle, **ask) is None:  # type: ignore[arg-type]
        raise StartNotOffered(
            _("The office does not offer these services at this time."), field="start"
        )
    raise SlotTaken(_("Sorry, this time has just been taken. Please choose another one."))


def _run_locked(office: Office, work):  # type: ignore[no-untyped-def]
    """Run ``work()`` in one durable transaction under the office's lock."""
    if not settings.BOOKING_GUARD:
        return work()  # the race tests' control: no transaction, no lock
    try:
        with transaction.atomic(durable=True):
            _lock_office(office)
            result = work()
            availability_cache.bump(office.pk)
            return result
    except IntegrityError as exc:
        # The exclusion constraint (PostgreSQL) caught what the lock should have prevented.
        raise SlotTaken(
            _("Sorry, this time has just been taken. Please choose another one.")
        ) from exc
    except OperationalError as exc:
        raise Busy(_("Many people are booking right now. Please try again in a moment.")) from exc


def _insert(
    *,
    demand: Demand,
    start: datetime,
    now: datetime,
    staff: bool,
    status: Status,
    channel: Channel,
    citizen: CitizenDetails | None,
) -> tuple[Appointment, str]:
    _check_start(demand, start, now, staff)

    def work() -> tuple[Appointment, str]:
        counter_id = _claim_counter(demand, start, now, staff)
        _race_window()
        nonce = new_nonce()
        token = manage_token(nonce)
        appointment = Appointment.objects.create(
            office=demand.office,
            counter_id=counter_id,
            start=start,
            end=start + timedelta(minutes=demand.duration_minutes),
            status=status,
            code=_new_code(),
            token_nonce=nonce,
            token_hash=hash_token(token),
            channel=channel,
            held_until=(
                now + timedelta(minutes=demand.office.hold_minutes)
                if status == Status.HELD
                else None
            ),
            **_citizen_fields(citizen),
        )
        AppointmentLine.objects.bulk_create(
            AppointmentLine(appointment=appointment, service=item.service, persons=item.persons)
            for item in demand.items
        )
        if status == Status.HELD:
            _schedule_expiry(appointment)
        else:
            _settle(appointment, now)
        return appointment, token

    result: tuple[Appointment, str] = _run_locked(demand.office, work)
    return result


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_PHONE = re.compile(r"^[0-9 +\-/()]{3,50}$")


def validate_citizen(citizen: CitizenDetails, *, email_required: bool) -> None:
    """Refuse what could break a mail header or a page: one message per field, for people."""
    name = citizen.name.strip()
    if not name:
        raise InvalidDetails(_("Please enter your name."), field="name")
    if len(name) > 200 or _CONTROL.search(name):
        raise InvalidDetails(_("Please enter a name of at most 200 letters."), field="name")
    if citizen.booked_for and (
        len(citizen.booked_for) > 200 or _CONTROL.search(citizen.booked_for)
    ):
        raise InvalidDetails(_("Please enter a name of at most 200 letters."), field="booked_for")
    if citizen.email or email_required:
        try:
            if len(citizen.email) > 254 or _CONTROL.search(citizen.email):
                raise ValidationError("too long")
            validate_email(citizen.email)
        except ValidationError:
            raise InvalidDetails(
                _("Please enter a valid e-mail address, like name@example.org."), field="email"
            ) from None
    if citizen.phone and not _PHONE.match(citizen.phone):
        raise InvalidDetails(
            _("Please enter a phone number with digits, spaces and + - / ( ) only."),
            field="phone",
        )
    if citizen.language not in ("de", "en"):
        raise InvalidDetails(_("Unknown language."), field="language")


def needs_confirmation(office: Office, channel: str, email: str) -> bool:
    """Online bookings with an e-mail address are confirmed through a link, if the office asks."""
    return office.require_email_confirmation and channel == Channel.ONLINE and bool(email)


def _settle(appointment: Appointment, now: datetime) -> None:
    """Book the appointment: pending (a confirmation link goes out) or confirmed at once."""
    if needs_confirmation(appointment.office, appointment.channel, appointment.email):
        appointment.status = Status.PENDING
        appointment.pending_until = now + timedelta(minutes=appointment.office.confirm_minutes)
        appointment.save(update_fields=["status", "pending_until"])
        outbox.queue(appointment, Kind.CONFIRM_REQUEST)
        _schedule_expiry(appointment)
    else:
        _mark_confirmed(appointment, now)


def _mark_confirmed(appointment: Appointment, now: datetime) -> None:
    appointment.status = Status.CONFIRMED
    appointment.confirmed_at = now
    appointment.held_until = None
    appointment.pending_until = None
    appointment.save(update_fields=["status", "confirmed_at", "held_until", "pending_until"])
    outbox.queue(appointment, Kind.CONFIRMED)
    outbox.schedule_reminder(appointment, now=now)


def _schedule_expiry(appointment: Appointment) -> None:
    """Tidy up when the hold or confirmation time lapses (availability never waits for it)."""
    from amtstermin.booking.tasks import release_lapsed

    deadline = appointment.held_until or appointment.pending_until
    if deadline is not None:
        release_lapsed.using(run_after=deadline).enqueue(appointment.office_id)


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
) -> tuple[Appointment, str]:
    """Keep a time for a citizen who is filling in the form. Returns it and its secret token."""
    return _insert(
        demand=demand,
        start=start,
        now=now or timezone.now(),
        staff=staff,
        status=Status.HELD,
        channel=channel,
        citizen=None,
    )


def appointment_book(
    *,
    demand: Demand,
    start: datetime,
    citizen: CitizenDetails,
    channel: Channel = Channel.ONLINE,
    staff: bool = False,
    now: datetime | None = None,
) -> tuple[Appointment, str]:
    """Book in one step (the API, staff at the phone). Returns it and its secret token.

    Online bookings are pending until the citizen follows the e-mailed link, when the office
    asks for confirmation; otherwise, and for staff bookings, they are confirmed at once.
    """
    validate_citizen(citizen, email_required=channel == Channel.ONLINE)
    return _insert(
        demand=demand,
        start=start,
        now=now or timezone.now(),
        staff=staff,
        status=Status.PENDING,  # settled to pending or confirmed once inserted
        channel=channel,
        citizen=citizen,
    )


def appointment_extend_hold(
    *, appointment: Appointment, now: datetime | None = None
) -> Appointment:
    """Give the citizen another full hold time (WCAG 2.2.1: timing adjustable)."""
    now = now or timezone.now()

    def work() -> Appointment:
        current = Appointment.objects.select_related("office").get(pk=appointment.pk)
        if current.status != Status.HELD:
            raise WrongState(_("This time is no longer reserved for you."))
        if current.held_until is None or current.held_until <= now:
            # Expired: renew only if nobody took the time meanwhile.
            _claim_counter(
                demand_of_appointment(current),
                current.start,
                now,
                staff=False,
                ignore_id=current.pk,
            )
        current.held_until = now + timedelta(minutes=current.office.hold_minutes)
        current.save(update_fields=["held_until"])
        return current

    result: Appointment = _run_locked(appointment.office, work)
    return result


def appointment_complete_hold(
    *, appointment: Appointment, citizen: CitizenDetails, now: datetime | None = None
) -> Appointment:
    """Turn the citizen's hold into a booking. An expired hold is renewed if still free."""
    now = now or timezone.now()
    validate_citizen(citizen, email_required=appointment.channel == Channel.ONLINE)

    def work() -> Appointment:
        current = Appointment.objects.select_related("office").get(pk=appointment.pk)
        if current.status != Status.HELD:
            raise WrongState(_("This time is no longer reserved for you."))
        if current.held_until is None or current.held_until <= now:
            counter_id = _claim_counter(
                demand_of_appointment(current),
                current.start,
                now,
                staff=False,
                ignore_id=current.pk,
            )
            current.counter_id = counter_id
        for field, value in _citizen_fields(citizen).items():
            setattr(current, field, value)
        current.held_until = None
        current.save()
        _settle(current, now)
        return current

    result: Appointment = _run_locked(appointment.office, work)
    return result


def appointment_confirm(*, appointment: Appointment, now: datetime | None = None) -> Appointment:
    """The citizen followed the e-mailed link. Late but still free: confirmed all the same."""
    now = now or timezone.now()

    def work() -> Appointment:
        current = Appointment.objects.select_related("office").get(pk=appointment.pk)
        if current.status == Status.CONFIRMED:
            return current
        lapsed = current.status == Status.EXPIRED or (
            current.status == Status.PENDING
            and current.pending_until is not None
            and current.pending_until <= now
        )
        if current.status not in (Status.PENDING, Status.EXPIRED):
            raise WrongState(_("This appointment cannot be confirmed any more."))
        if lapsed:
            current.counter_id = _claim_counter(
                demand_of_appointment(current),
                current.start,
                now,
                staff=False,
                ignore_id=current.pk,
            )
            current.save(update_fields=["counter"])
        _mark_confirmed(current, now)
        return current

    result: Appointment = _run_locked(appointment.office, work)
    return result


def cancel_deadline(appointment: Appointment) -> datetime:
    return appointment.start - timedelta(hours=appointment.office.cancel_deadline_hours)


def appointment_cancel(
    *, appointment: Appointment, staff: bool = False, now: datetime | None = None
) -> Appointment:
    """Cancel; citizens only until the office's deadline. The time is free for others at once."""
    now = now or timezone.now()

    def work() -> Appointment:
        current = Appointment.objects.select_related("office").get(pk=appointment.pk)
        if current.status == Status.CANCELLED:
            return current
        if current.status not in (Status.HELD, Status.PENDING, Status.CONFIRMED):
            raise WrongState(_("This appointment can no longer be cancelled."))
        if not staff and current.status != Status.HELD and now > cancel_deadline(current):
            raise DeadlinePassed(_("Online cancellation has closed. Please call the office."))
        was_booked = current.status in (Status.PENDING, Status.CONFIRMED)
        current.status = Status.CANCELLED
        current.cancelled_at = now
        current.save(update_fields=["status", "cancelled_at"])
        if was_booked:
            outbox.queue(current, Kind.CANCELLED)
        return current

    result: Appointment = _run_locked(appointment.office, work)
    return result


def appointment_move(
    *,
    appointment: Appointment,
    start: datetime,
    staff: bool = False,
    now: datetime | None = None,
) -> Appointment:
    """Move to another start for the same services.

    The row is updated in place inside one transaction, so the old time is given up only when
    the new one is taken; code, token and calendar UID stay the same.
    """
    now = now or timezone.now()
    demand = demand_of_appointment(appointment)
    _check_start(demand, start, now, staff)

    def work() -> Appointment:
        current = Appointment.objects.select_related("office").get(pk=appointment.pk)
        if current.status not in (Status.PENDING, Status.CONFIRMED):
            raise WrongState(_("This appointment can no longer be moved."))
        if not staff and now > cancel_deadline(current):
            raise DeadlinePassed(_("Online changes have closed. Please call the office."))
        current.counter_id = _claim_counter(demand, start, now, staff, ignore_id=current.pk)
        current.start = start
        current.end = start + timedelta(minutes=demand.duration_minutes)
        current.revision += 1
        current.save(update_fields=["counter", "start", "end", "revision"])
        if current.status == Status.CONFIRMED:
            outbox.queue(current, Kind.MOVED)
            outbox.schedule_reminder(current, now=now)
        return current

    result: Appointment = _run_locked(appointment.office, work)
    return result


def release_lapsed_everywhere(*, now: datetime | None = None) -> int:
    """Mark every lapsed hold and unconfirmed booking as expired; returns how many."""
    now = now or timezone.now()
    return Appointment.objects.filter(
        Q(status=Status.HELD, held_until__lte=now)
        | Q(status=Status.PENDING, pending_until__lte=now)
    ).update(status=Status.EXPIRED, expired_at=now)


PERSONAL_FIELDS = {"citizen_name": "", "email": "", "phone": "", "booked_for": ""}


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
            | Q(status=Status.CANCELLED, cancelled_at__lt=cutoff)
            | Q(status=Status.EXPIRED, expired_at__lt=cutoff)
        )
        with transaction.atomic():
            ids = list(due.values_list("pk", flat=True))
            Appointment.objects.filter(pk__in=ids).update(
                personal_data_erased_at=now, **PERSONAL_FIELDS
            )
            outbox.erase_for(ids)
        counts[office.name] = len(ids)
    return counts
