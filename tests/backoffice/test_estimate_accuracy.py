"""A simulated morning: walk-ins arrive, booked citizens check in, two counters call the next
number whenever they are free. Every walk-in keeps the estimate it was given and the wait it
had; the median error is printed (and recorded in docs/benchmarks.md)."""

from __future__ import annotations

import random
import statistics
from datetime import UTC, datetime, timedelta

from django.contrib.auth.models import User

from amtstermin.booking import desk
from amtstermin.booking.models import Counter, Service, Ticket, TicketStatus
from amtstermin.scheduling.queue import wait_range

from .conftest import Cast, book

TUESDAY = datetime(2026, 12, 8, 7, 0, tzinfo=UTC)  # 08:00 in Berlin
# The true service times (minutes): shorter than configured for registration (10), longer for
# ID cards (15) - the measurement must find that out.
TRUE_MEDIAN = {"registration": 7.0, "id_card": 18.0}


def _service_minutes(rng: random.Random, kind: str) -> float:
    return max(2.0, rng.lognormvariate(0, 0.3) * TRUE_MEDIAN[kind])


def _history(cast: Cast, rng: random.Random) -> None:
    """Three weeks of served numbers: what the median is measured from."""
    number = 0
    for days_back in range(1, 22):
        day_start = TUESDAY - timedelta(days=days_back)
        for kind in ("registration", "id_card"):
            for index in range(3):
                number += 1
                called = day_start + timedelta(minutes=20 * index + (5 if kind == "id_card" else 0))
                ticket = Ticket.objects.create(
                    office=cast.office_a,
                    day=day_start.date(),
                    prefix="W",
                    number=number,
                    status=TicketStatus.DONE,
                    created_at=called - timedelta(minutes=5),
                    called_at=called,
                    finished_at=called + timedelta(minutes=_service_minutes(rng, kind)),
                )
                ticket.services.set([cast.services_a[kind]])


def simulate_morning(cast: Cast, seed: int = 7) -> list[tuple[int, int, int]]:
    """(estimate, actual, the old estimate) in minutes for every walk-in of one morning."""
    rng = random.Random(seed)
    _history(cast, rng)
    clerk = User.objects.create_user(username="sim-clerk", is_staff=True)
    kinds: dict[int, str] = {}
    old_estimates: dict[int, int] = {}
    services: dict[str, Service] = {k: cast.services_a[k] for k in TRUE_MEDIAN}
    # A few booked appointments (booked the week before), checked in a little early.
    appointments = [
        book(cast.office_a, services["id_card"], TUESDAY + timedelta(minutes=minute))
        for minute in (30, 75, 120, 150)
    ]
    arrivals: list[tuple[int, str]] = []
    minute = 0.0
    while minute < 150:
        minute += rng.expovariate(1 / 5.5)
        arrivals.append((int(minute), rng.choice(["registration", "registration", "id_card"])))
    busy_until: dict[int, datetime] = {}
    counters: list[Counter] = list(cast.counters_a)
    for step in range(0, 240):
        now = TUESDAY + timedelta(minutes=step)
        for appointment in appointments:
            if appointment.start - timedelta(minutes=3) == now:
                desk.appointment_check_in(appointment=appointment, staff_user=clerk, now=now)
        for at_minute, kind in arrivals:
            if at_minute == step:
                ticket = desk.ticket_issue(office=cast.office_a, services=[services[kind]], now=now)
                kinds[ticket.pk] = kind
                # The estimate before issue 13: configured minutes ahead / open counters.
                ahead = Ticket.objects.filter(
                    office=cast.office_a, day=TUESDAY.date(), status=TicketStatus.WAITING
                ).exclude(pk=ticket.pk)
                old_estimates[ticket.pk] = -(-sum(t.minutes for t in ahead) // len(counters))
        for counter in counters:
            if busy_until.get(counter.pk, now) > now:
                continue
            called = desk.ticket_call_next(
                office=cast.office_a, counter=counter, staff_user=clerk, now=now
            )
            if called is None:
                busy_until.pop(counter.pk, None)
                continue
            kind = kinds.get(called.pk, "id_card")
            busy_until[counter.pk] = now + timedelta(minutes=_service_minutes(rng, kind))
    return [
        (estimate, actual, old_estimates[pk])
        for pk, estimate, actual in Ticket.objects.filter(
            office=cast.office_a, day=TUESDAY.date(), prefix="W"
        ).values_list("pk", "estimated_wait_minutes", "actual_wait_minutes")
        if estimate is not None and actual is not None
    ]


def test_a_simulated_morning_reports_the_estimate_s_median_error(cast: Cast) -> None:
    triples = simulate_morning(cast)
    median_error = statistics.median(abs(estimate - actual) for estimate, actual, _ in triples)
    old_error = statistics.median(abs(old - actual) for _estimate, actual, old in triples)
    naive = statistics.median(actual for _estimate, actual, _old in triples)
    inside = sum(
        wait_range(estimate * 60).low <= actual <= wait_range(estimate * 60).high
        for estimate, actual, _old in triples
    )
    print(
        f"\nsimulated morning: {len(triples)} walk-ins, median error {median_error} min "
        f"(before issue 13: {old_error} min; median actual wait {naive} min), "
        f"{inside} of {len(triples)} inside the range shown"
    )
    assert len(triples) >= 20
    # Far better than not estimating at all (saying 0 every time).
    assert median_error < naive
