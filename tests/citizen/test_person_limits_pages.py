"""The booking pages say in plain words why a booking beyond the per-person limits is refused."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from django.test import Client

from amtstermin.booking import services
from amtstermin.booking.demand import resolve_demand
from amtstermin.booking.models import Appointment, AppointmentStatus, Channel
from amtstermin.booking.services import CitizenDetails
from tests.citizen.conftest import MONDAY_8, VALID_DETAILS, Cast, hold_time
from tests.proof import proof


def test_a_third_booking_with_one_address_is_refused_on_the_review_page(
    client: Client, cast: Cast
) -> None:
    demand = resolve_demand(office=cast.office, pairs=[(cast.services["id_card"].pk, 1)])
    citizen = CitizenDetails(name="Erika Mustermann", email="Erika+alt@Example.org")
    for hour in (2, 3):
        services.appointment_book(
            demand=demand, start=MONDAY_8 + timedelta(hours=hour), citizen=citizen
        )
    hold_time(client, cast)
    client.post("/booking/details/", VALID_DETAILS)
    response = client.post("/booking/review/", proof(client), headers={"Accept-Language": "en"})
    assert response.status_code == 409
    page = response.content.decode()
    assert "already 2 appointments at this office" in page
    alert = page.split('role="alert"')[1].split("</div>")[0]  # announced to screen readers
    assert "already 2 appointments at this office" in alert
    held = Appointment.objects.get(channel=Channel.ONLINE, start=MONDAY_8)
    assert held.status == AppointmentStatus.HELD


def test_after_two_extensions_the_button_gives_way_to_an_explanation(
    client: Client, cast: Cast, clock: time_machine.Traveller
) -> None:
    hold_time(client, cast)
    for _ in range(2):
        assert (
            "I need more time"
            in client.get("/booking/details/", headers={"Accept-Language": "en"}).content.decode()
        )
        clock.shift(timedelta(minutes=5))
        client.post("/booking/extend/", {"next": "details"})
    page = client.get("/booking/details/", headers={"Accept-Language": "en"}).content.decode()
    assert "I need more time" not in page
    assert 'id="no-more-time"' in page
    response = client.post("/booking/extend/", {"next": "details"}, follow=True)
    assert "zweimal" in response.content.decode()  # the refusal, in German by default
    assert Appointment.objects.get().status == AppointmentStatus.HELD
