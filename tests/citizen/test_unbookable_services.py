"""No unbookable service: what no counter offers online is not shown to citizens, and asking
for it anyway is refused with a clear message (the API: tests/api/test_read_endpoints.py)."""

from __future__ import annotations

from django.test import Client

from amtstermin.booking.models import Counter
from tests.citizen.conftest import Cast
from tests.factories import make_service


def test_a_service_no_counter_offers_is_not_shown(client: Client, cast: Cast) -> None:
    make_service(cast.office, "Fischereischein", 10)
    html = client.get(f"/o/{cast.office.pk}/").content.decode()
    assert "Fischereischein" not in html
    assert "Personalausweis" in html
    # A staff-only service that a counter offers is still shown, as one to ask for by phone.
    assert "Beglaubigung" in html and "Nur telefonisch" in html
    assert f'name="persons_{cast.services["copies"].pk}"' not in html


def test_a_service_only_staff_only_counters_offer_is_not_shown(client: Client, cast: Cast) -> None:
    hidden = make_service(cast.office, "Fischereischein", 10)
    kept_back = Counter.objects.create(office=cast.office, name="Schalter 3", online_bookable=False)
    kept_back.services.add(hidden)
    assert "Fischereischein" not in client.get(f"/o/{cast.office.pk}/").content.decode()
    kept_back.online_bookable = True
    kept_back.save()  # as the configuration pages save it: citizens see it at once
    assert "Fischereischein" in client.get(f"/o/{cast.office.pk}/").content.decode()


def test_posting_a_hidden_service_is_refused_with_a_message(client: Client, cast: Cast) -> None:
    hidden = make_service(cast.office, "Fischereischein", 10)
    response = client.post(f"/o/{cast.office.pk}/", {f"persons_{hidden.pk}": "1"})
    assert response.status_code == 400
    # And through the link that skips the service page:
    page = client.get(f"/o/{cast.office.pk}/time/?services={hidden.pk}:1", follow=True)
    assert "„Fischereischein“ kann nicht online gebucht werden" in page.content.decode()
