"""The page "Texts still to translate": per language, the office's texts that citizens read in
German, each linked to where it is edited; for office heads and IT of the office only."""

from __future__ import annotations

from django.test import Client

from amtstermin.backoffice import texts_selectors
from amtstermin.booking import office_texts
from amtstermin.booking.models import Document, DocumentType, Office, Service
from amtstermin.notifications.models import MessageKind, MessageSetting
from tests.backoffice.conftest import Cast, client_for

LANGUAGES = ("en", "tr", "ar", "uk", "ru", "pl")


def _url(office: Office) -> str:
    return f"/backoffice/{office.pk}/translations/"


def _translate_everything(office: Office) -> None:
    """Every text the office has, in every language (what the page asks for)."""
    for record in texts_selectors.office_text_records(office):
        model = type(record)
        changes = {}
        for field in office_texts.text_fields(model):
            if german := office_texts.german(record, field):
                changes.update({f"{field}_{code}": f"{german} [{code}]" for code in LANGUAGES})
        if changes:
            model._default_manager.filter(pk=record.pk).update(**changes)


def test_the_office_head_sees_what_is_missing_per_language(cast: Cast) -> None:
    Office.objects.filter(pk=cast.office_a.pk).update(address_note_de="Eingang B.")
    page = client_for(cast.head_a).get(_url(cast.office_a))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Texts still to translate" in html
    # The services have English names (the test cast's) but no Turkish ones.
    assert 'href="#language-tr"' in html and 'id="language-tr"' in html
    id_card = cast.services_a["id_card"]
    assert f'href="/admin/booking/service/{id_card.pk}/change/#id_name_tr"' in html
    assert f'href="/admin/booking/office/{cast.office_a.pk}/change/#id_address_note_tr"' in html
    assert "Name (Turkish)" in html and '<td lang="de">Personalausweis</td>' in html
    assert f'href="/admin/booking/service/{id_card.pk}/change/#id_name_en"' not in html


def test_a_translated_text_leaves_the_list(cast: Cast) -> None:
    id_card = cast.services_a["id_card"]
    turkish = f"/admin/booking/service/{id_card.pk}/change/#id_name_tr"
    assert turkish in client_for(cast.head_a).get(_url(cast.office_a)).content.decode()
    Service.objects.filter(pk=id_card.pk).update(name_tr="Kimlik kartı")
    html = client_for(cast.head_a).get(_url(cast.office_a)).content.decode()
    assert turkish not in html
    assert f"/admin/booking/service/{id_card.pk}/change/#id_name_ar" in html


def test_when_everything_is_translated_the_page_says_so(cast: Cast) -> None:
    MessageSetting.objects.create(
        office=cast.office_a, kind=MessageKind.CONFIRMED, paragraph_de="Bitte pünktlich."
    )
    Document.objects.filter(service__office=cast.office_a).update(note_de="Im Original.")
    DocumentType.objects.filter(office=cast.office_a).update(note_de="Aktuell.")
    assert sum(len(gaps.missing) for gaps in texts_selectors.untranslated(cast.office_a)) > 0
    _translate_everything(cast.office_a)
    html = client_for(cast.head_a).get(_url(cast.office_a)).content.decode()
    assert "Every text is translated into every language." in html
    assert "/admin/" not in html.split('id="main"')[1]


def test_the_list_covers_documents_notes_and_e_mail_paragraphs(cast: Cast) -> None:
    MessageSetting.objects.create(
        office=cast.office_a, kind=MessageKind.REMINDER, paragraph_de="Bitte pünktlich."
    )
    photo = Document.objects.get(
        service=cast.services_a["id_card"], document_type__name_de="Passfoto"
    )
    Document.objects.filter(pk=photo.pk).update(note_de="Biometrisch.")
    (polish,) = [gaps for gaps in texts_selectors.untranslated(cast.office_a) if gaps.code == "pl"]
    found = {(type(m.record).__name__, m.column) for m in polish.missing}
    assert {("Document", "note_pl"), ("MessageSetting", "paragraph_pl")} <= found
    assert ("DocumentType", "name_pl") in found
    html = client_for(cast.head_a).get(_url(cast.office_a)).content.decode()
    service_page = f"/admin/booking/service/{cast.services_a['id_card'].pk}/change/"
    assert f'href="{service_page}#documents-group"' in html
    assert "E-mail setting: Reminder" in html


def test_an_inactive_service_is_not_listed(cast: Cast) -> None:
    copies = cast.services_a["copies"]
    Service.objects.filter(pk=copies.pk).update(active=False)
    html = client_for(cast.head_a).get(_url(cast.office_a)).content.decode()
    assert f"/admin/booking/service/{copies.pk}/change/" not in html


def test_it_sees_the_page_clerks_do_not_and_nobody_sees_another_office(cast: Cast) -> None:
    assert client_for(cast.it_admin).get(_url(cast.office_a)).status_code == 200
    assert client_for(cast.clerk_a).get(_url(cast.office_a)).status_code == 403
    assert client_for(cast.head_a).get(_url(cast.office_b)).status_code == 404
    assert Client().get(_url(cast.office_a)).status_code == 302  # to the login


def test_the_office_heads_navigation_links_the_page(cast: Cast) -> None:
    link = f'href="{_url(cast.office_a)}"'
    head_page = client_for(cast.head_a).get(f"/backoffice/{cast.office_a.pk}/day/").content
    assert link in head_page.decode()
    clerk_page = client_for(cast.clerk_a).get(f"/backoffice/{cast.office_a.pk}/day/").content
    assert link not in clerk_page.decode()


def test_the_page_speaks_german_too(cast: Cast) -> None:
    client = client_for(cast.head_a)
    html = client.get(_url(cast.office_a), headers={"Accept-Language": "de"}).content.decode()
    assert "Noch zu übersetzende Texte" in html and "Name (Türkisch)" in html
