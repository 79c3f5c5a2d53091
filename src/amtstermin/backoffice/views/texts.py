"""The page "Texts still to translate": per language, the office's own texts that citizens
read in German because they are not translated yet, each with a link to where it is edited."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.text import Truncator
from django.views.decorators.http import require_GET

from amtstermin.backoffice import texts_selectors
from amtstermin.backoffice.access import CONFIGURING, staff_required
from amtstermin.backoffice.audit_display import field_label
from amtstermin.booking.models import Document, Office
from amtstermin.notifications.models import MessageSetting

from .common import page_context


@dataclass(frozen=True)
class Row:
    what: str  # the record, e.g. "Service: Reisepass beantragen"
    text: str  # the text's label, e.g. "Name (Turkish)"
    german: str
    edit_url: str


def _record_label(record: Model) -> str:
    kind = str(record._meta.verbose_name)
    if isinstance(record, Document):
        name = f"{record.service.name}: {record.name}"
    elif isinstance(record, MessageSetting):
        name = str(record.get_kind_display())
    else:
        name = str(getattr(record, "name", record))
    return f"{kind[:1].upper()}{kind[1:]}: {name}"


def _edit_url(record: Model, column: str) -> str:
    """The configuration page where the text is edited, at its field."""
    if isinstance(record, Document):  # edited with its service, in the documents' box
        url = reverse("admin:booking_service_change", args=[record.service_id])
        return f"{url}#documents-group"
    meta = record._meta
    url = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[record.pk])
    return f"{url}#id_{column}"


def _row(missing: texts_selectors.MissingText) -> Row:
    return Row(
        what=_record_label(missing.record),
        text=field_label([type(missing.record)], missing.column),
        german=Truncator(missing.german).chars(90),
        edit_url=_edit_url(missing.record, missing.column),
    )


@staff_required(CONFIGURING)
@require_GET
def untranslated(request: HttpRequest, office: Office) -> HttpResponse:
    languages = [
        (gaps, [_row(missing) for missing in gaps.missing])
        for gaps in texts_selectors.untranslated(office)
    ]
    return render(
        request,
        "backoffice/untranslated.html",
        page_context(
            request,
            office,
            languages=languages,
            complete=not any(rows for _gaps, rows in languages),
        ),
    )
