"""E-mails and calendar files carry the office's own texts in the booking's language: service
names, documents and their notes, the way in and the office's paragraph; German where the office
has not translated a text."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.core import mail
from django.test import override_settings
from django.utils import translation
from icalendar import Calendar

from amtstermin.booking import services
from amtstermin.booking.demand import resolve_demand
from amtstermin.booking.models import Document, DocumentType, Office, Service
from amtstermin.notifications.models import Message, MessageKind, MessageSetting, MessageStatus
from amtstermin.notifications.tasks import send_message
from tests.factories import small_office

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
EIGHT = datetime(2026, 12, 7, 7, 0, tzinfo=UTC)  # Monday 08:00 in Berlin
LOCMEM = override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")


def _translate_into_turkish(office: Office, id_card: Service) -> None:
    Service.objects.filter(pk=id_card.pk).update(
        name_tr="Kimlik kartı başvurusu", fee_note_de="Beispielgebühr.", fee_note_tr="Örnek ücret."
    )
    DocumentType.objects.filter(office=office, name_de="Passfoto").update(
        name_tr="Vesikalık fotoğraf", note_de="Biometrisch.", note_tr="Biyometrik."
    )
    # "Ausweis" stays untranslated: the Turkish e-mail names it in German.
    Document.objects.filter(service=id_card, document_type__name_de="Passfoto").update(
        note_de="Je Person eines.", note_tr="Kişi başına bir tane."
    )
    Office.objects.filter(pk=office.pk).update(
        address_note_de="Eingang B im Innenhof.", address_note_tr="Giriş B, iç avluda."
    )
    MessageSetting.objects.create(
        office=office,
        kind=MessageKind.CONFIRMED,
        paragraph_de="Bitte bringen Sie alles im Original mit.",
        paragraph_tr="Lütfen tüm belgelerin asıllarını getirin.",
    )


def _booked_mail(language: str) -> mail.EmailMessage:
    office, svc, _counters = small_office()
    _translate_into_turkish(office, svc["id_card"])
    demand = resolve_demand(office=Office.objects.get(pk=office.pk), pairs=[(svc["id_card"].pk, 1)])
    with translation.override("de"):  # whatever the language of the request that booked
        services.appointment_book(
            demand=demand,
            start=EIGHT,
            citizen=services.CitizenDetails(
                name="Ayşe Yılmaz", email="ayse@example.org", language=language
            ),
            now=NOW,
        )
    for message in Message.objects.filter(status=MessageStatus.QUEUED):
        send_message.call(message.pk)
    (sent,) = mail.outbox
    return sent


@LOCMEM
@pytest.mark.django_db
def test_a_booking_in_turkish_gets_the_turkish_names_notes_and_paragraph() -> None:
    sent = _booked_mail("tr")
    assert isinstance(sent, mail.EmailMultiAlternatives)
    html = str(sent.alternatives[0][0])
    for text in (sent.body, html):
        assert "Kimlik kartı başvurusu" in text and "Personalausweis" not in text
        assert "Vesikalık fotoğraf" in text and "Passfoto" not in text
        assert "Biyometrik." in text and "Kişi başına bir tane." in text
        assert "Örnek ücret." in text
        assert "Giriş B, iç avluda." in text
        assert "Lütfen tüm belgelerin asıllarını getirin." in text
        assert "Bitte bringen Sie alles im Original mit." not in text
        assert "Ausweis" in text  # not translated: German


@LOCMEM
@pytest.mark.django_db
def test_the_calendar_entry_of_a_turkish_booking_names_the_turkish_texts() -> None:
    sent = _booked_mail("tr")
    (ics,) = [
        attachment[1]
        for attachment in sent.attachments
        if isinstance(attachment, tuple) and "calendar" in attachment[2]
    ]
    (event,) = Calendar.from_ical(ics).walk("VEVENT")
    assert "Kimlik kartı başvurusu" in str(event["summary"])
    assert "Vesikalık fotoğraf (Biyometrik. Kişi başına bir tane.)" in str(event["description"])


@LOCMEM
@pytest.mark.django_db
def test_a_booking_in_german_keeps_the_german_texts() -> None:
    sent = _booked_mail("de")
    assert "Personalausweis" in sent.body and "Passfoto" in sent.body
    assert "Eingang B im Innenhof." in sent.body
    assert "Bitte bringen Sie alles im Original mit." in sent.body
    assert "Kimlik" not in sent.body
