"""How long an appointment for a demand takes."""

from __future__ import annotations

from collections.abc import Iterable

from amtstermin.scheduling.types import DemandLine


def duration_minutes(lines: Iterable[DemandLine], grid_minutes: int) -> int:
    """Minutes for all lines, rounded up to the office grid.

    Each line takes ``first_person_minutes`` plus ``per_person_minutes`` for every further
    person.
    """
    if grid_minutes < 1:
        raise ValueError("the grid must be at least one minute")
    total = 0
    line_count = 0
    for line in lines:
        if line.persons < 1:
            raise ValueError(f"service {line.service_id}: at least one person is needed")
        total += line.first_person_minutes + (line.persons - 1) * line.per_person_minutes
        line_count += 1
    if line_count == 0:
        raise ValueError("a demand needs at least one service")
    if total < 1:
        raise ValueError("a demand must take at least one minute")
    return -(-total // grid_minutes) * grid_minutes
