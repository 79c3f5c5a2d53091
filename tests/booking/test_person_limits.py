"""One person holds at most the office's number of appointments, and a hold is extended at
most twice: one script cannot keep an office's calendar full."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.utils import translation

from amtstermin.booking import services
from amtstermin.booking.contact import email_identity, phone_identity
from amtstermin.booking.demand import Demand, resolve_demand
from amtstermin.booking.errors import ExtensionRefused, PersonLimitReached
from amtstermin.booking.housekeeping import purge_personal_data
from amtstermin.booking.models import Appointment, AppointmentStatus, Channel, Office
from amtstermin.booking.services import CitizenDetails
from amtstermin.reports.models import DailyServiceFigures
from tests.factories import A_MONDAY, small_office

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)  # a Tuesday, a week before A_MONDAY


def at(hour: int, minute: int = 0) -> datetime:
    """A_MONDAY at a Berlin wall time (UTC+1 in December)."""
    return datetime(A_MONDAY.year, A_MONDAY.month, A_MONDAY.day, hour - 1, minute, tzinfo=UTC)


@pytest.fixture
def demand(db: None) -> Demand:
    office, svc, _counters = small_office()
    return resolve_demand(office=office, pairs=[(svc["id_card"].pk, 1)])


def book(demand: Demand, start: datetime, email: str = "", phone: str = "") -> Appointment:
    citizen = CitizenDetails(name="Erika Mustermann", email=email, phone=phone)
    channel = Channel.ONLINE if email else Channel.PHONE
    appointment, _token = services.appointment_book(
        demand=demand, start=start, citizen=citizen, channel=channel, now=NOW
    )
    return appointment


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Erika@Example.org", "erika@example.ORG"),
        ("erika+termin@example.org", "erika@example.org"),
        ("erika.mustermann@gmail.com", "ErikaMustermann+x@googlemail.com"),
    ],
)
def test_addresses_of_one_person_are_one_identity(one: str, other: str) -> None:
    assert email_identity(one) == email_identity(other)


def test_dots_count_outside_gmail_and_different_people_stay_apart() -> None:
    assert email_identity("erika.m@example.org") != email_identity("erikam@example.org")
    assert email_identity("erika@example.org") != email_identity("erika@example.com")
    assert email_identity("") == ""


@pytest.mark.parametrize("number", ["+49 221 12345", "0049 (0)221 12345", "0221 / 123 45"])
def test_numbers_of_one_line_are_one_identity(number: str) -> None:
    assert phone_identity(number) == "022112345"
    assert phone_identity("+43 221 12345") != "022112345"


def test_a_third_online_booking_with_a_variant_of_the_address_is_refused(demand: Demand) -> None:
    book(demand, at(8), "erika@example.org")
    book(demand, at(9), "Erika+zwei@Example.org")
    with pytest.raises(PersonLimitReached) as refused, translation.override("en"):
        book(demand, at(10), "ERIKA@example.org")
    assert "already 2 appointments" in refused.value.message
    assert Appointment.objects.count() == 2
    # Another person books as before.
    assert book(demand, at(10), "max@example.org").status == AppointmentStatus.CONFIRMED


def test_the_limit_is_the_offices_setting_and_per_office(demand: Demand) -> None:
    Office.objects.filter(pk=demand.office.pk).update(appointments_per_person=1)
    demand.office.refresh_from_db()
    book(demand, at(8), "erika@example.org")
    with pytest.raises(PersonLimitReached):
        book(demand, at(9), "erika@example.org")
    other_office, svc, _counters = small_office()
    elsewhere = resolve_demand(office=other_office, pairs=[(svc["id_card"].pk, 1)])
    assert book(elsewhere, at(8), "erika@example.org").office == other_office


def test_the_phone_number_counts_too(demand: Demand) -> None:
    book(demand, at(8), "a@example.org", phone="0221 12345")
    book(demand, at(9), "b@example.org", phone="+49 221 12345")
    with pytest.raises(PersonLimitReached):
        book(demand, at(10), "c@example.org", phone="0049 221 / 123 45")


def test_cancelled_past_and_staff_bookings_do_not_count(demand: Demand) -> None:
    first = book(demand, at(8), "erika@example.org")
    book(demand, at(9), "erika@example.org")
    services.appointment_cancel(appointment=first, now=NOW)
    book(demand, at(10), "erika@example.org")  # the cancelled one no longer counts
    # Staff booking for a caller are not limited: the clerk decides.
    citizen = CitizenDetails(name="Erika Mustermann", email="erika@example.org")
    services.appointment_book(
        demand=demand, start=at(11), citizen=citizen, channel=Channel.PHONE, staff=True, now=NOW
    )
    # Once the appointments are over, the person may book again.
    later = NOW + timedelta(days=7)
    services.appointment_book(
        demand=demand,
        start=at(8) + timedelta(days=7),
        citizen=citizen,
        now=later,
    )


def test_completing_a_hold_beyond_the_limit_is_refused_and_the_hold_stays(demand: Demand) -> None:
    book(demand, at(8), "erika@example.org")
    book(demand, at(9), "erika@example.org")
    hold, _token = services.appointment_hold(demand=demand, start=at(10), now=NOW)
    citizen = CitizenDetails(name="Erika Mustermann", email="erika@example.org")
    with pytest.raises(PersonLimitReached):
        services.appointment_complete_hold(appointment=hold, citizen=citizen, now=NOW)
    hold.refresh_from_db()
    assert hold.status == AppointmentStatus.HELD and hold.email == ""


def test_a_hold_is_extended_at_most_twice_and_still_runs_its_time(demand: Demand) -> None:
    hold, _token = services.appointment_hold(demand=demand, start=at(10), now=NOW)
    for minutes in (5, 10):
        services.appointment_extend_hold(appointment=hold, now=NOW + timedelta(minutes=minutes))
    with pytest.raises(ExtensionRefused):
        services.appointment_extend_hold(appointment=hold, now=NOW + timedelta(minutes=15))
    hold.refresh_from_db()
    assert hold.status == AppointmentStatus.HELD
    assert hold.held_until == NOW + timedelta(minutes=10 + hold.office.hold_minutes)
    assert hold.hold_extensions == 2


def test_the_purge_erases_the_identities_with_the_rest(demand: Demand) -> None:
    appointment = book(demand, at(8), "erika@example.org", phone="0221 12345")
    assert appointment.email_identity and appointment.phone_identity
    purge_personal_data(now=at(8) + timedelta(days=demand.office.retention_days + 1))
    appointment.refresh_from_db()
    assert appointment.email_identity == "" and appointment.phone_identity == ""


def test_the_api_answers_409_naming_the_limit(demand: Demand) -> None:
    office = demand.office
    service_id = demand.items[0].service.pk
    client = Client(headers={"Accept-Language": "en"})
    with time_machine.travel(NOW, tick=False):
        responses = [post(client, office.pk, service_id, hour) for hour in (8, 9, 10)]
    assert [response.status_code for response in responses] == [201, 201, 409]
    assert "already 2 appointments" in responses[-1].json()["detail"]


def post(client: Client, office_id: int, service_id: int, hour: int) -> Any:
    return client.post(
        "/api/v1/appointments",
        {
            "office_id": office_id,
            "services": [{"service_id": service_id, "persons": 1}],
            "start": f"{A_MONDAY.isoformat()}T{hour:02d}:00",
            "name": "Erika Mustermann",
            "email": f"erika+{hour}@example.org",
        },
        content_type="application/json",
    )


def test_a_refusal_for_the_limit_is_counted_for_the_statistics(demand: Demand) -> None:
    office = demand.office
    service_id = demand.items[0].service.pk
    client = Client()
    with time_machine.travel(NOW, tick=False):
        for hour in (8, 9, 10):
            post(client, office.pk, service_id, hour)
    figures = DailyServiceFigures.objects.get(office=office, service_id=service_id)
    assert figures.day == NOW.date() and figures.refused_limit == 1
