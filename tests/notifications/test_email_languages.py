"""Every e-mail and its .ics speak the booking's language, in each language the site ships."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.utils import translation
from icalendar import Calendar

from amtstermin.booking import services
from amtstermin.booking.demand import resolve_demand
from amtstermin.notifications import emails
from amtstermin.notifications.models import Message, MessageKind
from tests.factories import small_office

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
EIGHT = datetime(2026, 12, 7, 7, 0, tzinfo=UTC)  # Monday 08:00 in Berlin
LANGUAGES = [code for code, _name in settings.LANGUAGES]
BIDI_ISOLATES = dict.fromkeys(range(0x2066, 0x206A))


def _in(language: str, text: str) -> str:
    with translation.override(language):
        return translation.gettext(text)


def _description(email: EmailMultiAlternatives) -> str:
    (content,) = [a[1] for a in email.attachments if isinstance(a, tuple) and a[0] == "termin.ics"]
    (event,) = Calendar.from_ical(content).walk("VEVENT")
    return str(event["description"])


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_mail_and_calendar_file_speak_the_booking_language(db: None, language: str) -> None:
    office, svc, _counters = small_office()
    demand = resolve_demand(office=office, pairs=[(svc["id_card"].pk, 1)])
    citizen = services.CitizenDetails(
        name="Erika Mustermann", email="erika@example.org", language=language
    )
    appointment, _token = services.appointment_book(
        demand=demand, start=EIGHT, citizen=citizen, now=NOW
    )
    services.appointment_cancel(appointment=appointment, now=NOW)
    built = {
        MessageKind(message.kind): emails.build(message)
        for message in Message.objects.filter(appointment=appointment)
    }
    assert set(built) == {MessageKind.CONFIRMED, MessageKind.CANCELLED}
    with translation.override(language):
        subjects = {kind: str(emails.SUBJECTS[kind]()) for kind in built}
    for kind, email in built.items():
        assert email.subject == f"{subjects[kind]} – {office.name}"
        body = str(email.body).translate(BIDI_ISOLATES)  # Arabic isolates codes left to right
        assert f"{_in(language, 'Booking code')}: {appointment.code}" in body
        assert _in(language, "Please bring:") in _description(email)
    # The msgids are English and German is the fallback: every other language ships its own.
    for text in ("Your appointment is booked", "Booking code", "Please bring:"):
        if language == "de":
            assert _in("de", text) != text
        elif language != "en":
            assert _in(language, text) not in {text, _in("de", text)}, text
