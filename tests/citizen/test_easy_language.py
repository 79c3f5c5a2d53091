"""The Leichte Sprache page and the sign-language video link (BITV 2.0 § 4)."""

from __future__ import annotations

import re

from django.contrib.auth.models import Group, User
from django.test import Client

from amtstermin.booking.models import StaffMembership
from tests.citizen.conftest import Cast
from tests.factories import make_office

VIDEO = "https://teststadt.example/gebaerdensprache"


def _easy_url(cast: Cast) -> str:
    return f"/o/{cast.office.pk}/leichte-sprache/"


def _links_to_easy_language(html: str, cast: Cast) -> bool:
    return bool(re.search(rf'<a href="{_easy_url(cast)}"[^>]*>Leichte Sprache</a>', html))


def test_the_start_page_links_leichte_sprache(client: Client, cast: Cast) -> None:
    make_office(name="Bürgerbüro Nord")  # several offices: the start page lists them
    html = client.get("/").content.decode()
    assert 'class="easy-links' in html and 'class="office-list"' in html
    assert re.search(r'<a href="/o/\d+/leichte-sprache/"[^>]*>Leichte Sprache</a>', html)


def test_the_start_page_of_a_single_office_links_leichte_sprache(
    client: Client, cast: Cast
) -> None:
    html = client.get("/", follow=True).content.decode()
    assert 'class="easy-links' in html and _links_to_easy_language(html, cast)


def test_the_office_page_links_leichte_sprache_in_english_too(client: Client, cast: Cast) -> None:
    html = client.get(f"/o/{cast.office.pk}/", headers={"Accept-Language": "en"}).content.decode()
    assert '<html lang="en" dir="ltr">' in html
    assert html.count(f'href="{_easy_url(cast)}"') == 2  # near the top and in the footer
    assert _links_to_easy_language(html, cast)


def test_the_page_explains_in_german_with_the_offices_data(client: Client, cast: Cast) -> None:
    html = client.get(_easy_url(cast), headers={"Accept-Language": "en"}).content.decode()
    assert '<div lang="de" dir="ltr" class="easy-language"' in html
    assert "<h1>Leichte Sprache</h1>" in html
    assert "Bürgerbüro Teststadt" in html and "Rathausplatz 2" in html
    assert 'href="tel:+4912345678"' in html
    assert "<strong>Montag:</strong> von 8 Uhr bis 12 Uhr" in html
    assert "<strong>Dienstag:</strong> von 8 Uhr bis 12 Uhr" in html
    assert "Jetzt buchen" in html and "Diesen Termin absagen" in html  # German button names
    assert "Monday" not in html and "Book now" not in html


def test_the_page_of_an_unknown_office_is_not_found(client: Client, cast: Cast) -> None:
    assert client.get("/o/999999/leichte-sprache/").status_code == 404


def test_no_sign_language_link_without_a_video(client: Client, cast: Cast) -> None:
    for url in (f"/o/{cast.office.pk}/", _easy_url(cast)):
        html = client.get(url).content.decode()
        assert "Gebärdensprache" not in html and "Gebärden-Sprache" not in html


def test_the_sign_language_video_is_linked_as_an_external_site(client: Client, cast: Cast) -> None:
    cast.office.sign_language_video_url = VIDEO
    cast.office.save()
    office_page = client.get(f"/o/{cast.office.pk}/").content.decode()
    assert f'<a href="{VIDEO}" rel="noopener" class="sign-language-link">' in office_page
    assert '<span lang="de">Gebärdensprache</span>' in office_page
    assert "(Video auf einer externen Website)" in office_page
    english = client.get(
        f"/o/{cast.office.pk}/", headers={"Accept-Language": "en"}
    ).content.decode()
    assert '<span lang="de">Gebärdensprache</span>' in english
    assert "(video on an external web site)" in english
    easy = client.get(_easy_url(cast)).content.decode()
    assert f'<a href="{VIDEO}" rel="noopener" id="sign-language-video">' in easy
    assert "Der Link führt zu einer anderen Internet-Seite." in easy


def test_the_office_head_sets_the_video_link_under_legal_pages(client: Client, cast: Cast) -> None:
    head = User.objects.create_user("leitung-video", password="irrelevant-pass-123", is_staff=True)
    head.groups.add(Group.objects.get(name="Leitung"))
    StaffMembership.objects.create(user=head, office=cast.office)
    client.force_login(head)
    page = client.get(f"/admin/booking/office/{cast.office.pk}/change/").content.decode()
    assert 'name="sign_language_video_url"' in page
    assert "Video in Deutscher Gebärdensprache (Webadresse)" in page


def test_the_page_names_both_steps_of_cancelling(client: Client, cast: Cast) -> None:
    html = client.get(_easy_url(cast), headers={"Accept-Language": "en"}).content.decode()
    assert "<strong>Wirklich absagen?</strong>" in html
    assert "<strong>Ja, Termin absagen</strong>" in html
