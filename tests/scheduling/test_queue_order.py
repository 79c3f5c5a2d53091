"""The office's one queue: whom a counter calls next, the gap rule, and the waiting estimate."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from amtstermin.scheduling.queue import (
    DUE_WITHIN,
    MIN_SAMPLES,
    Booked,
    CounterLoad,
    Waiting,
    estimate_waits,
    measured_seconds,
    next_for_counter,
    service_seconds,
    wait_range,
)

NOW = 1_000_000
MIN = 60
COUNTER = 1
OTHER = 2
ALL = frozenset({10, 20, 30})


def walk_in(key: int, number: int, services: set[int] | None = None, minutes: int = 10) -> Waiting:
    return Waiting(
        key=key, number=number, services=frozenset(services or {10}), seconds=minutes * MIN
    )


def booked_holder(
    key: int, number: int, start: int, counter: int, services: set[int] | None = None
) -> Waiting:
    return Waiting(
        key=key,
        number=number,
        services=frozenset(services or {10}),
        seconds=15 * MIN,
        appointment_start=start,
        appointment_counter=counter,
    )


def test_a_due_citizen_booked_at_this_counter_comes_before_an_older_walk_in() -> None:
    waiting = [walk_in(1, 1), booked_holder(2, 2, NOW - 5 * MIN, COUNTER)]
    chosen = next_for_counter(waiting, counter=COUNTER, offers=ALL, booked=[], now=NOW)
    assert chosen is not None and chosen.key == 2


def test_this_counters_due_citizen_comes_before_one_due_elsewhere() -> None:
    waiting = [
        booked_holder(1, 1, NOW - 10 * MIN, OTHER),
        booked_holder(2, 2, NOW, COUNTER),
        walk_in(3, 3),
    ]
    chosen = next_for_counter(waiting, counter=COUNTER, offers=ALL, booked=[], now=NOW)
    assert chosen is not None and chosen.key == 2


def test_a_due_citizen_of_another_counter_comes_before_walk_ins() -> None:
    waiting = [walk_in(1, 1), booked_holder(2, 2, NOW + 2 * MIN, OTHER)]
    chosen = next_for_counter(waiting, counter=COUNTER, offers=ALL, booked=[], now=NOW)
    assert chosen is not None and chosen.key == 2


def test_walk_ins_are_called_oldest_first_among_those_the_counter_serves() -> None:
    waiting = [walk_in(1, 1, {30}), walk_in(2, 2, {10}), walk_in(3, 3, {10})]
    chosen = next_for_counter(
        waiting, counter=COUNTER, offers=frozenset({10, 20}), booked=[], now=NOW
    )
    assert chosen is not None and chosen.key == 2


def test_a_walk_in_is_never_called_into_a_gap_too_short_before_a_booking() -> None:
    booked = [Booked(counter=COUNTER, start=NOW + 8 * MIN, seconds=15 * MIN)]
    long_one = walk_in(1, 1, minutes=10)
    short_one = walk_in(2, 2, minutes=5)
    assert next_for_counter([long_one], counter=COUNTER, offers=ALL, booked=booked, now=NOW) is None
    chosen = next_for_counter(
        [long_one, short_one], counter=COUNTER, offers=ALL, booked=booked, now=NOW
    )
    assert chosen is not None and chosen.key == 2


def test_a_booking_at_another_counter_does_not_close_this_gap() -> None:
    booked = [Booked(counter=OTHER, start=NOW + 2 * MIN, seconds=15 * MIN)]
    chosen = next_for_counter([walk_in(1, 1)], counter=COUNTER, offers=ALL, booked=booked, now=NOW)
    assert chosen is not None and chosen.key == 1


def test_an_early_citizen_waits_behind_walk_ins_but_may_use_their_own_slot() -> None:
    start = NOW + 30 * MIN
    early = booked_holder(2, 2, start, COUNTER)
    booked = [Booked(counter=COUNTER, start=start, seconds=15 * MIN, key=2)]
    chosen = next_for_counter(
        [walk_in(1, 1), early], counter=COUNTER, offers=ALL, booked=booked, now=NOW
    )
    assert chosen is not None and chosen.key == 1
    chosen = next_for_counter([early], counter=COUNTER, offers=ALL, booked=booked, now=NOW)
    assert chosen is not None and chosen.key == 2


entries = st.lists(
    st.tuples(
        st.booleans(),  # walk-in?
        st.integers(-30, 60),  # appointment start, minutes from now
        st.sampled_from([COUNTER, OTHER]),
        st.sets(st.sampled_from([10, 20, 30]), min_size=1, max_size=2),
        st.integers(1, 40),  # minutes
    ),
    max_size=12,
)
bookings = st.lists(
    st.tuples(st.sampled_from([COUNTER, OTHER]), st.integers(-10, 90), st.integers(5, 30)),
    max_size=6,
)


def build(raw: list[tuple[bool, int, int, set[int], int]]) -> list[Waiting]:
    return [
        Waiting(
            key=index,
            number=index,
            services=frozenset(services),
            seconds=minutes * MIN,
            appointment_start=None if is_walk_in else NOW + start * MIN,
            appointment_counter=None if is_walk_in else counter,
        )
        for index, (is_walk_in, start, counter, services, minutes) in enumerate(raw, start=1)
    ]


@settings(max_examples=200, deadline=None)
@given(raw=entries, raw_booked=bookings, offers=st.sets(st.sampled_from([10, 20, 30])))
def test_the_calling_order_holds_for_any_queue(
    raw: list[tuple[bool, int, int, set[int], int]],
    raw_booked: list[tuple[int, int, int]],
    offers: set[int],
) -> None:
    waiting = build(raw)
    booked = [Booked(counter=c, start=NOW + s * MIN, seconds=m * MIN) for c, s, m in raw_booked]
    chosen = next_for_counter(
        waiting, counter=COUNTER, offers=frozenset(offers), booked=booked, now=NOW
    )
    due_here = [
        w
        for w in waiting
        if w.appointment_start is not None
        and w.appointment_start <= NOW + DUE_WITHIN
        and w.appointment_counter == COUNTER
    ]
    if due_here:
        # 1. This counter's due citizen first (earliest appointment).
        assert chosen is not None
        assert chosen.appointment_counter == COUNTER
        assert chosen.appointment_start == min(w.appointment_start or 0 for w in due_here)
        return
    if chosen is None:
        return
    # Whoever is called, the counter can serve them.
    assert chosen.services <= frozenset(offers)
    due_servable = [
        w
        for w in waiting
        if w.appointment_start is not None
        and w.appointment_start <= NOW + DUE_WITHIN
        and w.services <= frozenset(offers)
    ]
    if due_servable:
        # 2. Other due citizens before any walk-in.
        assert not chosen.walk_in
        return
    if chosen.walk_in:
        # 3. The walk-in fits before the next booking at this counter ...
        following = [b.start for b in booked if b.counter == COUNTER and b.start > NOW]
        assert not following or NOW + chosen.seconds <= min(following)
        # ... and no older walk-in that would fit was passed over.
        for other in waiting:
            if other.walk_in and other.number < chosen.number and other.services <= offers:
                assert following and NOW + other.seconds > min(following)


@settings(max_examples=200, deadline=None)
@given(
    minutes=st.lists(st.integers(1, 30), min_size=1, max_size=15),
    free_in=st.lists(st.integers(0, 20), min_size=1, max_size=3),
)
def test_estimates_grow_along_the_queue_and_are_never_zero_while_all_counters_are_busy(
    minutes: list[int], free_in: list[int]
) -> None:
    counters = [
        CounterLoad(counter=index, offers=ALL, free_at=NOW + free * MIN, closes_at=NOW + 10**6)
        for index, free in enumerate(free_in)
    ]
    queue = [walk_in(index, index, minutes=m) for index, m in enumerate(minutes, start=1)]
    waits = estimate_waits(queue, counters=counters, booked=[], now=NOW)
    values = [waits[w.key] for w in queue]
    assert all(v is not None for v in values)
    numbers = [v for v in values if v is not None]
    assert numbers == sorted(numbers)  # first come, first served
    if min(free_in) > 0:
        assert numbers[0] > 0
        assert wait_range(numbers[0]).high > 0


def test_the_estimate_serves_due_bookings_first() -> None:
    counters = [CounterLoad(counter=COUNTER, offers=ALL, free_at=NOW, closes_at=NOW + 10**6)]
    booked = [Booked(counter=COUNTER, start=NOW + 5 * MIN, seconds=20 * MIN)]
    waits = estimate_waits([walk_in(1, 1, minutes=10)], counters=counters, booked=booked, now=NOW)
    assert waits[1] == 25 * MIN  # the booking at +5 comes first, then the walk-in


def test_no_estimate_when_no_counter_can_serve_before_closing() -> None:
    counters = [CounterLoad(counter=COUNTER, offers=ALL, free_at=NOW, closes_at=NOW + 5 * MIN)]
    waits = estimate_waits([walk_in(1, 1), walk_in(2, 2)], counters=counters, booked=[], now=NOW)
    assert waits == {1: 0, 2: None}


def test_measured_durations_replace_the_configured_one_once_there_are_enough() -> None:
    too_few = measured_seconds([300.0] * (MIN_SAMPLES - 1))
    assert service_seconds(too_few, configured_minutes=15) == 15 * MIN
    enough = measured_seconds([300.0] * MIN_SAMPLES)
    assert service_seconds(enough, configured_minutes=15) == 300


def test_the_wait_is_shown_as_a_range_in_five_minute_steps() -> None:
    found = wait_range(25 * MIN)
    assert (found.low, found.high) == (20, 35)
    assert wait_range(0).low == 0 and wait_range(0).high == 5
    assert wait_range(3 * MIN).high == 5
