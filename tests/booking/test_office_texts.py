"""The office's own texts in every language: each language reads its own text, German where
none is written; German stays the source the records keep; a change is in the audit log."""

from __future__ import annotations

import pytest
from django.db import connection
from django.utils import translation

from amtstermin.backoffice.audit_display import present
from amtstermin.booking import configuration, office_texts, roles, selectors
from amtstermin.booking.configuration import CounterOffer
from amtstermin.booking.models import (
    AuditAction,
    AuditEntry,
    Document,
    DocumentType,
    Office,
    Service,
)
from tests.backoffice.conftest import make_staff
from tests.factories import make_document, small_office

pytestmark = pytest.mark.django_db

LANGUAGES = ("de", "en", "tr", "ar", "uk", "ru", "pl")


def _passport(office: Office) -> Service:
    return Service.objects.create(
        office=office,
        name_de="Reisepass beantragen",
        name_tr="Pasaport başvurusu",
        name_ar="طلب جواز سفر",
        description_de="Biometrisch.",
        description_tr="",  # left empty: not translated
        first_person_minutes=15,
    )


@pytest.mark.parametrize(
    "language, name, description",
    [
        ("de", "Reisepass beantragen", "Biometrisch."),
        ("tr", "Pasaport başvurusu", "Biometrisch."),
        ("ar", "طلب جواز سفر", "Biometrisch."),
        ("en", "Reisepass beantragen", "Biometrisch."),
        ("uk", "Reisepass beantragen", "Biometrisch."),
        ("pl", "Reisepass beantragen", "Biometrisch."),
    ],
)
def test_each_language_reads_its_own_text_and_german_where_none_is_written(
    language: str, name: str, description: str
) -> None:
    office, _services, _counters = small_office()
    passport = Service.objects.get(pk=_passport(office).pk)
    with translation.override(language):
        assert (passport.name, passport.description) == (name, description)


def test_a_regional_variant_reads_its_language() -> None:
    office, _services, _counters = small_office()
    passport = _passport(office)
    with translation.override("tr-tr"):
        assert passport.name == "Pasaport başvurusu"


def test_document_names_and_notes_follow_the_language() -> None:
    _office, services, _counters = small_office()
    document = make_document(services["copies"], "Kopien", note="Je Seite.", note_pl="Na stronę.")
    DocumentType.objects.filter(pk=document.document_type_id).update(
        name_pl="Kopie", note_de="Lesbar."
    )
    document = Document.objects.select_related("document_type").get(pk=document.pk)
    with translation.override("pl"):
        assert (document.name, document.notes) == ("Kopie", ("Lesbar.", "Na stronę."))
    with translation.override("ru"):
        assert (document.name, document.notes) == ("Kopien", ("Lesbar.", "Je Seite."))


def test_the_cached_configuration_serves_every_language() -> None:
    office, _services, _counters = small_office()
    passport = _passport(office)
    with translation.override("de"):
        cached = selectors.office_configuration(office.pk)  # loaded and cached in German
    assert cached is not None
    with translation.override("tr"):
        again = selectors.office_configuration(office.pk)
        assert again is not None and again.services[passport.pk].name == "Pasaport başvurusu"


def test_the_office_order_is_the_same_in_every_language() -> None:
    office, _services, _counters = small_office()
    for german, turkish in (("Antrag A", "Z başvurusu"), ("Antrag B", "A başvurusu")):
        Service.objects.create(
            office=office, name_de=german, name_tr=turkish, first_person_minutes=5, sort_order=5
        )
    orders = []
    for language in LANGUAGES:
        selectors._configurations.clear()
        with translation.override(language):
            orders.append([s.pk for s in selectors.service_list(office=office)])
    assert all(order == orders[0] for order in orders)
    assert [Service.objects.get(pk=pk).name_de for pk in orders[0][:2]] == ["Antrag A", "Antrag B"]


def test_saved_in_another_language_the_field_itself_keeps_the_german_text() -> None:
    _office, services, _counters = small_office()
    id_card = services["id_card"]
    with translation.override("en"):
        id_card.name = "Identity card"  # the English text
        id_card.save()
    with connection.cursor() as cursor:  # the columns themselves, as another query reads them
        cursor.execute(
            "SELECT name, name_de, name_en FROM booking_service WHERE id = %s", [id_card.pk]
        )
        assert cursor.fetchone() == ("Personalausweis", "Personalausweis", "Identity card")


def test_saving_only_the_field_saves_the_active_languages_text() -> None:
    _office, services, _counters = small_office()
    id_card = services["id_card"]
    with translation.override("tr"):
        id_card.name = "Kimlik kartı"
        id_card.save(update_fields=["name"])
    id_card.refresh_from_db()
    assert office_texts.text_in(id_card, "name", "tr") == "Kimlik kartı"
    assert office_texts.german(id_card, "name") == "Personalausweis"


def test_a_missing_translation_is_null_so_many_services_may_lack_it() -> None:
    office, services, _counters = small_office()
    for service in services.values():
        setattr(service, "name_tr", "")  # noqa: B010 - a column modeltranslation adds
        service.save()
    assert Service.objects.filter(office=office, name_tr=None).count() == len(services)


def test_the_audit_log_keeps_german_service_names_whatever_the_head_reads() -> None:
    from amtstermin.booking.models import Counter

    office, services, counters = small_office()
    roles.ensure_staff_groups()
    head = make_staff("head", roles.OFFICE_HEAD, office)
    counter = Counter.objects.get(pk=counters[1].pk)
    with translation.override("en"):
        configuration.counter_offers_set(
            office=office,
            offers={counter.pk: CounterOffer(True, frozenset({services["copies"].pk}))},
            staff_user=head,
        )
    entry = AuditEntry.objects.get(action=AuditAction.COUNTER_SERVICES)
    assert entry.after == {"Schalter 2: services": "Beglaubigung"}


def test_a_change_of_texts_is_in_the_audit_log_with_the_record_and_the_language() -> None:
    office, services, _counters = small_office()
    roles.ensure_staff_groups()
    head = make_staff("head", roles.OFFICE_HEAD, office)
    id_card = services["id_card"]

    entry = office_texts.record_text_changes(
        record=id_card,
        changes={
            "name_tr": (None, "Kimlik kartı"),
            "name_de": ("Personalausweis", "Personalausweis"),
        },
        staff_user=head,
    )

    assert entry is not None and entry.office_id == office.pk
    assert entry.after == {"record": "booking.service", "id": id_card.pk, "name_tr": "Kimlik kartı"}
    with translation.override("en"):
        (line,) = present([entry], office)
    assert line.subject == "Service: Personalausweis (en)"
    assert [str(change) for change in line.changes] == ["Name (Turkish): — → Kimlik kartı"]


def test_no_audit_entry_when_no_text_changed() -> None:
    _office, services, _counters = small_office()
    changes = {"name_tr": ("", None), "description_de": ("Text", "Text")}
    assert (
        office_texts.record_text_changes(
            record=services["id_card"], changes=changes, staff_user=None
        )
        is None
    )
    assert not AuditEntry.objects.exists()
