"""The day plan shows each counter's staff-only time (kept back from online bookings)."""

from __future__ import annotations

from datetime import time

from django.test import Client

from amtstermin.booking.models import StaffOnlyTime, Weekday

from .conftest import DAY, Cast, client_for


def test_the_day_plan_names_the_staff_only_time_of_each_counter(cast: Cast) -> None:
    first, second = cast.counters_a
    StaffOnlyTime.objects.create(counter=first, weekday=Weekday.MONDAY, start=time(8), end=time(9))
    StaffOnlyTime.objects.create(counter=second, weekday=Weekday.MONDAY, share_percent=20)
    StaffOnlyTime.objects.create(counter=second, weekday=Weekday.TUESDAY, share_percent=50)
    body = client_for(cast.clerk_a).get(f"/backoffice/{cast.office_a.pk}/day/{DAY}/")
    text = body.content.decode()
    assert "Staff only, not offered online: 08:00–09:00" in text
    assert "Staff only, not offered online: 20 % of the day" in text
    assert "50 %" not in text  # Tuesday's


def test_the_day_plan_says_it_in_german(cast: Cast) -> None:
    StaffOnlyTime.objects.create(
        counter=cast.counters_a[0], weekday=Weekday.MONDAY, share_percent=20
    )
    client = Client(HTTP_ACCEPT_LANGUAGE="de")
    client.force_login(cast.clerk_a)
    text = client.get(f"/backoffice/{cast.office_a.pk}/day/{DAY}/").content.decode()
    assert "Nur intern, nicht online buchbar: 20 % des Tages" in text
