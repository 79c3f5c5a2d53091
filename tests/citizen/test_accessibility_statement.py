"""The accessibility statement reads its date and content from the office's configuration,
with a clear fallback where the office has entered nothing (issue 16)."""

from __future__ import annotations

import io
from datetime import date

from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client

from amtstermin.booking.models import AccessibilityConformance, Office
from tests.citizen.conftest import Cast


def _statement(client: Client, office: Office, language: str = "de") -> str:
    response = client.get(f"/o/{office.pk}/accessibility/", headers={"Accept-Language": language})
    assert response.status_code == 200
    return response.content.decode()


def test_the_date_is_the_one_the_office_entered(client: Client, cast: Cast) -> None:
    cast.office.accessibility_reviewed_on = date(2027, 3, 15)
    cast.office.save()
    assert "Diese Erklärung wurde zuletzt am Montag, 15. März 2027 überprüft." in _statement(
        client, cast.office
    )
    english = _statement(client, cast.office, "en")
    assert "This statement was last reviewed on Monday, 15 March 2027." in english


def test_without_a_date_the_statement_says_it_is_not_dated_yet(client: Client, cast: Cast) -> None:
    html = _statement(client, cast.office)
    assert "Das Bürgerbüro hat noch nicht eingetragen, wann diese Erklärung" in html
    assert "23. November 2026" not in html  # no date from the code
    assert "Sie beruht auf einer Selbstbewertung" in html  # the default method


def test_conformance_follows_the_setting_or_else_the_known_limitations(
    client: Client, cast: Cast
) -> None:
    assert "Es sind keine Einschränkungen bekannt." in _statement(client, cast.office)
    cast.office.accessibility_statement = "PDF-Formulare sind noch nicht barrierefrei."
    cast.office.save()
    assert "teilweise mit der BITV 2.0 vereinbar" in _statement(client, cast.office)
    cast.office.accessibility_conformance = AccessibilityConformance.NONE
    cast.office.save()
    html = _statement(client, cast.office)
    assert "Diese Seiten sind noch nicht mit der BITV 2.0 vereinbar." in html
    assert "PDF-Formulare sind noch nicht barrierefrei." in html


def test_method_and_enforcement_body_come_from_the_office(client: Client, cast: Cast) -> None:
    cast.office.accessibility_method = "BITV-Test durch eine externe Prüfstelle"
    cast.office.accessibility_enforcement_name = "Ombudsstelle für barrierefreie IT"
    cast.office.accessibility_enforcement_url = "https://ombudsstelle.example/"
    cast.office.save()
    html = _statement(client, cast.office)
    assert "Grundlage: BITV-Test durch eine externe Prüfstelle" in html
    assert '<a href="https://ombudsstelle.example/">Ombudsstelle für barrierefreie IT</a>' in html
    assert "schlichtungsstelle-bgg.de" not in html and "Durchsetzungsverfahren" in html


def test_the_office_head_edits_the_statement_in_the_office_settings(
    client: Client, db: None
) -> None:
    call_command("demo", "--no-serve", stdout=io.StringIO())
    office = Office.objects.get(memberships__user__username="leitung")
    client.force_login(User.objects.get(username="leitung"))
    page = client.get(f"/admin/booking/office/{office.pk}/change/").content.decode()
    for field in (
        "accessibility_reviewed_on",
        "accessibility_conformance",
        "accessibility_statement_de",  # the office's texts: one field per language
        "accessibility_statement_ar",
        "accessibility_method_de",
        "accessibility_method_tr",
        "accessibility_enforcement_name",
        "accessibility_enforcement_url",
    ):
        assert f'name="{field}"' in page, field
    # The demo ships a dated statement with its method.
    html = _statement(client, office)
    assert "zuletzt am Montag, 23. November 2026 überprüft" in html
    assert "Grundlage: Selbstbewertung mit automatisierten Tests" in html
