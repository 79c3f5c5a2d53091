"""Reads: new times for the appointments of an absence or closure. Nothing here writes.

Each appointment is offered the nearest free time at or after its own start: the same day
first, then the following days; never in the past, never inside the office's lead time, on a
counter that serves its services, outside every absence and closure. The proposals are made
one after the other on the same busy times, each taking its time before the next is searched,
so no two proposals share a counter's time. They are proposals: applying one goes through
``services.appointment_move``, which checks again under the office's lock.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

from amtstermin import scheduling
from amtstermin.booking import selectors
from amtstermin.booking.demand import demand_of_appointment
from amtstermin.booking.models import Appointment, Office

SEARCH_DAYS = 28  # how far after the appointment's own day a new time is looked for
CHUNK_DAYS = 7  # searched a week at a time: most appointments find a time in their first week


@dataclass(frozen=True)
class Proposal:
    appointment: Appointment
    start: datetime | None = None  # None: no free time in SEARCH_DAYS
    end: datetime | None = None
    counter_id: int | None = None


def earliest_start(appointment: Appointment, *, now: datetime) -> datetime:
    """Not before the appointment's own start, nor inside the office's lead time."""
    return max(appointment.start, now + timedelta(minutes=appointment.office.lead_time_minutes))


def propose_times(
    office: Office, appointments: Sequence[Appointment], *, now: datetime
) -> list[Proposal]:
    """A new time for each appointment (in their order), none two on the same time."""
    if not appointments:
        return []
    zone = office.zone
    first_day = min(earliest_start(a, now=now) for a in appointments).astimezone(zone).date()
    last_day = max(a.start for a in appointments).astimezone(zone).date() + timedelta(
        days=SEARCH_DAYS
    )
    inputs = selectors.engine_inputs(
        office, first_day=first_day, last_day=last_day, now=now, staff=True
    )
    counters = list(inputs.counters)
    proposals = []
    for appointment in appointments:
        appointment.office = office
        demand = demand_of_appointment(appointment)
        found = _first_free(appointment, demand.engine_lines(), inputs, counters, now=now)
        if found is None:
            proposals.append(Proposal(appointment))
            continue
        start, counter_id = found
        end = start + demand.duration_minutes * 60
        proposals.append(Proposal(appointment, _utc(start), _utc(end), counter_id))
        counters = _taken(counters, counter_id, scheduling.Interval(start, end))
    return proposals


def _first_free(
    appointment: Appointment,
    demand: list[scheduling.DemandLine],
    inputs: selectors.EngineInputs,
    counters: list[scheduling.CounterInput],
    *,
    now: datetime,
) -> tuple[int, int] | None:
    earliest = earliest_start(appointment, now=now)
    day = earliest.astimezone(appointment.office.zone).date()
    # The appointment's own time counts as taken: it lies inside the blocked time anyway.
    last = appointment.start.astimezone(appointment.office.zone).date() + timedelta(
        days=SEARCH_DAYS
    )
    while day <= last:
        chunk_end = min(day + timedelta(days=CHUNK_DAYS - 1), last)
        window = scheduling.SearchWindow(
            earliest=math.ceil(earliest.timestamp()), first_day=day, last_day=chunk_end
        )
        for found in scheduling.find_free_starts(
            office=inputs.calendar,
            counters=counters,
            demand=demand,
            window=window,
            shortest_minutes=inputs.shortest_minutes,
        ):
            if found.starts:
                counter_id = found.counter_ids[0] if found.counter_ids else appointment.counter_id
                return found.starts[0], counter_id
        day = chunk_end + timedelta(days=1)
    return None


def _taken(
    counters: list[scheduling.CounterInput], counter_id: int, busy: scheduling.Interval
) -> list[scheduling.CounterInput]:
    """The counters with the proposed time marked busy, for the next search."""
    return [
        replace(counter, busy=(*counter.busy, busy))
        if counter.counter_id == counter_id
        else counter
        for counter in counters
    ]


def _utc(instant: int) -> datetime:
    return datetime.fromtimestamp(instant, UTC)
