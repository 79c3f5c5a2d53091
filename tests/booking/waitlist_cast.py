"""An office with one time a Monday (8:00-8:30 at one counter), booked, and wishes waiting
for it: the cast of the waitlist's tests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from amtstermin.booking import services, waitlist
from amtstermin.booking.demand import Demand, resolve_demand
from amtstermin.booking.models import Appointment, Channel, Office, WaitlistEntry
from amtstermin.booking.services import CitizenDetails
from tests.factories import A_MONDAY, make_counter, make_office, make_service

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)  # a Tuesday, a week before A_MONDAY
EIGHT = datetime(2026, 12, 7, 7, 0, tzinfo=UTC)  # A_MONDAY 8:00 in Berlin


@dataclass(frozen=True)
class OneTime:
    office: Office
    demand: Demand


def one_time_office(**office_fields: object) -> OneTime:
    office = make_office(name="Bürgerbüro Warteliste", slot_minutes=30, **office_fields)
    service = make_service(office, "Reisepass", 30, 0, name_en="Passport")
    make_counter(office, "Schalter 1", [service], [(0, time(8, 0), time(8, 30))])
    return OneTime(office=office, demand=resolve_demand(office=office, pairs=[(service.pk, 1)]))


def book_the_time(place: OneTime, *, now: datetime = NOW) -> Appointment:
    appointment, _token = services.appointment_book(
        demand=place.demand,
        start=EIGHT,
        citizen=CitizenDetails(name="Max Muster", email="", phone="0221 123456"),
        channel=Channel.PHONE,
        staff=True,
        now=now,
    )
    return appointment


def leave_wish(
    place: OneTime,
    email: str,
    *,
    now: datetime = NOW,
    first_day: date = A_MONDAY,
    last_day: date = A_MONDAY,
    activate: bool = True,
    weekdays: frozenset[int] = frozenset(),
    part_of_day: str = "",
) -> tuple[WaitlistEntry, str]:
    wish = waitlist.Wish(
        demand=place.demand,
        first_day=first_day,
        last_day=last_day,
        name="Erika Mustermann",
        email=email,
        weekdays=weekdays,
        part_of_day=part_of_day,
    )
    entry, token = waitlist.waitlist_sign_up(wish=wish, now=now)
    if activate:
        entry = waitlist.waitlist_activate(entry=entry, now=now)
    return entry, token
