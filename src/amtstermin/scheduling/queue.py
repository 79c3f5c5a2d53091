"""The office's one queue: whom a counter calls next, and how long a walk-in will wait.

Pure functions over frozen dataclasses; instants are ``int`` seconds (UTC), ``now`` is passed
in. The booking side turns tickets, appointments and counters into these types.

Calling order at one counter (``next_for_counter``):

1. a checked-in citizen whose appointment at *this* counter is due (earliest start first);
2. other due checked-in citizens whose services the counter offers;
3. walk-ins whose services the counter offers, oldest number first, but never one whose
   expected duration does not fit before the next booked appointment at this counter;
4. checked-in citizens who came early (their appointment is not due yet), under the same gap
   rule (their own appointment does not count as the one that follows).
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

DUE_WITHIN = 5 * 60  # an appointment is "due" five minutes before its start


@dataclass(frozen=True)
class Waiting:
    """One entry in the queue: a walk-in (``appointment_start`` is None) or a checked-in
    appointment holder."""

    key: int
    number: int  # drawn order of the day
    services: frozenset[int]
    seconds: int  # expected service time
    appointment_start: int | None = None
    appointment_counter: int | None = None

    @property
    def walk_in(self) -> bool:
        return self.appointment_start is None


@dataclass(frozen=True)
class Booked:
    """A booked appointment still to come at a counter (not yet served, not a no-show)."""

    counter: int
    start: int
    seconds: int
    key: int | None = None  # the Waiting.key of its checked-in holder, if any


def _due(entry: Waiting, now: int) -> bool:
    return entry.appointment_start is not None and entry.appointment_start <= now + DUE_WITHIN


def _fits(entry: Waiting, counter: int, booked: Sequence[Booked], now: int) -> bool:
    """Would serving ``entry`` now end before the next booked appointment at ``counter``?"""
    following = [
        item.start
        for item in booked
        if item.counter == counter and item.start > now and item.key != entry.key
    ]
    return not following or now + entry.seconds <= min(following)


def calling_order(
    waiting: Sequence[Waiting], *, counter: int, offers: frozenset[int], now: int
) -> list[Waiting]:
    """Everyone ``counter`` could serve, in the order it would call them (gap rule aside)."""

    def rank(entry: Waiting) -> tuple[int, int, int]:
        if entry.appointment_start is None:
            return 2, 0, entry.number
        if _due(entry, now):
            group = 0 if entry.appointment_counter == counter else 1
            return group, entry.appointment_start, entry.number
        return 3, entry.appointment_start, entry.number

    candidates = [
        entry
        for entry in waiting
        if entry.services <= offers or (_due(entry, now) and entry.appointment_counter == counter)
    ]
    return sorted(candidates, key=rank)


def next_for_counter(
    waiting: Sequence[Waiting],
    *,
    counter: int,
    offers: frozenset[int],
    booked: Sequence[Booked],
    now: int,
) -> Waiting | None:
    """The entry ``counter`` calls next, or None."""
    for entry in calling_order(waiting, counter=counter, offers=offers, now=now):
        if _due(entry, now) or _fits(entry, counter, booked, now):
            return entry
    return None


# --- Waiting estimates -------------------------------------------------------------------


MIN_SAMPLES = 20  # measured durations needed before they replace the configured one


def measured_seconds(samples: Sequence[float]) -> int | None:
    """The median of measured service times (seconds); None until there are ``MIN_SAMPLES``
    measurements."""
    if len(samples) < MIN_SAMPLES:
        return None
    return round(statistics.median(samples))


def service_seconds(measured: int | None, *, configured_minutes: int) -> int:
    """The measured median (``measured_seconds``), or the configured duration without one."""
    return configured_minutes * 60 if measured is None else measured


@dataclass(frozen=True)
class CounterLoad:
    """An open counter as the estimate sees it."""

    counter: int
    offers: frozenset[int]
    free_at: int  # when its current citizen is likely done (``now`` if it is free)
    closes_at: int


def _start_at(
    free_at: int, seconds: int, booked: list[Booked], counter: int
) -> tuple[int, list[Booked]]:
    """When a walk-in of ``seconds`` could start at a counter free from ``free_at``, serving
    the booked appointments first that are due or would not fit; and the ones it served."""
    moment = free_at
    served: list[Booked] = []
    for item in sorted((b for b in booked if b.counter == counter), key=lambda b: b.start):
        if item.start <= moment or moment + seconds > item.start:
            moment = max(moment, item.start) + item.seconds
            served.append(item)
        else:
            break
    return moment, served


def estimate_waits(
    walk_ins: Sequence[Waiting],
    *,
    counters: Sequence[CounterLoad],
    booked: Sequence[Booked],
    now: int,
) -> dict[int, int | None]:
    """Seconds each walk-in (in calling order) will probably wait, by simulating the counters:
    each goes to the counter that can start it first, after the booked appointments there that
    come first. None: no open counter can serve it before closing."""
    free = {load.counter: max(load.free_at, now) for load in counters}
    pending = list(booked)
    result: dict[int, int | None] = {}
    for entry in walk_ins:
        best: tuple[int, int, list[Booked]] | None = None
        for load in counters:
            if not entry.services <= load.offers:
                continue
            start, served = _start_at(free[load.counter], entry.seconds, pending, load.counter)
            if start >= load.closes_at:
                continue
            if best is None or start < best[0]:
                best = (start, load.counter, served)
        if best is None:
            result[entry.key] = None
            continue
        start, counter, served = best
        pending = [item for item in pending if item not in served]
        free[counter] = start + entry.seconds
        result[entry.key] = start - now
    return result


@dataclass(frozen=True)
class WaitRange:
    """What the citizen is told: "about low-high minutes" (``low`` 0: "less than high")."""

    low: int
    high: int


def wait_range(seconds: int) -> WaitRange:
    """A range around the estimate, in steps of five minutes; never "0" when there is a wait."""
    minutes = max(0, math.ceil(seconds / 60))
    low = 5 * math.floor(minutes * 0.8 / 5)
    high = max(5, 5 * math.ceil(minutes * 1.25 / 5))
    if high <= low:
        high = low + 5
    return WaitRange(low=low, high=high)
