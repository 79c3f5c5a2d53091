"""Counters raised where they happen: refused searches and waitlist sign-ups.

The pages and the API call them after the refusal (booking itself never imports reports):
``record_refusals(demand, reason, now)`` when a booking is refused for a per-person limit or a
search finds nothing free, once for each service asked for.

They add one in a single UPDATE (or create the day's row), so concurrent calls add up.
"""

from __future__ import annotations

from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.db.models import F

from amtstermin.booking import write_queue
from amtstermin.booking.demand import Demand
from amtstermin.booking.models import Office, Service, WaitlistEntry
from amtstermin.booking.office_texts import german
from amtstermin.reports.models import DailyServiceFigures

REFUSED_LIMIT = "limit"
REFUSED_NOTHING_FREE = "nothing_free"
_REFUSAL_FIELDS = {
    REFUSED_LIMIT: "refused_limit",
    REFUSED_NOTHING_FREE: "refused_nothing_free",
}


def _increment(office: Office, day: date, service: Service | None, field: str) -> None:
    rows = DailyServiceFigures.objects.filter(office=office, day=day, service=service)
    with write_queue.turn():  # SQLite: in the writers' queue, as every write of a rush
        if rows.update(**{field: F(field) + 1}):
            return
        try:
            with transaction.atomic():
                DailyServiceFigures.objects.create(
                    office=office,
                    day=day,
                    service=service,
                    service_name=german(service, "name") if service is not None else "",
                    **{field: 1},
                )
        except IntegrityError:  # created meanwhile by a concurrent call
            rows.update(**{field: F(field) + 1})


def record_refusal(
    office: Office, day: date, reason: str, *, service: Service | None = None
) -> None:
    """One search or booking refused on this (office-local) day, for ``reason``
    (``REFUSED_LIMIT`` or ``REFUSED_NOTHING_FREE``)."""
    _increment(office, day, service, _REFUSAL_FIELDS[reason])


def record_refusals(demand: Demand, reason: str, now: datetime) -> None:
    """A booking or search for ``demand`` was refused: one for each of its services."""
    day = now.astimezone(demand.office.zone).date()
    for item in demand.items:
        record_refusal(demand.office, day, reason, service=item.service)


def record_waitlist_signups(entry: WaitlistEntry, now: datetime) -> None:
    """A citizen left a wish: one for each of its services."""
    day = now.astimezone(entry.office.zone).date()
    for line in entry.lines.select_related("service"):
        record_waitlist_signup(entry.office, day, service=line.service)


def record_waitlist_signup(office: Office, day: date, *, service: Service | None = None) -> None:
    """One citizen signed up for the waitlist on this (office-local) day."""
    _increment(office, day, service, "waitlist_signups")
