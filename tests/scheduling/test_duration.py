"""How long an appointment takes."""

from __future__ import annotations

import pytest

from amtstermin.scheduling import DemandLine, duration_minutes

ID_CARD = DemandLine(service_id=1, first_person_minutes=15, per_person_minutes=15, persons=1)


def registration(persons: int) -> DemandLine:
    return DemandLine(service_id=2, first_person_minutes=10, per_person_minutes=5, persons=persons)


def test_one_id_card_takes_its_first_person_minutes() -> None:
    assert duration_minutes([ID_CARD], grid_minutes=5) == 15


def test_each_further_person_adds_the_per_person_minutes() -> None:
    assert duration_minutes([registration(persons=4)], grid_minutes=5) == 10 + 3 * 5


def test_family_registration_is_rounded_up_to_the_grid() -> None:
    assert duration_minutes([registration(persons=4)], grid_minutes=10) == 30


def test_lines_add_up_before_rounding() -> None:
    # 15 + (10 + 2 * 5) = 35 min, one 15-min grid step short of 45.
    assert duration_minutes([ID_CARD, registration(persons=3)], grid_minutes=15) == 45


def test_a_duration_on_the_grid_is_not_rounded() -> None:
    assert duration_minutes([ID_CARD, ID_CARD], grid_minutes=15) == 30


def test_accepts_any_iterable_of_lines() -> None:
    assert duration_minutes(iter([ID_CARD]), grid_minutes=5) == 15


def test_no_lines_is_an_error() -> None:
    with pytest.raises(ValueError, match="at least one service"):
        duration_minutes([], grid_minutes=5)


def test_fewer_than_one_person_is_an_error() -> None:
    with pytest.raises(ValueError, match="at least one person"):
        duration_minutes([registration(persons=0)], grid_minutes=5)


def test_a_demand_without_minutes_is_an_error() -> None:
    nothing = DemandLine(service_id=3, first_person_minutes=0, per_person_minutes=0, persons=2)
    with pytest.raises(ValueError, match="at least one minute"):
        duration_minutes([nothing], grid_minutes=5)


def test_a_grid_below_one_minute_is_an_error() -> None:
    with pytest.raises(ValueError, match="grid"):
        duration_minutes([ID_CARD], grid_minutes=0)
