"""A search that finds nothing free online is counted for the statistics (the forecast adds
such refused demand to the expected one)."""

from __future__ import annotations

from django.test import Client

from amtstermin.reports.models import DailyServiceFigures
from tests.citizen.conftest import NOW, Cast
from tests.factories import make_counter, make_office, make_service


def test_nothing_free_is_counted_once_per_search_and_service(client: Client, cast: Cast) -> None:
    office = make_office(name="Bürgerbüro ohne Zeiten")
    service = make_service(office, "Reisepass", 20)
    make_counter(office, "Schalter 1", [service], hours=[])  # no opening hours at all
    for _ in range(2):
        page = client.get(f"/o/{office.pk}/time/", {"services": f"{service.pk}:1"})
        assert 'id="nothing-free"' in page.content.decode()
    figures = DailyServiceFigures.objects.get(office=office, service=service)
    assert figures.day == NOW.date() and figures.refused_nothing_free == 2
    # Where times are free, nothing is counted.
    client.get(f"/o/{cast.office.pk}/time/", {"services": cast.family_demand})
    assert not DailyServiceFigures.objects.filter(office=cast.office).exists()
