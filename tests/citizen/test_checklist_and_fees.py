"""The citizen's checklist: one line per catalogue entry with every note, each service's fee
beside the total, on the manage page, in the e-mail and in the calendar entry."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from django.core import mail
from django.test import Client, override_settings
from icalendar import Calendar

from amtstermin.booking import services
from amtstermin.booking.demand import resolve_demand
from amtstermin.booking.models import Appointment, Service
from amtstermin.notifications.models import Message, MessageStatus
from amtstermin.notifications.tasks import send_message
from tests.factories import make_document, small_office

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
EIGHT = datetime(2026, 12, 7, 7, 0, tzinfo=UTC)  # Monday 08:00 in Berlin

pytestmark = pytest.mark.django_db


@pytest.fixture
def booked() -> tuple[Appointment, str]:
    """Two ID cards (37 € each) and a registration of two (fee 10 € per visit); a certificate
    both services ask for, with a note each, and copies counted per person "je Seite"."""
    office, svc, _counters = small_office()
    Service.objects.filter(pk=svc["registration"].pk).update(
        fee_amount="10.00", fee_per_person=False, fee_note="Gebühr je Haushalt"
    )
    make_document(svc["id_card"], "Geburts- oder Heiratsurkunde", note="bei Namensänderung")
    make_document(svc["registration"], "Geburts- oder Heiratsurkunde", note="im Original")
    make_document(svc["registration"], "Kopie des Mietvertrags", per_person=True, note="je Seite")
    demand = resolve_demand(
        office=office, pairs=[(svc["id_card"].pk, 2), (svc["registration"].pk, 2)]
    )
    return services.appointment_book(
        demand=demand,
        start=EIGHT,
        citizen=services.CitizenDetails(name="Erika Mustermann", email="erika@example.org"),
        now=NOW,
    )


def test_the_manage_page_lists_a_shared_document_once_with_both_notes(
    client: Client, booked: tuple[Appointment, str]
) -> None:
    _appointment, token = booked
    page = client.get(f"/manage/{token}/", headers={"Accept-Language": "de"}).content.decode()
    assert len(re.findall(r"×</span>\s*Geburts- oder Heiratsurkunde", page)) == 1
    assert "bei Namensänderung" in page and "im Original" in page
    assert re.search(
        r"2 ×</span>\s*Kopie des Mietvertrags<br><span class=\"hint\">je Seite</span>", page
    )


def test_the_manage_page_shows_each_services_fee_beside_the_total(
    client: Client, booked: tuple[Appointment, str]
) -> None:
    _appointment, token = booked
    page = client.get(f"/manage/{token}/", headers={"Accept-Language": "de"}).content.decode()
    fees = page[page.index('class="summary-list fee-lines"') :]
    assert re.search(
        r"<dt>Personalausweis</dt><dd>2 × 37,00\xa0€ = <span class=\"fee-amount\">74,00\xa0€",
        fees,
    )
    assert re.search(r"<dt>Anmeldung</dt><dd><span class=\"fee-amount\">10,00\xa0€", fees)
    assert "Gebühr je Haushalt" in fees
    assert '<strong class="fee-total">84,00\xa0€</strong>' in fees


@override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")
def test_the_booked_mail_and_calendar_entry_keep_the_notes_and_the_fees_per_service(
    booked: tuple[Appointment, str],
) -> None:
    for message in Message.objects.filter(status=MessageStatus.QUEUED):
        send_message.call(message.pk)
    (booked_mail,) = mail.outbox
    assert "- 2 × Kopie des Mietvertrags (je Seite)" in booked_mail.body
    assert (
        "- 1 × Geburts- oder Heiratsurkunde (bei Namensänderung; im Original)" in booked_mail.body
    )
    assert "  Personalausweis: 2 × 37,00\u00a0€ = 74,00\u00a0€" in booked_mail.body
    assert "  Anmeldung: 10,00\u00a0€ (Gebühr je Haushalt)" in booked_mail.body
    assert "Gesamt: 84,00\u00a0€" in booked_mail.body
    (_name, ics_bytes, _type) = next(a for a in booked_mail.attachments if a[0] == "termin.ics")
    description = str(Calendar.from_ical(ics_bytes).walk("VEVENT")[0]["description"])
    assert "- 2 × Kopie des Mietvertrags (je Seite)" in description
