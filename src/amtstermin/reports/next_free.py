"""Time to the next free appointment: per online service, for one person, how many days
ahead the first free online time lies, from the same availability the citizen pages ask."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from amtstermin import scheduling
from amtstermin.booking import selectors
from amtstermin.booking.demand import Demand, DemandItem
from amtstermin.booking.models import Office, Service
from amtstermin.reports.models import NextFreeSample


def first_free_day(service: Service, *, now: datetime) -> date | None:
    """The office-local day of the first free online start for one person (None: nothing in
    the booking window). Reads week by week, as the citizen's calendar does."""
    office = service.office
    demand = Demand(office=office, items=(DemandItem(service=service, persons=1),))
    window = selectors.booking_window(office, now=now)
    day = window.first_day
    while day <= window.last_day:
        last = min(day + timedelta(days=6), window.last_day)
        for found in selectors.availability(demand, first_day=day, last_day=last, now=now):
            if found.starts:
                return scheduling.local_day(found.starts[0], office.zone)
        day = last + timedelta(days=1)
    return None


def days_ahead(service: Service, *, now: datetime) -> int | None:
    found = first_free_day(service, now=now)
    if found is None:
        return None
    return (found - now.astimezone(service.office.zone).date()).days


def sample_office(office: Office, *, now: datetime) -> list[NextFreeSample]:
    today = now.astimezone(office.zone).date()
    samples = [
        NextFreeSample(
            office=office,
            service=service,
            taken_at=now,
            day=today,
            days_ahead=days_ahead(service, now=now),
        )
        for service in selectors.service_list(office=office)
        if service.bookable_online  # the one rule, as the citizen pages and the public page
    ]
    return NextFreeSample.objects.bulk_create(samples)


def sample_all(*, now: datetime) -> int:
    return sum(len(sample_office(office, now=now)) for office in Office.objects.filter(active=True))
