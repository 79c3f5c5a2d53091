"""The waitlist ("Terminwunsch"): a citizen for whom nothing fits leaves the services, the days
that suit them and an e-mail address; when a fitting time becomes free, the system holds it for
the earliest waiting wish that fits and e-mails an offer with a deadline.

This module holds the citizen's steps: leaving a wish, confirming it (it joins the line and is
offered what is free already), withdrawing it, declining or accepting an offer. The matching,
which runs in every transaction that frees a time, lives in ``waitlist_matching``
(docs/decisions.md, "The waitlist comes first").
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.utils import timezone

from amtstermin.booking import claim, contact, events, follow_up, limits
from amtstermin.booking.demand import Demand
from amtstermin.booking.errors import (
    InvalidDetails,
    WrongState,
    error_messages,
)
from amtstermin.booking.locking import office_lock
from amtstermin.booking.models import (
    Appointment,
    AppointmentStatus,
    WaitlistEntry,
    WaitlistLine,
    WaitlistStatus,
)
from amtstermin.booking.parsing import language_codes
from amtstermin.booking.services import release_hold
from amtstermin.booking.tokens import hash_token, manage_token, new_nonce, wish_token
from amtstermin.notifications import outbox
from amtstermin.notifications.models import MessageKind

MAX_WISH_DAYS = 92  # a wish covers at most about three months


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
    """The citizen pressed the button behind the e-mail's link: the wish joins the line and,
    in the same transaction, is offered the earliest fitting time that is free already."""
    now = now or timezone.now()
    with office_lock(entry.office):
        activated = WaitlistEntry.objects.filter(pk=entry.pk, status=WaitlistStatus.PENDING).update(
            status=WaitlistStatus.ACTIVE, confirmed_at=now
        )
        if activated:
            events.announce_wish(entry.office_id, entry.pk, now=now)
    entry.refresh_from_db()
    return entry


def _release_offer(entry: WaitlistEntry, now: datetime) -> None:
    """Give the offered time back, under the office's lock: to the next in line first."""
    if entry.offer is not None:
        release_hold(entry.offer, now)


def _end(entry: WaitlistEntry, status: WaitlistStatus, now: datetime) -> None:
    entry.status = status
    entry.decided_at = now
    entry.save(update_fields=["status", "decided_at"])


def waitlist_withdraw(*, entry: WaitlistEntry, now: datetime | None = None) -> WaitlistEntry:
    """The citizen withdraws the wish; an open offer's time goes to the next in line. A wish
    that has ended already stays as it is (a booking made from it stays booked)."""
    now = now or timezone.now()
    with office_lock(entry.office):
        current = WaitlistEntry.objects.select_related("office", "offer__office").get(pk=entry.pk)
        if current.status == WaitlistStatus.OFFERED:
            _release_offer(current, now)
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
        current = WaitlistEntry.objects.select_related("office", "offer__office").get(pk=entry.pk)
        if current.status != WaitlistStatus.OFFERED:
            raise WrongState(error_messages["offer_gone"])
        _release_offer(current, now)
        _end(current, WaitlistStatus.CANCELLED, now)
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
        configuration = claim.configuration_now(current.office)
        follow_up.mark_confirmed(appointment, now, configuration)
        _end(current, WaitlistStatus.BOOKED, now)
        return current, appointment, manage_token(appointment.token_nonce)
