"""The audit log as CSV: what the page shows, every filtered entry, one row each.

Semicolons and a byte order mark by default (``amtstermin.spreadsheet``); ``comma`` gives plain
comma-separated UTF-8 for other programs.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from itertools import islice
from typing import Literal

from django.db.models import QuerySet
from django.http import StreamingHttpResponse
from django.utils import translation
from django.utils.translation import gettext as _

from amtstermin.backoffice.audit_display import present
from amtstermin.booking.models import AuditEntry, Office
from amtstermin.spreadsheet import BOM, safe_cell

Separator = Literal["semicolon", "comma"]
CHUNK = 500


class _Line:
    """A file-like target for ``csv.writer`` that hands back each written line."""

    def write(self, value: str) -> str:
        return value


def _header() -> list[str]:
    return [
        _("Time"),
        _("Staff member"),
        _("Action"),
        _("Appointment or number"),
        _("Changes"),
        _("Note"),
    ]


def rows(entries: QuerySet[AuditEntry], office: Office) -> Iterator[list[str]]:
    """The header, then one row per entry, loaded and named in chunks."""
    yield _header()
    iterator = entries.iterator(chunk_size=CHUNK)
    while chunk := list(islice(iterator, CHUNK)):
        for line in present(chunk, office):
            yield [line.time, line.staff, line.action, line.subject, line.changes_text, line.note]


def csv_lines(
    entries: QuerySet[AuditEntry], office: Office, separator: Separator, language: str
) -> Iterator[str]:
    """The file line by line, in ``language`` (the server writes it after the view returned)."""
    writer = csv.writer(_Line(), delimiter=";" if separator == "semicolon" else ",")
    with translation.override(language):
        if separator == "semicolon":
            yield BOM
        for row in rows(entries, office):
            yield writer.writerow([safe_cell(cell) for cell in row])


def csv_response(
    entries: QuerySet[AuditEntry], office: Office, separator: Separator, filename: str
) -> StreamingHttpResponse:
    lines = csv_lines(entries, office, separator, translation.get_language())
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
