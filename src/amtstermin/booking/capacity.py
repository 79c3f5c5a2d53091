"""Staff-only capacity as the slot engine sees it (the rule: ``scheduling.capacity``).

The office's configuration carries each counter's staff-only time; a search for citizens
online keeps it back and lets the counter's online bookings spend its share of the day, a
search for staff ignores it. Availability and the booking's check under the lock both build
their engine input through ``selectors.engine_inputs``, so both apply the same rule.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import replace

from amtstermin import scheduling
from amtstermin.booking.models import Office, StaffOnlyTime


def reserved_times(office: Office) -> dict[int, tuple[scheduling.ReservedTime, ...]]:
    """Per active counter of the office, its staff-only time."""
    found: dict[int, list[scheduling.ReservedTime]] = defaultdict(list)
    for entry in StaffOnlyTime.objects.filter(counter__office=office, counter__active=True):
        found[entry.counter_id].append(
            scheduling.ReservedTime(
                weekday=entry.weekday,
                start=entry.start,
                end=entry.end,
                share_percent=entry.share_percent,
                valid_from=entry.valid_from,
                valid_until=entry.valid_until,
            )
        )
    return {counter_id: tuple(entries) for counter_id, entries in found.items()}


def for_search(
    counter: scheduling.CounterInput,
    *,
    staff: bool,
    online_bookings: Iterable[scheduling.Interval],
) -> scheduling.CounterInput:
    """The counter for a staff search (nothing kept back) or for citizens online (its staff-only
    time kept back, its online bookings spending the share of the day)."""
    if not counter.reserved:
        return counter
    if staff:
        return replace(counter, reserved=(), spent=())
    return replace(counter, spent=tuple(online_bookings))
