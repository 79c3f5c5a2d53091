"""The language a booking or a waitlist wish was made in: its e-mails, its .ics and its pages
speak it. The citizen may change it on the record's own page."""

from __future__ import annotations

from amtstermin.booking.errors import InvalidDetails, error_messages
from amtstermin.booking.models import Appointment, WaitlistEntry
from amtstermin.booking.parsing import language_codes


def record_language_set(*, record: Appointment | WaitlistEntry, language: str) -> None:
    """One column, no time changes hands: no office lock and no availability change."""
    if language not in language_codes():
        raise InvalidDetails(error_messages["unknown_language"], field="language")
    type(record).objects.filter(pk=record.pk).update(language=language)
    record.language = language
