"""Start page, office page, legal pages, language switch, and the plain messages."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.test import Client

from amtstermin.booking.models import Closure
from tests.citizen.conftest import NOW, Cast
from tests.factories import make_office


def test_start_lists_offices_when_there_are_several(client: Client, cast: Cast) -> None:
    other = make_office(name="Bürgerbüro Nord")
    html = client.get("/").content.decode()
    assert f'href="/o/{cast.office.pk}/"' in html and f'href="/o/{other.pk}/"' in html


def test_office_page_shows_hours_address_and_what_each_service_needs(
    client: Client, cast: Cast
) -> None:
    html = client.get(f"/o/{cast.office.pk}/").content.decode()
    assert "Rathausplatz 2" in html
    assert "08:00–12:00" in html  # two counters' equal hours merged into one line
    assert html.count("08:00–12:00") == 5
    assert "<details>" in html and "Wohnungsgeberbestätigung" in html
    assert "37,00\u00a0€" in html
    assert 'aria-current="step"' in html and "Schritt 1 von 4" in html


def test_an_office_not_yet_open_for_booking_says_from_when(client: Client, cast: Cast) -> None:
    cast.office.bookable_from = datetime(2026, 12, 14, tzinfo=UTC).date()
    cast.office.save()
    page = client.get(f"/o/{cast.office.pk}/").content.decode()
    assert 'id="not-open-yet"' in page and "14. Dezember 2026" in page
    assert 'name="persons_' in page  # the services can still be looked at
    time_page = client.get(
        f"/o/{cast.office.pk}/time/?services={cast.services['id_card'].pk}:1"
    ).content.decode()
    assert "Die Online-Buchung beginnt am Montag, 14. Dezember 2026." in time_page


def test_when_nothing_is_free_the_page_says_so_and_gives_the_phone(
    client: Client, cast: Cast
) -> None:
    Closure.objects.create(
        office=cast.office, start=NOW, end=NOW + timedelta(days=60), reason="Umbau"
    )
    html = client.get(
        f"/o/{cast.office.pk}/time/?services={cast.services['id_card'].pk}:1"
    ).content.decode()
    assert 'id="nothing-free"' in html
    assert 'href="tel:+4912345678"' in html
    assert 'name="start"' not in html


def test_english_switch_translates_service_names_and_dates(client: Client, cast: Cast) -> None:
    office_url = f"/o/{cast.office.pk}/"
    german = client.get(office_url).content.decode()
    assert '<html lang="de" dir="ltr">' in german and "Personalausweis (en)" not in german
    switched = client.post("/i18n/setlang/", {"language": "en", "next": office_url}, follow=True)
    html = switched.content.decode()
    assert switched.redirect_chain[-1][0] == office_url
    assert '<html lang="en" dir="ltr">' in html
    assert "Personalausweis (en)" in html and "€37.00" in html
    time_page = client.get(
        f"/o/{cast.office.pk}/time/?services={cast.services['id_card'].pk}:1"
    ).content.decode()
    assert "Wednesday, 2 December 2026, 08:00" in time_page


def test_every_page_links_the_legal_pages_and_a_barrier_report(client: Client, cast: Cast) -> None:
    cast.office.imprint_url = "https://teststadt.example/impressum"
    cast.office.barrier_contact_email = "barrieren@teststadt.example"
    cast.office.save()
    for url in (f"/o/{cast.office.pk}/", f"/o/{cast.office.pk}/privacy/", "/manage/nope/"):
        html = client.get(url).content.decode()
        assert 'href="https://teststadt.example/impressum"' in html, url
        assert f'href="/o/{cast.office.pk}/privacy/"' in html
        assert f'href="/o/{cast.office.pk}/accessibility/"' in html
        assert 'href="mailto:barrieren@teststadt.example?subject=' in html


def test_privacy_notice_says_what_is_stored_and_for_how_long(client: Client, cast: Cast) -> None:
    cast.office.retention_days = 14
    cast.office.save()
    html = client.get(f"/o/{cast.office.pk}/privacy/", headers={"Accept-Language": "en"}).content
    assert "deleted 14 days after the appointment" in html.decode()
    assert "your e-mail address" in html.decode()


def test_accessibility_statement_names_limits_contact_and_conciliation(
    client: Client, cast: Cast
) -> None:
    cast.office.accessibility_statement = "PDF-Formulare sind noch nicht barrierefrei."
    cast.office.email = "buergerbuero@teststadt.example"
    cast.office.save()
    html = client.get(f"/o/{cast.office.pk}/accessibility/").content.decode()
    assert "teilweise mit der BITV 2.0 vereinbar" in html
    assert "PDF-Formulare sind noch nicht barrierefrei." in html
    assert "mailto:buergerbuero@teststadt.example" in html
    assert 'href="https://www.schlichtungsstelle-bgg.de/"' in html


def test_unknown_office_is_not_found(client: Client, cast: Cast) -> None:
    assert client.get("/o/999999/").status_code == 404
