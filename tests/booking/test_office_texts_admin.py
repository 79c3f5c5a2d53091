"""The office head writes the office's texts in every language on the configuration pages:
German required, the others optional, each field marked with its language, no script from
elsewhere; only for the head's own offices; every change in the audit log."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from amtstermin.booking import office_texts, roles
from amtstermin.booking.models import AuditAction, AuditEntry, Document, Office, Service
from amtstermin.notifications.models import MessageKind, MessageSetting
from tests.backoffice.conftest import make_staff
from tests.factories import make_office, make_service, small_office

pytestmark = pytest.mark.django_db


@pytest.fixture
def head() -> tuple[Client, Office, dict[str, Service]]:
    roles.ensure_staff_groups()
    office, services, _counters = small_office()
    client = Client(headers={"Accept-Language": "en"})
    client.force_login(make_staff("head", roles.OFFICE_HEAD, office))
    return client, office, services


def _form_data(page: Any) -> dict[str, Any]:
    """What the browser sends back for the admin change page as shown."""
    context: Any = page.context
    forms = [context["adminform"].form]
    data: dict[str, Any] = {}
    for inline in context["inline_admin_formsets"]:
        management = inline.formset.management_form
        data.update({f"{management.prefix}-{n}": management[n].value() for n in management.fields})
        forms += inline.formset.forms
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            if value is True:
                data[form.add_prefix(name)] = "on"
            elif value is not None and value is not False:
                data[form.add_prefix(name)] = value
    return data


def _service_url(service: Service) -> str:
    return f"/admin/booking/service/{service.pk}/change/"


def test_the_service_page_has_a_field_per_language_marked_with_it(head: Any) -> None:
    client, _office, services = head
    html = client.get(_service_url(services["id_card"])).content.decode()
    for code in ("de", "en", "tr", "ar", "uk", "ru", "pl"):
        assert f'name="name_{code}"' in html and f'name="description_{code}"' in html
        assert f'name="documents-0-note_{code}"' in html
    (turkish,) = re.findall(r"<input[^>]*name=\"name_tr\"[^>]*>", html)
    (arabic,) = re.findall(r"<input[^>]*name=\"name_ar\"[^>]*>", html)
    assert 'lang="tr"' in turkish and 'dir="ltr"' in turkish
    assert 'lang="ar"' in arabic and 'dir="rtl"' in arabic
    assert "Name (Turkish)" in html and "Name (Arabic)" in html
    (german,) = re.findall(r"<input[^>]*name=\"name_de\"[^>]*>", html)
    assert "required" in german and "required" not in turkish


def test_the_pages_load_no_script_from_elsewhere(head: Any) -> None:
    client, office, services = head
    for url in (
        _service_url(services["id_card"]),
        f"/admin/booking/office/{office.pk}/change/",
        "/admin/booking/documenttype/add/",
        "/admin/notifications/messagesetting/add/",
    ):
        html = client.get(url).content.decode()
        sources = re.findall(r"<script[^>]*src=\"([^\"]+)\"", html)
        # This site's own paths only (no "//host/..." either).
        assert sources and all(re.match(r"/[^/]", source) for source in sources), url
        assert "googleapis" not in html and "jquery-ui" not in html


def test_the_head_translates_a_service_and_its_documents(head: Any) -> None:
    client, office, services = head
    id_card = services["id_card"]
    page = client.get(_service_url(id_card))
    data = _form_data(page)
    data.update(name_tr="Kimlik kartı başvurusu", description_uk="Нове посвідчення.")
    data["documents-0-note_pl"] = "Aktualne."

    response = client.post(_service_url(id_card), data)

    assert response.status_code == 302, response.content.decode()[:2000]
    saved = Service.objects.get(pk=id_card.pk)
    assert office_texts.text_in(saved, "name", "tr") == "Kimlik kartı başvurusu"
    assert office_texts.text_in(saved, "description", "uk") == "Нове посвідчення."
    assert office_texts.german(saved, "name") == "Personalausweis"
    document = Document.objects.filter(service=id_card).order_by("sort_order", "pk").first()
    assert document is not None and office_texts.text_in(document, "note", "pl") == "Aktualne."
    entries = AuditEntry.objects.filter(office=office, action=AuditAction.OFFICE_TEXTS)
    changed = sorted(key for entry in entries for key in entry.after if key not in ("record", "id"))
    assert changed == ["description_uk", "name_tr", "note_pl"]
    assert {entry.actor_name for entry in entries} == {"head"}


def test_the_german_name_is_required(head: Any) -> None:
    client, _office, services = head
    id_card = services["id_card"]
    data = _form_data(client.get(_service_url(id_card)))
    data.update(name_de="", name_tr="Kimlik kartı")
    response = client.post(_service_url(id_card), data)
    assert response.status_code == 200
    assert "This field is required" in response.content.decode()
    assert office_texts.german(Service.objects.get(pk=id_card.pk), "name") == "Personalausweis"


def test_a_translation_emptied_again_is_missing_again(head: Any) -> None:
    client, _office, services = head
    id_card = services["id_card"]
    data = _form_data(client.get(_service_url(id_card)))
    data.update(name_en="")
    assert client.post(_service_url(id_card), data).status_code == 302
    assert office_texts.text_in(Service.objects.get(pk=id_card.pk), "name", "en") == ""
    assert Service.objects.filter(pk=id_card.pk, name_en=None).exists()


def test_the_head_writes_the_way_in_and_the_e_mail_paragraph_in_turkish(head: Any) -> None:
    client, office, _services = head
    url = f"/admin/booking/office/{office.pk}/change/"
    data = _form_data(client.get(url))
    data.update(address_note_de="Eingang B.", address_note_tr="Giriş B.")
    assert client.post(url, data).status_code == 302
    assert office_texts.text_in(Office.objects.get(pk=office.pk), "address_note", "tr") == (
        "Giriş B."
    )
    response = client.post(
        "/admin/notifications/messagesetting/add/",
        {
            "office": office.pk,
            "kind": MessageKind.REMINDER,
            "enabled": "on",
            "paragraph_de": "Bitte pünktlich.",
            "paragraph_tr": "Lütfen zamanında gelin.",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    setting = MessageSetting.objects.get(office=office, kind=MessageKind.REMINDER)
    assert office_texts.text_in(setting, "paragraph", "tr") == "Lütfen zamanında gelin."


def test_the_head_of_another_office_cannot_edit_these_texts(head: Any) -> None:
    _client, office, services = head
    other = make_office(name="Bürgerbüro Nachbarort")
    make_service(other, "Fremd", 10)
    stranger = Client(headers={"Accept-Language": "en"})
    stranger.force_login(make_staff("head-b", roles.OFFICE_HEAD, other))
    id_card = services["id_card"]
    assert stranger.get(_service_url(id_card)).status_code in (302, 404)
    data = {"name_de": "Gekapert", "name_tr": "Ele geçirildi", "first_person_minutes": 5}
    assert stranger.post(_service_url(id_card), data).status_code in (302, 404)
    office_page = f"/admin/booking/office/{office.pk}/change/"
    assert stranger.post(office_page, {"address_note_tr": "x"}).status_code in (302, 404)
    saved = Service.objects.get(pk=id_card.pk)
    assert office_texts.german(saved, "name") == "Personalausweis"
    assert office_texts.text_in(saved, "name", "tr") == ""
    assert not AuditEntry.objects.filter(action=AuditAction.OFFICE_TEXTS).exists()
