"""The waitlist's matching: free times are offered to the waiting wishes, first come, first
served, before any citizen can book them (docs/decisions.md, "The waitlist comes first").

It runs inside the transaction that freed the times, under the office's lock, before the
commit: ``booking.events`` hands it what a cancellation, a move, a given-back hold or offer,
lapsed holds marked expired, a configuration change or a wish joining the line may have freed.
The worker's sweep (``waitlist_tasks``) runs it for the whole office, and sees a released day
``release.WAITLIST_LEAD`` before citizens do.

- First come, first served: wishes in the order their e-mail was confirmed; each takes the
  earliest fitting free start before the next wish is looked at.
- Only the days where something may have changed are searched: a cancellation's day, a new
  wish's own days, every day after a configuration change and in the sweep. The other wishes
  were offered every fitting time the moment it became free.
- An offer is an ordinary hold (``services.hold_in_transaction``: the counter re-checked under
  the lock, the database's guard, a savepoint) lasting until the offer's deadline; in the same
  savepoint the wish turns "offered" by a conditional update and the offer e-mail is queued.
  So one time is never offered twice, and one wish never gets two times.
- At the deadline the hold lapses; while wishes wait it keeps its time until the worker marks
  it expired (``housekeeping.release_lapsed``), whose transaction offers it to the next wish.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Q, prefetch_related_objects
from django.utils import timezone

from amtstermin import scheduling
from amtstermin.booking import selectors, services
from amtstermin.booking.demand import Demand, DemandError, resolve_demand
from amtstermin.booking.errors import BookingError, error_messages
from amtstermin.booking.events import Freed
from amtstermin.booking.locking import lock_in_transaction, office_lock
from amtstermin.booking.models import (
    PENDING_WISH_DAYS,
    Appointment,
    Office,
    WaitlistEntry,
    WaitlistStatus,
)
from amtstermin.booking.selectors import OfficeConfiguration
from amtstermin.notifications import outbox
from amtstermin.notifications.models import MessageKind

STARTS_TRIED = 3  # fitting starts tried for one wish in one pass when they are refused


class OfferGone(BookingError):
    """The wish was offered a time or ended meanwhile: the hold just made is rolled back."""


def demand_of_wish(entry: WaitlistEntry, configuration: OfficeConfiguration) -> Demand | None:
    """The wish's demand as citizens can book it online now, by the one rule
    (``resolve_demand``: ``Service.bookable_online``); None if they no longer can."""
    pairs = [(line.service_id, line.persons) for line in entry.lines.all()]
    try:
        return resolve_demand(
            office=configuration.office, pairs=pairs, services=configuration.services
        )
    except DemandError:
        return None


def on_times_freed(sender: Any, office_id: int, freed: Freed, **kwargs: Any) -> None:
    """``events.times_freed``: in the freeing transaction, before its commit."""
    if not freed.locked:
        # The admin's transaction took it before its first write; again, it returns at once.
        lock_in_transaction(office_id)
    offer_in_transaction(office_id, freed)


def offer_in_transaction(office_id: int, freed: Freed) -> int:
    """Offer what ``freed`` may have freed to the waiting wishes, under the office's lock and
    inside the caller's transaction. Returns the number of offers made."""
    # One statement when nobody waits: the waiting wishes that may want the freed days, in
    # their order, and the offers past their deadline, which end first.
    rows = list(
        WaitlistEntry.objects.filter(office_id=office_id)
        .filter(
            (Q(status=WaitlistStatus.ACTIVE) & _wanting(freed))
            | Q(status=WaitlistStatus.OFFERED, offer_expires_at__lte=freed.now)
        )
        .order_by("confirmed_at", "pk")
    )
    _end_lapsed_offers([row for row in rows if row.status == WaitlistStatus.OFFERED], freed.now)
    line = [
        (entry, days)
        for entry in rows
        if entry.status == WaitlistStatus.ACTIVE and (days := _days(entry, freed))
    ]
    if not line:
        return 0  # nobody waits for these days: one more statement, none
    prefetch_related_objects([entry for entry, _days in line], "lines")
    if freed.configuration:  # changed in this transaction: never cache what may roll back
        configuration = selectors.office_configuration_uncached(office_id)
    else:
        configuration = selectors.office_configuration(office_id)
    if configuration is None or not configuration.office.active:
        return 0
    search = _Search(configuration, freed.now)
    offers = 0
    for entry, days in line:
        demand = demand_of_wish(entry, configuration)
        if demand is None:
            continue
        for tried, start in enumerate(search.fitting_starts(entry, demand, days)):
            if tried == STARTS_TRIED:
                break  # refused one after the other: the sweep tries again
            if _make_offer(entry, demand, start, search):
                offers += 1
                search.taken()
                break
    return offers


def _wanting(freed: Freed) -> Q:
    """Wishes whose range may hold a freed day, and those that just joined the line."""
    if freed.days is None:
        return Q()
    wanted = Q(pk__in=freed.wish_ids)
    if freed.days:
        wanted |= Q(first_day__lte=max(freed.days), last_day__gte=min(freed.days))
    return wanted


def _days(entry: WaitlistEntry, freed: Freed) -> list[date]:
    """The days to search for one wish: those it wants (its range, its weekdays) of the freed
    ones, or all it wants when every day may have changed or the wish just joined the line."""
    if freed.days is None or entry.pk in freed.wish_ids:
        span = (entry.last_day - entry.first_day).days + 1
        candidates: Iterable[date] = (entry.first_day + timedelta(days=n) for n in range(span))
    else:
        candidates = sorted(freed.days)
    weekdays = entry.weekday_numbers
    return [
        day
        for day in candidates
        if entry.first_day <= day <= entry.last_day and day.isoweekday() in weekdays
    ]


def _end_lapsed_offers(entries: list[WaitlistEntry], now: datetime) -> None:
    """Offers past their deadline expire, and their holds give the time back (to the next in
    line: ``services.release_hold`` announces it, unless the worker marked it already)."""
    if not entries:
        return
    offer_ids = [entry.offer_id for entry in entries if entry.offer_id is not None]
    for offer in Appointment.objects.select_related("office").filter(pk__in=offer_ids):
        services.release_hold(offer, now)
    for entry in entries:
        entry.status, entry.decided_at = WaitlistStatus.EXPIRED, now
        entry.save(update_fields=["status", "decided_at"])


class _Search:
    """The free starts citizens could book, read once per pass under the lock (never from the
    availability cache: this transaction's writes are not committed), again after an offer."""

    def __init__(self, configuration: OfficeConfiguration, now: datetime) -> None:
        self.configuration = configuration
        self.office = configuration.office
        self.now = now
        self.window = selectors.booking_window(self.office, now=now, waitlist=True)
        self._inputs: dict[tuple[date, date], selectors.EngineInputs] = {}
        self._free: dict[tuple[str, date, date], list[scheduling.DayAvailability]] = {}

    def taken(self) -> None:
        self._inputs.clear()  # an offer took a time: read the busy times again
        self._free.clear()

    def fitting_starts(
        self, entry: WaitlistEntry, demand: Demand, days: list[date]
    ) -> Iterator[datetime]:
        window = self.window
        days = [day for day in days if window.first_day <= day <= window.last_day]
        if not days:
            return
        wanted = set(days)
        for day in self._free_days(demand, days[0], days[-1]):
            if day.day not in wanted:
                continue
            for instant in day.starts:
                start = datetime.fromtimestamp(instant, UTC)
                if entry.fits(start.astimezone(self.office.zone)):
                    yield start

    def _free_days(
        self, demand: Demand, first: date, last: date
    ) -> list[scheduling.DayAvailability]:
        """Free starts for the demand, first..last: one read of the busy times per span, one
        search per demand (wishes for the same services share it)."""
        key = (demand.key(), first, last)
        if key not in self._free:
            inputs = self._inputs.get((first, last))
            if inputs is None:
                inputs = selectors.engine_inputs(
                    self.office,
                    first_day=first,
                    last_day=last,
                    now=self.now,
                    configuration=self.configuration,
                )
                self._inputs[(first, last)] = inputs
            self._free[key] = scheduling.find_free_starts(
                office=inputs.calendar,
                counters=inputs.counters,
                demand=demand.engine_lines(),
                window=self.window.clipped(first, last).as_engine(),
                shortest_minutes=inputs.shortest_minutes,
            )
        return self._free[key]


def _make_offer(entry: WaitlistEntry, demand: Demand, start: datetime, search: _Search) -> bool:
    """Hold ``start`` for the wish and queue the offer, in one savepoint. False if refused (the
    time is taken or no longer offered, or the wish is no longer waiting)."""
    now = search.now
    expires = min(now + timedelta(hours=search.office.waitlist_offer_hours), start)

    def offered(appointment: Appointment) -> None:
        # Under the office's lock, in the hold's savepoint: only a waiting wish is offered.
        waiting = WaitlistEntry.objects.filter(pk=entry.pk)
        if settings.WAITLIST_GUARD:
            waiting = waiting.filter(status=WaitlistStatus.ACTIVE)
        if not waiting.update(
            status=WaitlistStatus.OFFERED,
            offer=appointment,
            offered_at=now,
            offer_expires_at=expires,
        ):
            raise OfferGone(error_messages["offer_gone"])
        entry.status, entry.offer, entry.offer_expires_at = (
            WaitlistStatus.OFFERED,
            appointment,
            expires,
        )
        outbox.queue_for_wish(entry, MessageKind.WAITLIST_OFFER)

    try:
        services.hold_in_transaction(
            demand=demand,
            start=start,
            now=now,
            window=search.window,
            configuration=search.configuration,
            held_until=expires,
            on_insert=offered,
        )
    except BookingError:
        return False
    return True


def offer_free_times(*, office_id: int, now: datetime | None = None) -> int:
    """The whole office's pass, as the worker runs it (the sweep; a write made outside the
    application's writers): wishes past their last day expire, then every fitting free time is
    offered. Returns the number of offers made. Safe to run in several processes at once."""
    now = now or timezone.now()
    office = Office.objects.filter(pk=office_id).first()
    if office is None:
        return 0
    with office_lock(office):
        _expire_wishes(office, now)
        return offer_in_transaction(office_id, Freed(now=now, days=None, locked=True))


def _expire_wishes(office: Office, now: datetime) -> None:
    """Wishes past their last day, or never confirmed, expire."""
    today = now.astimezone(office.zone).date()
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
