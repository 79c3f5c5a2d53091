"""The day-and-time page lists closed days as closed, and splits a day's times into morning and
afternoon as the office's hours divide it (issue 16)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, time

from django.test import Client

from amtstermin.booking.models import Absence, Closure
from tests.citizen.conftest import Cast
from tests.factories import make_counter, make_office, make_service

WEEK_OF_CHRISTMAS = "week=2026-12-21"


def _day_states(html: str) -> dict[str, str]:
    """Each listed day without free times and what the page says about it."""
    found = re.findall(
        r'<span class="day day-none">([^<]*?) <span class="day-count">([^<]*)</span>', html
    )
    return dict(found)


def _week(client: Client, cast: Cast, language: str = "de") -> str:
    url = f"/o/{cast.office.pk}/time/?services={cast.services['id_card'].pk}:1&{WEEK_OF_CHRISTMAS}"
    return client.get(url, headers={"Accept-Language": language}).content.decode()


def test_weekends_holidays_and_closures_say_closed_and_a_full_day_no_free_time(
    client: Client, cast: Cast
) -> None:
    Closure.objects.create(
        office=cast.office,
        start=datetime(2026, 12, 21, 23, 0, tzinfo=UTC),  # all of Tuesday 22 December
        end=datetime(2026, 12, 22, 23, 0, tzinfo=UTC),
        reason="Umzug",
    )
    for counter in cast.counters:  # nobody at the counters on Wednesday: open, nothing free
        Absence.objects.create(
            counter=counter,
            start=datetime(2026, 12, 23, 6, 0, tzinfo=UTC),
            end=datetime(2026, 12, 23, 12, 0, tzinfo=UTC),
        )
    assert _day_states(_week(client, cast)) == {
        "Dienstag, 22. Dezember": "geschlossen",
        "Mittwoch, 23. Dezember": "keine freie Zeit",
        "Freitag, 25. Dezember": "geschlossen",  # Christmas Day in North Rhine-Westphalia
        "Samstag, 26. Dezember": "geschlossen",
        "Sonntag, 27. Dezember": "geschlossen",
    }


def test_closed_days_say_closed_in_english(client: Client, cast: Cast) -> None:
    states = _day_states(_week(client, cast, "en"))
    assert states["Saturday 26 December"] == "closed"
    assert "no free time" not in states.values()


def _split_office_page(client: Client, day: str) -> tuple[list[str], list[str]]:
    """An office open 08:00-12:30 every weekday and also 14:00-18:00 on Tuesdays, and from
    13:00 only on Wednesdays: the times of ``day`` under each heading."""
    office = make_office(name="Bürgerbüro Mittag")
    service = make_service(office, "Meldebescheinigung", 15)
    hours = [(weekday, time(8), time(12, 30)) for weekday in (0, 1, 3, 4)]
    hours += [(1, time(14), time(18)), (2, time(13), time(17))]
    make_counter(office, "Schalter 1", [service], hours)
    html = client.get(
        f"/o/{office.pk}/time/?services={service.pk}:1&week=2026-12-07&day={day}"
    ).content.decode()
    times = html[html.index('id="times-title"') :]

    def under(heading: str) -> list[str]:
        match = re.search(rf"<h3>{heading}</h3>\s*<div class=\"time-buttons\">(.*?)</div>", times)
        return re.findall(r">(\d\d:\d\d)</button>", match.group(1)) if match else []

    return under("Vormittag"), under("Nachmittag")


def test_morning_and_afternoon_follow_the_offices_hours(client: Client, cast: Cast) -> None:
    # A split day: 12:00 to 12:15 of the morning session are morning times.
    morning, afternoon = _split_office_page(client, "2026-12-08")
    assert morning[0] == "08:00" and morning[-4:] == ["12:00", "12:05", "12:10", "12:15"]
    assert afternoon[0] == "14:00" and "12:00" not in afternoon
    # A day that opens at 13:00 has only afternoon times.
    morning, afternoon = _split_office_page(client, "2026-12-09")
    assert morning == []
    assert afternoon[0] == "13:00" and afternoon[-1] == "16:45"
