"""The statistics pages: charts, tables, CSV downloads, access and the transparency page."""

from __future__ import annotations

import pytest
from django.test import Client

from amtstermin.reports import figures
from amtstermin.reports.csv_export import csv_text
from amtstermin.reports.models import StatisticsSettings
from amtstermin.reports.pages import Section
from tests.backoffice.conftest import NOW, Cast, client_for
from tests.backoffice.statistics_data import DAY, hand_computed_day

PERIOD = "?first=2026-11-30&last=2026-12-06"


@pytest.fixture
def stored(cast: Cast) -> Cast:
    hand_computed_day(cast)
    figures.store_day(cast.office_a, DAY, now=NOW)
    return cast


def test_the_navigation_leads_to_a_page_with_chart_table_and_csv_links(stored: Cast) -> None:
    client = client_for(stored.head_a)
    day_plan = client.get(f"/backoffice/{stored.office_a.pk}/day/").content.decode()
    assert f'href="/backoffice/{stored.office_a.pk}/statistics/"' in day_plan
    body = client.get(f"/backoffice/{stored.office_a.pk}/statistics/{PERIOD}").content.decode()
    assert (
        "<svg" in body and 'role="img"' in body and 'aria-labelledby="chart-weeks-caption"' in body
    )
    assert "<table" in body and "2026-W49" in body
    assert f"/backoffice/{stored.office_a.pk}/statistics/overview/csv/weeks/" in body


def test_the_charts_carry_no_script_and_no_inline_style(stored: Cast) -> None:
    client = client_for(stored.head_a)
    for page in ("overview", "services", "counters", "walk-ins", "forecast"):
        body = client.get(f"/backoffice/{stored.office_a.pk}/statistics/{page}/{PERIOD}")
        text = body.content.decode()
        assert body.status_code == 200 and "<svg" in text
        assert "<script" not in text and "<style" not in text and ' style="' not in text
        assert "kozea.github.io" not in text


def test_csv_for_german_spreadsheets_and_plain(stored: Cast) -> None:
    client = client_for(stored.head_a)
    url = f"/backoffice/{stored.office_a.pk}/statistics/services/csv/services/{PERIOD}"
    response = client.get(url)
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeffService;Bookings;")
    assert "Personalausweis;5;2;1;33,3;2;0;15;16;0;0" in text  # no-shows 1 of 3 kept: 33.3 %
    plain = client.get(url + "&format=plain").content.decode("utf-8")
    assert plain.startswith("Service,Bookings,") and "Personalausweis,5,2,1,33.3," in plain


def test_every_table_downloads(stored: Cast) -> None:
    client = client_for(stored.head_a)
    base = f"/backoffice/{stored.office_a.pk}/statistics"
    for page, section in [
        ("overview", "weeks"),
        ("services", "next_free"),
        ("services", "durations"),
        ("counters", "counters"),
        ("walk-ins", "hours"),
        ("walk-ins", "weekdays"),
        ("forecast", "forecast"),
    ]:
        response = client.get(f"{base}/{page}/csv/{section}/{PERIOD}")
        assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
        assert len(response.content.decode("utf-8-sig").splitlines()) >= 1
    assert client.get(f"{base}/overview/csv/nothing/").status_code == 404


def test_periods_by_week_and_month(stored: Cast) -> None:
    client = client_for(stored.head_a)
    base = f"/backoffice/{stored.office_a.pk}/statistics/counters/csv/counters/"
    assert "Schalter 1;4;0,5;0,7;12,5;17,5" in client.get(base + "?week=2026-W49").content.decode()
    assert "Schalter 1;4;" in client.get(base + "?month=2026-12").content.decode()
    assert "Schalter 1" not in client.get(base + "?month=2026-11").content.decode()
    assert client.get(base + "?week=nonsense&month=2026-13").status_code == 200


def test_office_heads_and_it_of_the_office_only(stored: Cast) -> None:
    url = f"/backoffice/{stored.office_a.pk}/statistics/"
    assert client_for(stored.head_a).get(url).status_code == 200
    assert client_for(stored.it_admin).get(url).status_code == 200
    assert client_for(stored.clerk_a).get(url).status_code == 403
    assert client_for(stored.clerk_b).get(url).status_code == 403
    other = f"/backoffice/{stored.office_b.pk}/statistics/"
    assert client_for(stored.head_a).get(other).status_code == 404


def test_the_transparency_page_is_published_only_when_the_office_says_so(cast: Cast) -> None:
    url = f"/o/{cast.office_a.pk}/waiting-times/"
    office_page = f"/o/{cast.office_a.pk}/"
    assert Client().get(url).status_code == 404
    assert url not in Client().get(office_page).content.decode()  # no link to nothing
    StatisticsSettings.objects.create(office=cast.office_a, public_page=True)
    assert f'href="{url}"' in Client().get(office_page).content.decode()  # the footer links it
    body = Client(HTTP_ACCEPT_LANGUAGE="en").get(url).content.decode()
    assert "Time to the next free appointment" in body and "Personalausweis" in body
    assert "today" in body


def test_a_name_staff_typed_cannot_run_as_a_formula_in_the_csv() -> None:
    section = Section(
        key="services",
        title="Services",
        columns=["Service", "Bookings", "No-show rate"],
        rows=[["=1+1", 3, -0.5], ["Personalausweis", 2, 0.25]],
    )
    german = csv_text(section).splitlines()
    assert german[1] == "'=1+1;3;-0,5"  # numbers stay numbers
    assert german[2] == "Personalausweis;2;0,25"
    assert csv_text(section, plain=True).splitlines()[1] == "'=1+1,3,-0.5"


def test_applying_a_suggestion_for_another_offices_service_is_a_404(cast: Cast) -> None:
    foreign = cast.service_b
    response = client_for(cast.head_a).post(
        f"/backoffice/{cast.office_a.pk}/statistics/durations/{foreign.pk}/apply/"
    )
    assert response.status_code == 404
