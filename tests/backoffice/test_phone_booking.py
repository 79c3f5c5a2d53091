"""Booking for a caller: the next free times across days, a week of free times, a chosen
counter, and a phone number or an e-mail address to reach the caller."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import time_machine

from amtstermin.booking import services
from amtstermin.booking.demand import resolve_demand
from amtstermin.booking.models import Appointment, Channel
from amtstermin.booking.services import CitizenDetails

from .conftest import DAY, Cast, at, client_for

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as TestResponse

BERLIN = ZoneInfo("Europe/Berlin")


def _page(cast: Cast, **query: Any) -> TestResponse:
    return client_for(cast.clerk_a).get(f"/backoffice/{cast.office_a.pk}/book/", query)


def _post(cast: Cast, **data: Any) -> TestResponse:
    return client_for(cast.clerk_a).post(f"/backoffice/{cast.office_a.pk}/book/", data)


def _local(value: str) -> datetime:
    return datetime.fromisoformat(value).replace(tzinfo=BERLIN)


def test_next_free_times_lie_after_now_and_leave_room_for_the_services(
    cast: Cast, frozen: time_machine.Traveller
) -> None:
    frozen.move_to(at(11, 40))  # 20 minutes before closing: 30 minutes do not fit today
    id_card = cast.services_a["id_card"]
    response = _page(cast, **{f"persons_{id_card.pk}": "2"})
    assert response.status_code == 200
    starts = [_local(slot.value) for slot in response.context["next_times"]]
    assert len(starts) == 9
    assert starts[0] == at(8) + timedelta(days=1)  # Tuesday, when the counters open
    for start in starts:
        assert start >= at(11, 40)
        local = start.astimezone(BERLIN)
        assert local + timedelta(minutes=30) <= local.replace(hour=12, minute=0)
    assert len({start.date() for start in starts}) == 3  # three a day, across days


def test_a_chosen_counter_limits_the_free_times_and_gets_the_booking(cast: Cast) -> None:
    id_card = cast.services_a["id_card"]
    second = cast.counters_a[1]
    demand = resolve_demand(office=cast.office_a, pairs=[(id_card.pk, 1)], staff=True)
    services.appointment_book(
        demand=demand,
        start=at(8, 30),
        citizen=CitizenDetails(name="Erika Mustermann", email="erika@example.org"),
        staff=True,
        counter=second,
    )
    persons = {f"persons_{id_card.pk}": "1"}
    any_counter = _page(cast, **persons).context["next_times"]
    assert any_counter[0].value == f"{DAY}T08:30"  # the first counter is free
    on_second = _page(cast, counter=second.pk, **persons).context["next_times"]
    assert on_second[0].value == f"{DAY}T08:45"
    response = _post(
        cast, counter=second.pk, slot=f"{DAY}T09:00", name="Karl Anrufer", phone="0221 12345",
        **persons,
    )  # fmt: skip
    assert response.status_code == 302
    assert Appointment.objects.get(citizen_name="Karl Anrufer").counter == second


def test_a_counter_without_all_the_services_is_refused(cast: Cast) -> None:
    copies = cast.services_a["copies"]  # only at the first counter
    second = cast.counters_a[1]
    response = _page(cast, counter=second.pk, **{f"persons_{copies.pk}": "1"})
    body = response.content.decode()
    assert 'role="alert"' in body and "does not offer all the chosen services" in body
    assert not response.context["next_times"]
    options = [counter.pk for counter in response.context["counters"]]
    assert options == [cast.counters_a[0].pk]
    posted = _post(
        cast, counter=second.pk, slot=f"{DAY}T09:00", name="Karl Anrufer", phone="0221 12345",
        **{f"persons_{copies.pk}": "1"},
    )  # fmt: skip
    assert posted.status_code == 400 and not Appointment.objects.exists()


def test_a_phone_number_or_an_email_address_is_required(cast: Cast) -> None:
    id_card = cast.services_a["id_card"]
    response = _post(
        cast, slot=f"{DAY}T09:00", name="Karl Anrufer", **{f"persons_{id_card.pk}": "1"}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert 'role="alert"' in body and "one of the two is needed" in body
    assert body.count('aria-describedby="book-contact-error"') == 2  # phone and e-mail
    assert not Appointment.objects.exists()


def test_an_email_address_alone_is_enough(cast: Cast) -> None:
    id_card = cast.services_a["id_card"]
    response = _post(
        cast, slot=f"{DAY}T09:00", name="Karl Anrufer", email="karl@example.org",
        channel="counter", **{f"persons_{id_card.pk}": "1"},
    )  # fmt: skip
    assert response.status_code == 302
    booked = Appointment.objects.get()
    assert booked.channel == Channel.COUNTER and booked.phone == ""


def test_the_whole_flow_books_the_first_next_free_time(cast: Cast) -> None:
    registration = cast.services_a["registration"]
    persons = {f"persons_{registration.pk}": "2"}
    first = _page(cast, **persons).context["next_times"][0]
    response = _post(cast, slot=first.value, name="Karl Anrufer", phone="0221 12345", **persons)
    assert response.status_code == 302
    booked = Appointment.objects.get()
    assert booked.start == _local(first.value) == at(8, 30)
    assert booked.end - booked.start == timedelta(minutes=15)  # 10 + 5 for the second person
    assert booked.channel == Channel.PHONE and booked.phone == "0221 12345"


def test_the_week_shows_the_first_free_time_of_each_hour_and_pages_by_week(cast: Cast) -> None:
    id_card = cast.services_a["id_card"]
    persons = {f"persons_{id_card.pk}": "1"}
    grid = _page(cast, **persons).context["grid"]
    assert [day.isoformat() for day in grid.days][:1] == [DAY]
    assert len(grid.days) == 5  # Monday to Friday: nothing is free at the weekend
    assert [row.hour for row in grid.rows] == ["08:00", "09:00", "10:00", "11:00"]
    assert grid.rows[0].slots[0].time == "08:30" and grid.rows[1].slots[0].time == "09:00"
    response = _page(cast, week="2026-12-14", **persons)
    assert response.context["grid"].days[0].isoformat() == "2026-12-14"
    body = response.content.decode()
    assert "week=2026-12-07" in body and "week=2026-12-21" in body  # previous and next


def test_a_day_shows_all_its_free_times_by_hour(cast: Cast) -> None:
    id_card = cast.services_a["id_card"]
    response = _page(cast, day="2026-12-08", **{f"persons_{id_card.pk}": "1"})
    rows = response.context["day_rows"]
    assert rows[0].hour == "08:00" and [slot.time for slot in rows[0].slots][:3] == [
        "08:00",
        "08:05",
        "08:10",
    ]
    assert response.context["grid"].days[0].isoformat() == DAY  # the day's week


def test_the_clerk_books_in_the_callers_language(cast: Cast) -> None:
    id_card = cast.services_a["id_card"]
    persons = {f"persons_{id_card.pk}": "1"}
    first = _page(cast, **persons).context["next_times"][0]
    response = _post(
        cast, slot=first.value, name="Karl Anrufer", phone="0221 12345", language="tr", **persons
    )
    assert response.status_code == 302
    assert Appointment.objects.get(citizen_name="Karl Anrufer").language == "tr"


def test_the_callers_language_defaults_to_german_and_must_be_one_the_site_speaks(
    cast: Cast,
) -> None:
    id_card = cast.services_a["id_card"]
    persons = {f"persons_{id_card.pk}": "1"}
    first = _page(cast, **persons).context["next_times"][0]
    refused = _post(
        cast, slot=first.value, name="Karl Anrufer", phone="0221 12345", language="xx", **persons
    )
    assert refused.status_code == 400
    assert 'id="book-language-error"' in refused.content.decode()
    assert not Appointment.objects.exists()
    booked = _post(cast, slot=first.value, name="Karl Anrufer", phone="0221 12345", **persons)
    assert booked.status_code == 302
    assert Appointment.objects.get().language == "de"
