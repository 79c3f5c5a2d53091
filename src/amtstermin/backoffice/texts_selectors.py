"""Reads for the page "Texts still to translate": per language, which of the office's own
texts citizens would read in German because nobody has translated them yet.

A text counts as missing in a language when its German text is not empty and the language's
is. Inactive services (and their documents) are left out: no citizen sees them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Model

from amtstermin.booking import office_texts
from amtstermin.booking.models import SERVICE_ORDER, Document, DocumentType, Office, Service
from amtstermin.notifications.models import MessageSetting


@dataclass(frozen=True)
class MissingText:
    record: Model
    field: str  # the translated field, e.g. "name"
    column: str  # its column in the language, e.g. "name_tr"
    german: str


@dataclass(frozen=True)
class LanguageGaps:
    code: str
    name: str  # in the reader's language
    missing: tuple[MissingText, ...]


def office_text_records(office: Office) -> Iterator[Model]:
    """Every record of the office with texts for citizens, in the order the office sees them:
    the office, its services, its document catalogue, each service's documents, its e-mails."""
    yield office
    services = list(Service.objects.filter(office=office, active=True).order_by(*SERVICE_ORDER))
    yield from services
    yield from DocumentType.objects.filter(office=office).order_by("sort_order", "name_de", "pk")
    yield from (
        Document.objects.filter(service__in=services)
        .select_related("service", "document_type")
        .order_by("service__sort_order", "service__name_de", "service_id", "sort_order", "pk")
    )
    yield from MessageSetting.objects.filter(office=office).order_by("kind")


def untranslated(office: Office) -> list[LanguageGaps]:
    """For each language but German, the office's texts not yet written in it."""
    records = list(office_text_records(office))
    names = dict(settings.LANGUAGES)
    found: list[LanguageGaps] = []
    for code in office_texts.languages()[1:]:
        missing = [
            MissingText(
                record=record,
                field=field,
                column=office_texts.column(field, code),
                german=german,
            )
            for record in records
            for field in office_texts.text_fields(type(record))
            if (german := office_texts.german(record, field))
            and not office_texts.text_in(record, field, code)
        ]
        found.append(LanguageGaps(code=code, name=str(names[code]), missing=tuple(missing)))
    return found
