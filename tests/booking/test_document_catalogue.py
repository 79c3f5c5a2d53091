"""One document catalogue per office: the office head keeps it, services refer to its entries."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Group, User
from django.core.exceptions import ValidationError
from django.test import Client

from amtstermin.booking import availability_cache, selectors
from amtstermin.booking.demo import load_demo
from amtstermin.booking.models import Document, DocumentType, Office, StaffMembership
from tests.factories import make_document, make_office, make_service, small_office

pytestmark = pytest.mark.django_db


def _staff(group: str, *offices: Office) -> User:
    user = User.objects.create_user(f"user-{group}", password="irrelevant-pass-123", is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    for office in offices:
        StaffMembership.objects.create(user=user, office=office)
    return user


def test_office_head_keeps_the_catalogue_of_their_own_office(client: Client) -> None:
    own, _services, _counters = small_office()
    other = make_office(name="Bürgerbüro Nachbarort")
    DocumentType.objects.create(office=other, name="Fremde Urkunde")
    client.force_login(_staff("Leitung", own))
    add = client.get("/admin/booking/documenttype/add/")
    assert add.status_code == 200 and 'name="_save"' in add.content.decode()
    listing = client.get("/admin/booking/documenttype/").content.decode()
    assert "Passfoto" in listing and "Fremde Urkunde" not in listing
    saved = client.post(
        "/admin/booking/documenttype/add/",
        {"office": own.pk, "name_de": "Meldebescheinigung", "name_en": "", "sort_order": 100},
    )
    assert saved.status_code == 302
    assert DocumentType.objects.filter(office=own, name="Meldebescheinigung").exists()
    entry = DocumentType.objects.get(office=own, name="Passfoto")
    deleted = client.post(f"/admin/booking/documenttype/{entry.pk}/delete/", {"post": "yes"})
    assert deleted.status_code == 200  # still asked for by a service: protected, not deleted
    assert DocumentType.objects.filter(pk=entry.pk).exists()


def test_it_administration_may_change_the_catalogue_and_clerks_may_not(client: Client) -> None:
    office, _services, _counters = small_office()
    client.force_login(_staff("IT-Administration", office))
    assert client.get("/admin/booking/documenttype/add/").status_code == 200
    client.force_login(_staff("Sachbearbeitung", office))
    assert client.get("/admin/booking/documenttype/").status_code == 403


def test_a_service_chooses_only_entries_of_its_own_office(client: Client) -> None:
    own, services, _counters = small_office()
    other = make_office(name="Bürgerbüro Nachbarort")
    make_document(make_service(other, "Fremdes Anliegen", 10), "Fremde Urkunde")
    client.force_login(_staff("IT-Administration", own, other))  # may see both offices
    page = client.get(f"/admin/booking/service/{services['id_card'].pk}/change/").content.decode()
    choices = re.findall(r'<option value="\d+"[^>]*>([^<]+)</option>', page)
    assert "Passfoto" in choices and "Wohnungsgeberbestätigung" in choices
    assert "Fremde Urkunde" not in choices


def test_a_service_cannot_ask_for_another_offices_entry() -> None:
    _office, services, _counters = small_office()
    foreign = DocumentType.objects.create(office=make_office(name="Nachbarort"), name="Fremd")
    document = Document(service=services["id_card"], document_type=foreign)
    with pytest.raises(ValidationError) as raised:
        document.full_clean()
    assert "document_type" in raised.value.message_dict


def test_renaming_an_entry_reaches_the_cached_configuration() -> None:
    office, _services, _counters = small_office()
    before = selectors.office_configuration(office.pk)
    assert before is not None
    version = availability_cache.versions(office.pk).configuration
    entry = DocumentType.objects.get(office=office, name="Passfoto")
    entry.name = "Biometrisches Passfoto"
    entry.save()
    assert availability_cache.versions(office.pk).configuration > version
    after = selectors.office_configuration(office.pk)
    assert after is not None
    names = {d.name for s in after.services.values() for d in s.documents.all()}
    assert "Biometrisches Passfoto" in names and "Passfoto" not in names


def test_changing_what_a_service_asks_for_reaches_the_cached_configuration() -> None:
    office, services, _counters = small_office()
    version = availability_cache.versions(office.pk).configuration
    Document.objects.filter(service=services["id_card"]).earliest("id").delete()
    assert availability_cache.versions(office.pk).configuration > version


def test_the_demo_asks_for_one_certificate_entry_in_several_services() -> None:
    office, _created = load_demo()
    certificate = DocumentType.objects.get(office=office, name="Geburts- oder Heiratsurkunde")
    asking = set(certificate.requirements.values_list("service__name", flat=True))
    assert {"Personalausweis beantragen", "Anmeldung bei Zuzug"} <= asking
    assert not DocumentType.objects.filter(name="Heirats- und Geburtsurkunden").exists()
    copies = Document.objects.get(
        service__office=office, document_type__name="Kopien der Dokumente"
    )
    assert "Je Seite" in copies.note
