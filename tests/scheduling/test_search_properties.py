"""Properties of the slot search over random offices, checked against a plain reference."""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import replace
from typing import TypeVar

from hypothesis import given, settings
from hypothesis import strategies as st

from amtstermin.scheduling import (
    DayAvailability,
    counter_for_start,
    day_bounds,
    duration_minutes,
    find_free_starts,
    local_day,
    open_intervals,
)

from .reference import reference_offers
from .strategies import Scenario, scenarios

PROPERTY_SETTINGS = settings(max_examples=100, deadline=None)
T = TypeVar("T")


def search(scenario: Scenario) -> list[DayAvailability]:
    return find_free_starts(
        office=scenario.office,
        counters=scenario.counters,
        demand=scenario.demand,
        window=scenario.window,
        shortest_minutes=scenario.shortest_minutes,
    )


def as_offers(availability: list[DayAvailability]) -> dict[int, int]:
    return {
        start: counter_id
        for day in availability
        for start, counter_id in zip(day.starts, day.counter_ids, strict=True)
    }


@PROPERTY_SETTINGS
@given(scenarios())
def test_offered_starts_fit_the_assigned_counter(scenario: Scenario) -> None:
    availability = search(scenario)
    office, window = scenario.office, scenario.window
    duration = duration_minutes(scenario.demand, office.grid_minutes) * 60
    by_id = {counter.counter_id: counter for counter in scenario.counters}
    wanted = {line.service_id for line in scenario.demand}
    assert [day.day for day in availability] == sorted({day.day for day in availability})
    for day in availability:
        assert day.starts, "days without starts are left out"
        assert list(day.starts) == sorted(set(day.starts))
        assert window.first_day <= day.day <= window.last_day
        for start, counter_id in zip(day.starts, day.counter_ids, strict=True):
            counter = by_id[counter_id]
            end = start + duration
            assert start >= window.earliest
            assert local_day(start, office.tz) == day.day
            assert wanted <= counter.service_ids
            assert not any(busy.start < end and start < busy.end for busy in counter.busy)
            opening = open_intervals(counter, office, day.day, day.day)
            assert any(iv.start <= start and end <= iv.end for iv in opening)
            assert end <= day_bounds(day.day, office.tz).end


@PROPERTY_SETTINGS
@given(scenarios())
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
@given(scenarios(), st.randoms(use_true_random=False))
def test_answer_does_not_depend_on_input_order(scenario: Scenario, rng: random.Random) -> None:
    def shuffled(items: Iterable[T]) -> list[T]:
        mixed = list(items)
        rng.shuffle(mixed)
        return mixed

    shuffled_scenario = replace(
        scenario,
        office=replace(scenario.office, closures=tuple(shuffled(scenario.office.closures))),
        counters=[
            replace(
                counter,
                weekly_hours=tuple(shuffled(counter.weekly_hours)),
                absences=tuple(shuffled(counter.absences)),
                busy=tuple(shuffled(counter.busy)),
            )
            for counter in shuffled(scenario.counters)
        ],
        demand=shuffled(scenario.demand),
    )
    assert search(shuffled_scenario) == search(scenario)


@PROPERTY_SETTINGS
@given(scenarios(max_days=2))
def test_counter_for_start_agrees_with_the_search(scenario: Scenario) -> None:
    offers = as_offers(search(scenario))
    office, window = scenario.office, scenario.window
    first = day_bounds(window.first_day, office.tz).start
    last = day_bounds(window.last_day, office.tz).end
    step = office.grid_minutes * 60
    # Every grid start of the window (plain days here: hours stay clear of DST changes).
    for start in range(first, last, step):
        assigned = counter_for_start(
            office=office,
            counters=scenario.counters,
            demand=scenario.demand,
            window=window,
            start=start,
            shortest_minutes=scenario.shortest_minutes,
        )
        assert assigned == offers.get(start)
