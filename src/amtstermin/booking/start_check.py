"""The first rule of every booking and move: a start that no counter could ever take as asked
(off the grid, past, inside the lead time, outside the window) is refused before the lock."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from amtstermin.booking.demand import Demand
from amtstermin.booking.errors import StartNotOffered, error_messages
from amtstermin.booking.selectors import BookingWindow
from amtstermin.languages import formatting


def check_start(demand: Demand, start: datetime, now: datetime, window: BookingWindow) -> None:
    """Refuse a start that no counter could ever take as asked, before taking the lock."""
    office = demand.office
    if timezone.is_naive(start):
        raise StartNotOffered(error_messages["start_without_zone"], field="start")
    local = start.astimezone(office.zone)
    if local.second or local.microsecond or (local.hour * 60 + local.minute) % office.slot_minutes:
        raise StartNotOffered(
            error_messages["off_grid"] % {"minutes": office.slot_minutes},
            field="start",
        )
    if start < now:
        raise StartNotOffered(error_messages["in_the_past"], field="start")
    if start < window.earliest:
        raise StartNotOffered(
            error_messages["inside_lead_time"] % {"hours": f"{office.lead_time_minutes / 60:g}"},
            field="start",
        )
    if not window.first_day <= local.date() <= window.last_day:
        raise StartNotOffered(
            error_messages["outside_window"]
            % {
                "first": formatting.long_date(window.first_day),
                "last": formatting.long_date(window.last_day),
            },
            field="start",
        )
