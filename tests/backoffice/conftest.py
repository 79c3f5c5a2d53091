"""A small cast for the back office: two offices, a clerk and a head in office A, a clerk in
office B, an IT administrator; the clock stands on a Monday morning in office A."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
import time_machine
from django.contrib.auth.models import Group, User
from django.test import Client

from amtstermin.booking import devices, roles, services
from amtstermin.booking.demand import resolve_demand
from amtstermin.booking.models import Appointment, Counter, Office, Service, StaffMembership
from amtstermin.booking.services import CitizenDetails
from tests.factories import WEEKDAY_MORNINGS, make_counter, make_office, make_service, small_office

# Monday 2026-12-07, 08:30 in Berlin (UTC+1): the office is open 08:00-12:00.
NOW = datetime(2026, 12, 7, 7, 30, tzinfo=UTC)
DAY = "2026-12-07"


def at(hour: int, minute: int = 0) -> datetime:
    """That Monday at a Berlin wall time."""
    return datetime(2026, 12, 7, hour - 1, minute, tzinfo=UTC)


@dataclass
class Cast:
    office_a: Office
    office_b: Office
    services_a: dict[str, Service]
    counters_a: list[Counter]
    service_b: Service
    counter_b: Counter
    clerk_a: User
    head_a: User
    clerk_b: User
    it_admin: User
    kiosk_token: str = ""  # paired on first use (tests of the kiosk)


def make_staff(username: str, group: str, *offices: Office, password: str = "") -> User:
    user = User.objects.create_user(username=username, password=password or None, is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    for office in offices:
        StaffMembership.objects.create(user=user, office=office)
    return user


@pytest.fixture
def frozen() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def cast(db: None, frozen: time_machine.Traveller) -> Cast:
    roles.ensure_staff_groups()
    office_a, services_a, counters_a = small_office()
    office_b = make_office(name="Bürgerbüro Anderswo")
    service_b = make_service(office_b, "Personalausweis", 15)
    counter_b = make_counter(office_b, "Schalter B", [service_b], WEEKDAY_MORNINGS)
    return Cast(
        office_a=office_a,
        office_b=office_b,
        services_a=services_a,
        counters_a=counters_a,
        service_b=service_b,
        counter_b=counter_b,
        clerk_a=make_staff("clerk-a", roles.CLERK, office_a),
        head_a=make_staff("head-a", roles.OFFICE_HEAD, office_a),
        clerk_b=make_staff("clerk-b", roles.CLERK, office_b),
        it_admin=make_staff("it", roles.IT_ADMIN, office_a),
    )


def book(
    office: Office,
    service: Service,
    start: datetime,
    name: str = "Erika Mustermann",
    email: str = "erika@example.org",
) -> Appointment:
    demand = resolve_demand(office=office, pairs=[(service.pk, 1)], staff=True)
    appointment, _token = services.appointment_book(
        demand=demand,
        start=start,
        citizen=CitizenDetails(name=name, email=email),
        staff=True,
        now=NOW,
    )
    return appointment


def client_for(user: User) -> Client:
    """Logged in, asking for English (the source language the tests match against)."""
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def pair(office: Office, kind: str, by: User | None = None) -> str:
    """A paired kiosk's or display's secret link token."""
    head = by or User.objects.filter(groups__name=roles.OFFICE_HEAD).first()
    assert head is not None
    return devices.device_pair(office=office, kind=kind, name=f"{kind} test", staff_user=head).token
