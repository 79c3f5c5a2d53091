"""Which counter takes a start, decided under the office's lock from the configuration and the
busy times as they are now: the re-check of every booking, move and waitlist offer
(docs/locking.md)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from amtstermin import scheduling
from amtstermin.booking import selectors
from amtstermin.booking.demand import Demand, demand_of_appointment
from amtstermin.booking.errors import SlotTaken, StartNotOffered, error_messages
from amtstermin.booking.housekeeping import expire_lapsed
from amtstermin.booking.models import Appointment, Office
from amtstermin.booking.selectors import BookingWindow, OfficeConfiguration


def configuration_now(office: Office) -> OfficeConfiguration:
    """The office's configuration as it is now: read once, under the lock, and passed down (a
    configuration read before the lock could miss an absence entered meanwhile)."""
    configuration = selectors.office_configuration(office.pk, include_inactive=True)
    if configuration is None:
        raise Office.DoesNotExist(office.pk)
    return configuration


def claim_counter(
    demand: Demand,
    start: datetime,
    now: datetime,
    *,
    staff: bool,
    window: BookingWindow,
    configuration: OfficeConfiguration,
    ignore_id: int | None = None,
    only_counter_id: int | None = None,
) -> int:
    """The counter that takes ``start``, decided under the lock from the office's configuration
    and busy times as they are now."""
    day = start.astimezone(demand.office.zone).date()
    inputs = selectors.engine_inputs(
        demand.office,
        first_day=day,
        last_day=day,
        now=now,
        staff=staff,
        ignore_appointment_id=ignore_id,
        configuration=configuration,
    )
    if inputs.lapsed_ids:
        # Availability already ignores lapsed holds and unconfirmed bookings; the database guard
        # does not, so they are marked expired here, under the lock, before the time is given.
        lapsed = Appointment.objects.lapsed(now).filter(pk__in=inputs.lapsed_ids)
        expire_lapsed(lapsed, now=now, messages_off=lambda _office: configuration.messages_off)
    counters = inputs.counters
    if only_counter_id is not None:
        counters = [counter for counter in counters if counter.counter_id == only_counter_id]
    ask = {
        "office": inputs.calendar,
        "demand": demand.engine_lines(),
        "window": window.clipped(day, day).as_engine(),
        "start": int(start.timestamp()),
        "shortest_minutes": inputs.shortest_minutes,
    }
    counter_id = scheduling.counter_for_start(counters=counters, **ask)  # type: ignore[arg-type]
    if counter_id is not None:
        return counter_id
    idle = [replace(counter, busy=(), spent=()) for counter in counters]
    if scheduling.counter_for_start(counters=idle, **ask) is None:  # type: ignore[arg-type]
        raise StartNotOffered(error_messages["not_offered"], field="start")
    raise SlotTaken(error_messages["slot_taken"])


def reclaim(current: Appointment, now: datetime, configuration: OfficeConfiguration) -> int:
    """The counter that takes a lapsed appointment's own time again, as a citizen would book it
    (``claim_counter`` itself marks the day's lapsed holds expired first)."""
    return claim_counter(
        demand_of_appointment(current),
        current.start,
        now,
        staff=False,
        window=selectors.booking_window(current.office, now=now),
        configuration=configuration,
        ignore_id=current.pk,
    )
