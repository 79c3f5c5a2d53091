"""Odd input on staff pages and the kiosk is refused or ignored, never a server error."""

from __future__ import annotations

from django.test import Client

from tests.backoffice.conftest import Cast, client_for, pair


def test_staff_pages_survive_odd_ids_and_days(cast: Cast) -> None:
    office = cast.office_a.pk
    clerk = client_for(cast.head_a)
    for url in (
        f"/backoffice/{office}/day/9999-12-31/",
        f"/backoffice/{office}/day/0001-01-01/",
        f"/backoffice/{office}/book/?persons_1=²",
        f"/backoffice/{office}/book/?day=9999-12-31&persons_1=1",
        f"/backoffice/{office}/queue/?counter=²",
        f"/backoffice/{office}/day/?print=1&counter=²",
        f"/backoffice/{office}/statistics/?last=0001-01-02",
        f"/backoffice/{office}/queue/?counter={'9' * 30}",
    ):
        assert clerk.get(url).status_code < 500, url


def test_the_kiosk_survives_odd_service_ids(cast: Cast) -> None:
    kiosk = Client(HTTP_ACCEPT_LANGUAGE="en")
    token = pair(cast.office_a, "kiosk")
    for value in ("²", "9" * 25, "-1", ""):
        response = kiosk.post(f"/kiosk/{token}/", {"action": "walk-in", "service": value})
        assert response.status_code == 400, value


def test_a_time_with_a_zone_is_refused_at_the_field(cast: Cast) -> None:
    id_card = cast.services_a["id_card"]
    response = client_for(cast.clerk_a).post(
        f"/backoffice/{cast.office_a.pk}/book/",
        {f"persons_{id_card.pk}": "1", "day": "2026-12-07", "time": "09:00+01:00", "name": "Karl"},
    )
    assert response.status_code == 400
    assert "Please choose a free time." in response.content.decode()


def test_an_absence_with_a_zoned_time_is_refused_at_the_field(cast: Cast) -> None:
    response = client_for(cast.head_a).post(
        f"/backoffice/{cast.office_a.pk}/absences/",
        {"scope": "office", "start_day": "2026-12-07", "start_time": "08:00+01:00"},
    )
    assert response.status_code == 400
    assert "like 2027-03-01 and 08:00" in response.content.decode()
