"""Reads of the office's one queue: who is waiting, whom a counter calls next, how long a
walk-in will wait. The rules live in ``scheduling.queue``; this module feeds them."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Prefetch

from amtstermin import scheduling
from amtstermin.booking.models import (
    Appointment,
    AppointmentStatus,
    Counter,
    Office,
    Service,
    Ticket,
    TicketStatus,
)
from amtstermin.booking.selectors import opening_inputs
from amtstermin.booking.tokens import hash_token
from amtstermin.scheduling import queue as rules

MEASURED_DAYS = 28  # service times are measured over the last four weeks
MEASURED_CACHE_SECONDS = 300  # the measured medians are reused for five minutes
BUSY_AT_LEAST = 60  # a counter whose citizen overran is assumed busy one more minute
PUBLIC_CACHE_SECONDS = 5


def _instant(value: datetime) -> int:
    return int(value.timestamp())


def _utc(instant: int) -> datetime:
    return datetime.fromtimestamp(instant, UTC)


def measured_medians(office: Office, *, now: datetime) -> dict[int, int]:
    """Per service with enough of them, the median called → finished seconds of the
    single-service tickets of the last weeks (``scheduling.queue.measured_seconds``).

    Every poll of every ticket page needs them, and four weeks of tickets change little in a
    few minutes: they are kept in the shared cache (Redis with several processes) for
    ``MEASURED_CACHE_SECONDS``, judged by ``now``, and then measured again. Nothing outdates
    them earlier; the configured durations they stand beside are read fresh (``queue_state``).
    """
    key = f"queue-medians:{office.pk}"
    found = cache.get(key)
    if found is not None:
        measured_at, medians = found
        if timedelta(0) <= now - measured_at < timedelta(seconds=MEASURED_CACHE_SECONDS):
            return dict(medians)
    samples: dict[int, list[float]] = defaultdict(list)
    rows = (
        Ticket.objects.filter(
            office=office,
            status=TicketStatus.DONE,
            called_at__isnull=False,
            finished_at__gte=now - timedelta(days=MEASURED_DAYS),
            finished_at__lte=now,
        )
        .annotate(service_count=Count("services"))
        .filter(service_count=1)
        .values_list("services", "called_at", "finished_at")
    )
    for service_id, called, finished in rows:
        if called is not None and finished is not None:
            samples[service_id].append((finished - called).total_seconds())
    medians = {
        service_id: median
        for service_id, values in samples.items()
        if (median := rules.measured_seconds(values)) is not None
    }
    cache.set(key, (now, medians), MEASURED_CACHE_SECONDS)
    return medians


def _walk_in_seconds(service_ids: Iterable[int], *, minutes: int, seconds: dict[int, int]) -> int:
    """The expected service time of a walk-in asking for ``service_ids`` (``minutes``: what
    its services were configured to take when it drew its number)."""
    return sum(seconds.get(pk, minutes * 60) for pk in service_ids) or minutes * 60


@dataclass(frozen=True)
class QueueState:
    """The queue at ``now``: everyone waiting in calling order, the booked appointments still
    to come, the open counters' load, and the estimate for each walk-in."""

    now: datetime
    tickets: dict[int, Ticket]
    waiting: list[rules.Waiting]
    booked: list[rules.Booked]
    offers: dict[int, frozenset[int]]
    loads: list[rules.CounterLoad]
    seconds: dict[int, int]  # per service
    waits: dict[int, int | None]  # per walk-in ticket, seconds

    @property
    def open(self) -> bool:
        return bool(self.loads)

    def position(self, ticket: Ticket) -> int | None:
        for index, entry in enumerate(self.waiting, start=1):
            if entry.key == ticket.pk:
                return index
        return None

    def walk_in_seconds(self, services: frozenset[int], *, minutes: int) -> int:
        """The expected service time of a walk-in asking for ``services`` now."""
        return _walk_in_seconds(services, minutes=minutes, seconds=self.seconds)

    def newcomer_wait(self, services: frozenset[int], *, seconds: int) -> int | None:
        """Seconds someone drawing a number now would wait, behind every walk-in waiting:
        ``services`` they ask for (empty: any counter), ``seconds`` their expected service time.
        None: no open counter can serve them before closing."""
        newcomer = rules.Waiting(key=0, number=10**6, services=services, seconds=seconds)
        walk_ins = [entry for entry in self.waiting if entry.walk_in]
        waits = rules.estimate_waits(
            [*walk_ins, newcomer], counters=self.loads, booked=self.booked, now=_instant(self.now)
        )
        return waits.get(0)


def _office_order(entry: rules.Waiting, now: int) -> tuple[int, int, int]:
    """The office-wide order (for positions and the estimate): due appointments, walk-ins by
    number, early appointments."""
    if entry.appointment_start is None:
        return 1, 0, entry.number
    group = 0 if entry.appointment_start <= now + rules.DUE_WITHIN else 2
    return group, entry.appointment_start, entry.number


def queue_state(office: Office, *, now: datetime) -> QueueState:
    day = now.astimezone(office.zone).date()
    moment = _instant(now)
    inputs = opening_inputs(office, first_day=day, last_day=day, staff=True)
    medians = measured_medians(office, now=now)
    seconds = {
        pk: rules.service_seconds(medians.get(pk), configured_minutes=service.first_person_minutes)
        for pk, service in inputs.configuration.services.items()
    }
    tickets = {
        ticket.pk: ticket
        for ticket in Ticket.objects.filter(
            office=office, day=day, status__in=[TicketStatus.WAITING, TicketStatus.CALLED]
        )
        .select_related("appointment")
        .prefetch_related(Prefetch("services", queryset=Service.objects.only("id")))
    }

    def expected(ticket: Ticket) -> int:
        if ticket.appointment is not None:
            return int((ticket.appointment.end - ticket.appointment.start).total_seconds())
        services = [service.pk for service in ticket.services.all()]
        return _walk_in_seconds(services, minutes=ticket.minutes, seconds=seconds)

    waiting = sorted(
        (
            rules.Waiting(
                key=ticket.pk,
                number=ticket.number,
                services=frozenset(service.pk for service in ticket.services.all()),
                seconds=expected(ticket),
                appointment_start=(
                    _instant(ticket.appointment.start) if ticket.appointment else None
                ),
                appointment_counter=ticket.appointment.counter_id if ticket.appointment else None,
            )
            for ticket in tickets.values()
            if ticket.status == TicketStatus.WAITING
        ),
        key=lambda entry: _office_order(entry, moment),
    )
    waiting_keys = {entry.key for entry in waiting}
    bounds = scheduling.day_bounds(day, office.zone)
    booked = [
        rules.Booked(
            counter=appointment.counter_id,
            start=_instant(appointment.start),
            seconds=int((appointment.end - appointment.start).total_seconds()),
            key=ticket_id,
        )
        for appointment, ticket_id in _booked_today(office, bounds, now)
        if ticket_id is None or ticket_id in waiting_keys
    ]
    offers = {counter.counter_id: counter.service_ids for counter in inputs.counters}
    busy_until: dict[int, int] = {}
    for ticket in tickets.values():
        if ticket.status == TicketStatus.CALLED and ticket.counter_id and ticket.called_at:
            done = _instant(ticket.called_at) + expected(ticket)
            busy_until[ticket.counter_id] = max(done, moment + BUSY_AT_LEAST)
    loads = []
    for counter in inputs.counters:
        for opening in scheduling.open_intervals(counter, inputs.calendar, day, day):
            if opening.start <= moment < opening.end:
                loads.append(
                    rules.CounterLoad(
                        counter=counter.counter_id,
                        offers=counter.service_ids,
                        free_at=busy_until.get(counter.counter_id, moment),
                        closes_at=opening.end,
                    )
                )
    waits = rules.estimate_waits(
        [entry for entry in waiting if entry.walk_in], counters=loads, booked=booked, now=moment
    )
    return QueueState(
        now=now,
        tickets=tickets,
        waiting=waiting,
        booked=booked,
        offers=offers,
        loads=loads,
        seconds=seconds,
        waits=waits,
    )


def _booked_today(
    office: Office, bounds: scheduling.Interval, now: datetime
) -> list[tuple[Appointment, int | None]]:
    """Today's appointments still to be served: booked ones from now on, and checked-in ones
    (with their ticket's id)."""
    start = _utc(bounds.start)
    end = _utc(bounds.end)
    rows = Appointment.objects.filter(office=office, start__gte=start, start__lt=end).filter(
        status__in=[
            AppointmentStatus.PENDING,
            AppointmentStatus.CONFIRMED,
            AppointmentStatus.CHECKED_IN,
        ]
    )
    found: list[tuple[Appointment, int | None]] = []
    for appointment in rows.select_related("ticket"):
        ticket = getattr(appointment, "ticket", None)
        if appointment.status == AppointmentStatus.CHECKED_IN:
            if ticket is not None:
                found.append((appointment, ticket.pk))
        elif appointment.start >= now:
            found.append((appointment, None))
    return found


def next_ticket(office: Office, counter: Counter, *, now: datetime) -> Ticket | None:
    """Whom ``counter`` calls next under the calling order (``scheduling.queue``)."""
    state = queue_state(office, now=now)
    chosen = rules.next_for_counter(
        state.waiting,
        counter=counter.pk,
        offers=state.offers.get(counter.pk, frozenset()),
        booked=state.booked,
        now=_instant(now),
    )
    return state.tickets[chosen.key] if chosen is not None else None


@dataclass(frozen=True)
class QueueEntry:
    ticket: Ticket
    counters: frozenset[int]  # the counters that offer every service the ticket asks for
    wait_minutes: int | None  # None: no open counter can serve it today (or an appointment)
    wait: rules.WaitRange | None


def _minutes(seconds: int | None) -> int | None:
    return None if seconds is None else max(0, math.ceil(seconds / 60))


def ticket_queue(office: Office, *, now: datetime) -> list[QueueEntry]:
    """Today's waiting numbers in the office-wide order, with the estimate for walk-ins."""
    state = queue_state(office, now=now)
    entries = []
    for entry in state.waiting:
        counters = frozenset(
            cid for cid, offered in state.offers.items() if entry.services <= offered
        )
        seconds = state.waits.get(entry.key)
        entries.append(
            QueueEntry(
                ticket=state.tickets[entry.key],
                counters=counters,
                wait_minutes=_minutes(seconds),
                wait=rules.wait_range(seconds) if seconds is not None else None,
            )
        )
    return entries


@dataclass(frozen=True)
class TicketView:
    """What the live ticket page shows: nothing personal."""

    ticket: Ticket
    position: int | None
    wait: rules.WaitRange | None
    wait_minutes: int | None
    counter_name: str


def ticket_by_token(token: str, *, now: datetime) -> Ticket | None:
    """The ticket of a live ticket page, while its day lasts."""
    if not token or len(token) > 100:
        return None
    ticket = (
        Ticket.objects.select_related("office", "counter", "appointment")
        .filter(token_hash=hash_token(token))
        .first()
    )
    if ticket is None or ticket.day != now.astimezone(ticket.office.zone).date():
        return None
    return ticket


def ticket_view(ticket: Ticket, *, now: datetime) -> TicketView:
    state = queue_state(ticket.office, now=now) if ticket.status == TicketStatus.WAITING else None
    seconds = state.waits.get(ticket.pk) if state is not None else None
    return TicketView(
        ticket=ticket,
        position=state.position(ticket) if state is not None else None,
        wait=rules.wait_range(seconds) if seconds is not None else None,
        wait_minutes=_minutes(seconds),
        counter_name=ticket.counter.name if ticket.counter and ticket.status == "called" else "",
    )


def issued_wait(ticket: Ticket) -> rules.WaitRange | None:
    """The wait a walk-in was told when drawing the number (``ticket_issue`` keeps it)."""
    minutes = ticket.estimated_wait_minutes
    return None if minutes is None else rules.wait_range(minutes * 60)


def walk_in_estimate_seconds(office: Office, *, now: datetime) -> tuple[bool, int, int | None]:
    """For someone drawing a number now: (office open, walk-ins waiting, estimated seconds)."""
    state = queue_state(office, now=now)
    waiting = sum(1 for entry in state.waiting if entry.walk_in)
    if not state.open:
        return False, waiting, None
    typical = sorted(state.seconds.values())
    seconds = typical[len(typical) // 2] if typical else 600
    return True, waiting, state.newcomer_wait(frozenset(), seconds=seconds)


def public_queue(office: Office, *, now: datetime) -> dict[str, Any]:
    """The office's walk-in queue for its web site, cached for a few seconds (judged by ``now``,
    so the answer's age does not depend on the cache's own clock)."""
    key = f"queue-public:{office.pk}"
    found = cache.get(key)
    if found is not None:
        computed = datetime.fromisoformat(found["updated_at"])
        if timedelta(0) <= now - computed < timedelta(seconds=PUBLIC_CACHE_SECONDS):
            return dict(found)
    is_open, waiting, seconds = walk_in_estimate_seconds(office, now=now)
    answer = {
        "waiting": waiting,
        "estimated_wait_minutes": _minutes(seconds) if is_open else None,
        "open": is_open,
        "updated_at": now.astimezone(UTC).isoformat(),
    }
    cache.set(key, answer, PUBLIC_CACHE_SECONDS)
    return answer
