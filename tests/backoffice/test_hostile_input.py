"""Odd input on staff pages and the kiosk is refused or ignored, never a server error."""

from __future__ import annotations

from django.test import Client

from tests.backoffice.conftest import Cast, client_for


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
    for value in ("²", "9" * 25, "-1", ""):
        response = kiosk.post(
            f"/kiosk/{cast.office_a.pk}/", {"action": "walk-in", "service": value}
        )
        assert response.status_code < 500, value
