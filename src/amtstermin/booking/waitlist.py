"""The waitlist ("Terminwunsch"): a citizen for whom nothing fits leaves the services, the days
that suit them and an e-mail address; when a fitting time becomes free, the system holds it for
the earliest waiting wish that fits and e-mails an offer with a deadline.

Fairness and guarantees (docs/decisions.md):

- First come, first served: wishes are matched in the order their e-mail was confirmed; each
  takes the earliest free start that fits it, before the next wish is looked at.
- An offer is an ordinary hold (``services.appointment_hold``) made under the office's lock;
  in the hold's own transaction the wish turns "offered" by a conditional update and the offer
  e-mail is queued. Two matchings at once cannot offer one time twice (the lock and the
  database's overlap guard) nor one wish two times (the conditional update rolls the second
  hold back).
- The hold lasts until the offer's deadline, so availability frees the time by itself when it
  passes (as pretix's vouchers do); the next matching marks the offer expired and offers the
  time to the next wish. Accepting turns the hold into a confirmed booking in one step.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from amtstermin.booking import contact, events, limits, selectors
from amtstermin.booking.demand import Demand, DemandItem
from amtstermin.booking.errors import (
    BookingError,
    InvalidDetails,
    WrongState,
    error_messages,
)
from amtstermin.booking.locking import office_lock
from amtstermin.booking.models import (
    Appointment,
    AppointmentStatus,
    Office,
    WaitlistEntry,
    WaitlistLine,
    WaitlistStatus,
    service_order,
)
from amtstermin.booking.parsing import language_codes
from amtstermin.booking.services import _mark_confirmed, appointment_hold
from amtstermin.booking.tokens import hash_token, manage_token, new_nonce, wish_token
from amtstermin.notifications import outbox
from amtstermin.notifications.models import MessageKind

MAX_WISH_DAYS = 92  # a wish covers at most about three months
PENDING_WISH_DAYS = 2  # a wish whose e-mail is not confirmed by then expires
STARTS_TRIED = 3  # fitting starts tried for one wish in one run when they are taken meanwhile


@dataclass(frozen=True)
class Wish:
    demand: Demand
    first_day: date
    last_day: date
    name: str
    email: str
    weekdays: frozenset[int] = frozenset()  # ISO weekdays; empty: every day
    part_of_day: str = ""
    language: str = "de"


class OfferGone(BookingError):
    """The wish was offered a time or ended meanwhile: the hold just made is rolled back."""


def _validated(wish: Wish, now: datetime) -> Wish:
    try:
        name = contact.clean_name(wish.name)
    except ValidationError as exc:
        raise InvalidDetails(exc.messages[0], field="name") from None
    try:
        email = contact.clean_email(wish.email)
    except ValidationError as exc:
        raise InvalidDetails(exc.messages[0], field="email") from None
    if wish.language not in language_codes():
        raise InvalidDetails(error_messages["unknown_language"], field="language")
    if wish.last_day < wish.first_day:
        raise InvalidDetails(error_messages["wish_days"], field="to")
    if wish.last_day < now.astimezone(wish.demand.office.zone).date():
        raise InvalidDetails(error_messages["wish_past"], field="to")
    if (wish.last_day - wish.first_day).days >= MAX_WISH_DAYS:
        raise InvalidDetails(error_messages["wish_too_long"] % {"days": MAX_WISH_DAYS}, field="to")
    if not wish.weekdays <= frozenset(range(1, 8)):
        raise InvalidDetails(error_messages["wish_days"], field="weekdays")
    return replace(wish, name=name, email=email)


def waitlist_sign_up(*, wish: Wish, now: datetime | None = None) -> tuple[WaitlistEntry, str]:
    """Leave a wish; it waits for the e-mail's confirmation (double opt-in). Returns the wish
    and its secret token. The per-person limit is checked under the office's lock."""
    now = now or timezone.now()
    wish = _validated(wish, now)
    office = wish.demand.office
    nonce = new_nonce()
    token = wish_token(nonce)
    with office_lock(office, changes_times=False):
        limits.check_wish_limit(office=office, email=wish.email)
        entry = WaitlistEntry(
            office=office,
            first_day=wish.first_day,
            last_day=wish.last_day,
            weekdays="".join(str(day) for day in sorted(wish.weekdays)),
            part_of_day=wish.part_of_day,
            citizen_name=wish.name,
            email=wish.email,
            language=wish.language,
            token_nonce=nonce,
            token_hash=hash_token(token),
            created_at=now,
        )
        entry.save(force_insert=True)
        WaitlistLine.objects.bulk_create(
            WaitlistLine(entry=entry, service=item.service, persons=item.persons)
            for item in wish.demand.items
        )
        outbox.queue_for_wish(entry, MessageKind.WAITLIST_OPT_IN)
    return entry, token


def waitlist_activate(*, entry: WaitlistEntry, now: datetime | None = None) -> WaitlistEntry:
    """The citizen pressed the button behind the e-mail's link: the wish joins the line."""
    now = now or timezone.now()
    with transaction.atomic():
        activated = WaitlistEntry.objects.filter(pk=entry.pk, status=WaitlistStatus.PENDING).update(
            status=WaitlistStatus.ACTIVE, confirmed_at=now
        )
        if activated:
            events.announce_free_times(entry.office_id)
    entry.refresh_from_db()
    return entry


def _release_offer(entry: WaitlistEntry, now: datetime) -> None:
    """Give the offered time back (under the office's lock)."""
    if entry.offer_id is not None:
        Appointment.objects.filter(pk=entry.offer_id, status=AppointmentStatus.HELD).update(
            status=AppointmentStatus.EXPIRED, expired_at=now
        )


def _end(entry: WaitlistEntry, status: WaitlistStatus, now: datetime) -> None:
    entry.status = status
    entry.decided_at = now
    entry.save(update_fields=["status", "decided_at"])


def waitlist_withdraw(*, entry: WaitlistEntry, now: datetime | None = None) -> WaitlistEntry:
    """The citizen withdraws the wish; an open offer's time goes to the next in line. A wish
    that has ended already stays as it is (a booking made from it stays booked)."""
    now = now or timezone.now()
    with office_lock(entry.office):
        current = WaitlistEntry.objects.select_related("office").get(pk=entry.pk)
        if current.status == WaitlistStatus.OFFERED:
            _release_offer(current, now)
            events.announce_free_times(current.office_id)  # to the next in line
        if current.status in (
            WaitlistStatus.PENDING,
            WaitlistStatus.ACTIVE,
            WaitlistStatus.OFFERED,
        ):
            _end(current, WaitlistStatus.CANCELLED, now)
        return current


def waitlist_decline(*, entry: WaitlistEntry, now: datetime | None = None) -> WaitlistEntry:
    """The citizen declines the offered time: it goes to the next in line, and the wish ends
    (offered again first, it would get the same time back)."""
    now = now or timezone.now()
    with office_lock(entry.office):
        current = WaitlistEntry.objects.select_related("office").get(pk=entry.pk)
        if current.status != WaitlistStatus.OFFERED:
            raise WrongState(error_messages["offer_gone"])
        _release_offer(current, now)
        _end(current, WaitlistStatus.CANCELLED, now)
        events.announce_free_times(current.office_id)  # to the next in line
        return current


def waitlist_accept(
    *, entry: WaitlistEntry, now: datetime | None = None
) -> tuple[WaitlistEntry, Appointment, str]:
    """The citizen accepts the offer before its deadline: the hold becomes a confirmed booking
    (the e-mail address is confirmed already) with the usual e-mail and manage link. Returns
    the wish, the appointment and its manage token."""
    now = now or timezone.now()
    with office_lock(entry.office):
        current = WaitlistEntry.objects.select_related("office").get(pk=entry.pk)
        if not current.offer_open(now) or current.offer_id is None:
            raise WrongState(error_messages["offer_gone"])
        appointment = Appointment.objects.select_related("office").get(pk=current.offer_id)
        if appointment.status != AppointmentStatus.HELD or not appointment.holds_time(now):
            raise WrongState(error_messages["offer_gone"])
        limits.check_person_limit(
            office=current.office, email=current.email, phone="", now=now, ignore_id=appointment.pk
        )
        appointment.citizen_name = current.citizen_name
        appointment.email = current.email
        appointment.language = current.language
        appointment.save(update_fields=["citizen_name", "email", "language"])
        configuration = selectors.office_configuration(current.office_id, include_inactive=True)
        assert configuration is not None
        _mark_confirmed(appointment, now, configuration)
        _end(current, WaitlistStatus.BOOKED, now)
        return current, appointment, manage_token(appointment.token_nonce)


# --- Matching --------------------------------------------------------------------------------


def demand_of_wish(entry: WaitlistEntry, office: Office) -> Demand | None:
    """The wish's demand as the office offers it now (None: a service is no longer offered)."""
    items = []
    for line in entry.lines.all():
        service = line.service
        if not (service.active and service.online_bookable) or line.persons > service.max_persons:
            return None
        items.append(DemandItem(service=service, persons=line.persons))
    if not items:
        return None
    items.sort(key=lambda item: service_order(item.service))
    return Demand(office=office, items=tuple(items))


def fitting_starts(entry: WaitlistEntry, demand: Demand, now: datetime) -> Iterable[datetime]:
    """The free starts that suit the wish, earliest first (from the availability a citizen
    would see now)."""
    office = demand.office
    for day in selectors.availability(
        demand, first_day=entry.first_day, last_day=entry.last_day, now=now
    ):
        for instant in day.starts:
            start = datetime.fromtimestamp(instant, UTC)
            if entry.fits(start.astimezone(office.zone)):
                yield start


def _make_offer(entry: WaitlistEntry, demand: Demand, start: datetime, now: datetime) -> bool:
    """Hold ``start`` for the wish and queue the offer, in one transaction. False if the time
    was taken meanwhile or the wish is no longer waiting."""
    office = demand.office
    expires = min(now + timedelta(hours=office.waitlist_offer_hours), start)

    def offered(appointment: Appointment) -> None:
        # Under the office's lock, in the hold's transaction: only a waiting wish is offered.
        if not WaitlistEntry.objects.filter(pk=entry.pk, status=WaitlistStatus.ACTIVE).update(
            status=WaitlistStatus.OFFERED,
            offer=appointment,
            offered_at=now,
            offer_expires_at=expires,
        ):
            raise OfferGone(error_messages["offer_gone"])
        appointment.held_until = expires
        appointment.save(update_fields=["held_until"])
        entry.status, entry.offer, entry.offer_expires_at = (
            WaitlistStatus.OFFERED,
            appointment,
            expires,
        )
        outbox.queue_for_wish(entry, MessageKind.WAITLIST_OFFER)
        events.announce_free_times(office.pk, at=expires)  # then it goes to the next in line

    try:
        appointment_hold(demand=demand, start=start, now=now, on_insert=offered)
    except BookingError:  # taken, no longer offered, busy, or the wish moved on
        return False
    return True


def _tidy_up(office: Office, now: datetime) -> None:
    """Lapsed offers and wishes past their last day (or never confirmed) expire."""
    today = now.astimezone(office.zone).date()
    with office_lock(office):
        for entry in WaitlistEntry.objects.filter(office=office).open_offers_lapsed(now):
            _release_offer(entry, now)
            _end(entry, WaitlistStatus.EXPIRED, now)
        WaitlistEntry.objects.filter(
            office=office,
            status__in=[WaitlistStatus.PENDING, WaitlistStatus.ACTIVE],
            last_day__lt=today,
        ).update(status=WaitlistStatus.EXPIRED, decided_at=now)
        WaitlistEntry.objects.filter(
            office=office,
            status=WaitlistStatus.PENDING,
            created_at__lt=now - timedelta(days=PENDING_WISH_DAYS),
        ).update(status=WaitlistStatus.EXPIRED, decided_at=now)


def offer_free_times(*, office_id: int, now: datetime | None = None) -> int:
    """Offer free times to the waiting wishes of one office, first come first served. Returns
    the number of offers made. Safe to run in several processes at once."""
    now = now or timezone.now()
    office = Office.objects.filter(pk=office_id).first()
    if office is None:
        return 0
    _tidy_up(office, now)
    offers = 0
    line = WaitlistEntry.objects.filter(office=office).in_line().prefetch_related("lines__service")
    for entry in line:
        demand = demand_of_wish(entry, office)
        if demand is None:
            continue
        for tried, start in enumerate(fitting_starts(entry, demand, now)):
            if tried == STARTS_TRIED:
                break  # taken one after the other: the next run tries again
            if _make_offer(entry, demand, start, now):
                offers += 1
                break
            if not WaitlistEntry.objects.filter(pk=entry.pk, status=WaitlistStatus.ACTIVE).exists():
                break  # offered by another process meanwhile
    return offers
