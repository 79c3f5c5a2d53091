"""Formats and bidi isolation where citizens read them: the manage page and the e-mails in
English, Turkish and Arabic (the booking and the browser in the same language, so the test holds
whichever of the two a page follows)."""

from __future__ import annotations

from datetime import UTC, datetime

from django.core import mail
from django.test import Client, override_settings
from icalendar import Calendar

from amtstermin.booking import services
from amtstermin.booking.demand import resolve_demand
from amtstermin.booking.models import Appointment
from amtstermin.notifications.models import Message, MessageStatus
from amtstermin.notifications.tasks import send_message

from .conftest import NOW, Cast

EIGHT = datetime(2026, 12, 7, 7, 0, tzinfo=UTC)  # Monday 08:00 in Berlin
LRI, PDI = "\u2066", "\u2069"


def _book(cast: Cast, language: str) -> tuple[Appointment, str]:
    demand = resolve_demand(office=cast.office, pairs=[(cast.services["id_card"].pk, 1)])
    return services.appointment_book(
        demand=demand,
        start=EIGHT,
        citizen=services.CitizenDetails(
            name="Leyla Demir", email="leyla@example.org", language=language
        ),
        now=NOW,
    )


def _manage_page(cast: Cast, language: str) -> tuple[Appointment, str]:
    appointment, token = _book(cast, language)
    html = Client().get(f"/manage/{token}/", headers={"Accept-Language": language})
    return appointment, html.content.decode()


@override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")
def _booked_mail(cast: Cast, language: str) -> tuple[Appointment, mail.EmailMultiAlternatives]:
    appointment, _token = _book(cast, language)
    for message in Message.objects.filter(status=MessageStatus.QUEUED):
        send_message.call(message.pk)
    (sent,) = mail.outbox
    assert isinstance(sent, mail.EmailMultiAlternatives)
    return appointment, sent


def test_the_arabic_manage_page_runs_right_to_left_and_isolates_code_time_and_phone(
    cast: Cast,
) -> None:
    appointment, html = _manage_page(cast, "ar")
    assert '<html lang="ar" dir="rtl">' in html
    assert f'id="booking-code"><bdi dir="ltr">{appointment.code}</bdi></p>' in html
    assert 'الاثنين، 7 ديسمبر 2026، <bdi dir="ltr">08:00</bdi>' in html
    assert '<bdi dir="ltr">+49 1234 5678</bdi>' in html


def test_english_e_mails_use_one_format(cast: Cast) -> None:
    _appointment, sent = _booked_mail(cast, "en")
    assert "Monday, 7 December 2026, 08:00–08:15" in sent.body
    assert "€37.00" in sent.body
    for mixed in ("Dec.", "a.m.", "37.00 €", "Uhr"):
        assert mixed not in sent.body


def test_turkish_e_mails_write_dates_and_money_the_turkish_way(cast: Cast) -> None:
    _appointment, sent = _booked_mail(cast, "tr")
    assert "7 Aralık 2026 Pazartesi 08:00–08:15" in sent.body
    assert "€37,00" in sent.body


def test_arabic_e_mails_isolate_code_times_and_links(cast: Cast) -> None:
    appointment, sent = _booked_mail(cast, "ar")
    assert f"{LRI}{appointment.code}{PDI}" in sent.body
    assert f"الاثنين، 7 ديسمبر 2026، {LRI}08:00–08:15{PDI}" in sent.body
    assert f"{LRI}http://" in sent.body and "/manage/" in sent.body
    html, _type = sent.alternatives[0]
    assert 'dir="rtl"' in str(html)
    assert f'<bdi dir="ltr">{appointment.code}</bdi>' in str(html)
    (attachment,) = [a for a in sent.attachments if isinstance(a, tuple) and a[0] == "termin.ics"]
    event = Calendar.from_ical(attachment[1]).walk("VEVENT")[0]
    assert f"{LRI}{appointment.code}{PDI}" in str(event["DESCRIPTION"])


def test_the_arabic_opening_hours_keep_their_order(cast: Cast) -> None:
    html = Client().get(f"/o/{cast.office.pk}/", headers={"Accept-Language": "ar"})
    assert html.content.decode().count('<bdi dir="ltr">08:00–12:00</bdi>') == 5
