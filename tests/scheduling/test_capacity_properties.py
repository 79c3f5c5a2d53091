"""Properties of staff-only capacity (reserved ranges and shares) over random offices."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from amtstermin.scheduling import (
    CounterInput,
    Interval,
    counter_for_start,
    day_bounds,
    duration_minutes,
    local_day,
)

from .reference import online_budget_seconds, reference_offers, reserved_minutes, spent_seconds
from .strategies import Scenario, reserved_scenarios
from .test_search_properties import PROPERTY_SETTINGS, as_offers, search


def for_staff(scenario: Scenario) -> Scenario:
    """The same office searched by staff: nothing is kept back."""
    return replace(
        scenario,
        counters=[replace(counter, reserved=(), spent=()) for counter in scenario.counters],
    )


@PROPERTY_SETTINGS
@given(reserved_scenarios())
def test_offers_exactly_the_starts_and_counters_of_a_minute_by_minute_scan(
    scenario: Scenario,
) -> None:
    expected = reference_offers(
        scenario.office,
        scenario.counters,
        scenario.demand,
        scenario.window,
        scenario.shortest_minutes,
    )
    assert as_offers(search(scenario)) == expected


@PROPERTY_SETTINGS
@given(reserved_scenarios())
def test_no_online_offer_overlaps_a_reserved_range_of_its_counter(scenario: Scenario) -> None:
    office = scenario.office
    duration = duration_minutes(scenario.demand, office.grid_minutes) * 60
    by_id = {counter.counter_id: counter for counter in scenario.counters}
    for start, counter_id in as_offers(search(scenario)).items():
        kept = reserved_minutes(by_id[counter_id], office, local_day(start, office.tz))
        assert not kept & set(range(start, start + duration, 60))


@PROPERTY_SETTINGS
@given(reserved_scenarios())
def test_staff_see_every_online_start_and_the_reserved_ones(scenario: Scenario) -> None:
    staff_scenario = for_staff(scenario)
    online = as_offers(search(scenario))
    staff = as_offers(search(staff_scenario))
    assert online.keys() <= staff.keys()
    assert staff == reference_offers(
        staff_scenario.office,
        staff_scenario.counters,
        staff_scenario.demand,
        staff_scenario.window,
        staff_scenario.shortest_minutes,
    )


@PROPERTY_SETTINGS
@given(reserved_scenarios(max_days=2), st.randoms(use_true_random=False))
def test_online_bookings_never_fill_more_than_the_budget(
    scenario: Scenario, rng: random.Random
) -> None:
    """Citizens book offered starts one after another until nothing is offered: on every
    counter and day with a share kept back, what they booked stays within the budget."""
    office = scenario.office
    duration = duration_minutes(scenario.demand, office.grid_minutes) * 60
    counters = {counter.counter_id: counter for counter in scenario.counters}
    for _booking in range(40):
        offers = as_offers(search(replace(scenario, counters=list(counters.values()))))
        if not offers:
            break
        start = rng.choice(sorted(offers))
        counter = counters[offers[start]]
        day = local_day(start, office.tz)
        before = spent_seconds(counter, office, day)
        booking = Interval(start, start + duration)
        counter = replace(counter, busy=(*counter.busy, booking), spent=(*counter.spent, booking))
        counters[counter.counter_id] = counter
        budget = online_budget_seconds(counter, office, day)
        if budget is not None:
            assert before + duration <= budget
            assert spent_seconds(counter, office, day) <= budget


@PROPERTY_SETTINGS
@given(reserved_scenarios(max_days=2))
def test_counter_for_start_agrees_with_the_search(scenario: Scenario) -> None:
    offers = as_offers(search(scenario))
    office, window = scenario.office, scenario.window
    first = day_bounds(window.first_day, office.tz).start
    last = day_bounds(window.last_day, office.tz).end
    for start in range(first, last, office.grid_minutes * 60):
        assigned = counter_for_start(
            office=office,
            counters=scenario.counters,
            demand=scenario.demand,
            window=window,
            start=start,
            shortest_minutes=scenario.shortest_minutes,
        )
        assert assigned == offers.get(start)


def offers_on(scenario: Scenario, counter: CounterInput, day: date) -> dict[int, int]:
    """The offers of ``counter`` alone on ``day``."""
    window = replace(scenario.window, first_day=day, last_day=day)
    return as_offers(search(replace(scenario, counters=[counter], window=window)))


@PROPERTY_SETTINGS
@given(reserved_scenarios(max_days=2))
def test_a_counter_is_offered_up_to_the_last_second_of_its_budget(scenario: Scenario) -> None:
    """With ``budget - duration`` seconds spent the counter offers what it would without a
    share; one second more and it offers nothing that day."""
    office = scenario.office
    duration = duration_minutes(scenario.demand, office.grid_minutes) * 60
    for counter in scenario.counters:
        ranges_only = replace(
            counter,
            reserved=tuple(entry for entry in counter.reserved if entry.share_percent is None),
            spent=(),
        )
        day = scenario.window.first_day
        while day <= scenario.window.last_day:
            budget = online_budget_seconds(counter, office, day)
            if budget is not None and budget >= duration:
                midnight = day_bounds(day, office.tz).start
                exact = replace(counter, spent=(Interval(midnight, midnight + budget - duration),))
                over = replace(exact, spent=(Interval(midnight, exact.spent[0].end + 1),))
                assert offers_on(scenario, exact, day) == offers_on(scenario, ranges_only, day)
                assert offers_on(scenario, over, day) == {}
            day += timedelta(days=1)
