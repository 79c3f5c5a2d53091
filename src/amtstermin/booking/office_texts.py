"""The office's own texts in every language (``booking/translation.py`` registers them): which
fields there are, their columns, the German source, whose office a text belongs to, and the
audit entry for a change of them (the configuration pages write the texts themselves).

German is the source language: required, what a missing translation falls back to, and what
the staff's records keep (the audit log's names, the statistics).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db.models import Model
from django.utils import timezone
from modeltranslation.translator import NotRegistered, translator
from modeltranslation.utils import build_localized_fieldname

from amtstermin.booking import audit
from amtstermin.booking.models import AuditAction, AuditEntry, Document, Office

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def source_language() -> str:
    return str(settings.MODELTRANSLATION_DEFAULT_LANGUAGE)


def languages() -> list[str]:
    """The languages texts are written in, German first."""
    codes = [code for code, _name in settings.LANGUAGES]
    return [source_language(), *(code for code in codes if code != source_language())]


def text_models() -> list[type[Model]]:
    """The models with translated texts, in a fixed order (offices first)."""
    found = translator.get_registered_models(abstract=False)
    return sorted(found, key=lambda model: (model is not Office, model._meta.label))


def text_fields(model: type[Model]) -> list[str]:
    """The model's translated fields, in the model's own order (none for another model)."""
    try:
        names = set(translator.get_options_for_model(model).get_field_names())
    except NotRegistered:
        return []
    return [field.name for field in model._meta.fields if field.name in names]


def column(field: str, language: str) -> str:
    """The column of ``field`` in ``language``, e.g. ``name_tr``."""
    return build_localized_fieldname(field, language)


def text_in(record: Model, field: str, language: str) -> str:
    """The text exactly as written in ``language``: empty when not translated (no fallback)."""
    return str(getattr(record, column(field, language)) or "")


def german(record: Model, field: str) -> str:
    """The German text: the source, and what staff records keep."""
    return text_in(record, field, source_language())


def office_id_of(record: Model) -> int:
    if isinstance(record, Office):
        return int(record.pk)
    if isinstance(record, Document):
        return int(record.service.office_id)
    return int(getattr(record, "office_id"))  # noqa: B009 - every other text model has one


def _stored(value: Any) -> str | None:
    text = "" if value is None else str(value)
    return text or None


def record_text_changes(
    *,
    record: Model,
    changes: Mapping[str, tuple[Any, Any]],
    staff_user: User | None,
    now: datetime | None = None,
) -> AuditEntry | None:
    """Record in the audit log what a change of ``record``'s texts changed: ``changes`` maps
    columns (``name_tr``) to (before, after). Called in the change's transaction; nothing is
    recorded when no text differs (an empty text and none are the same)."""
    differing = {
        name: (_stored(old), _stored(new))
        for name, (old, new) in changes.items()
        if _stored(old) != _stored(new)
    }
    if not differing:
        return None
    subject = {"record": record._meta.label_lower, "id": record.pk}
    return audit.record(
        staff_user=staff_user,
        action=AuditAction.OFFICE_TEXTS,
        now=now or timezone.now(),
        office_id=office_id_of(record),
        before={**subject, **{name: old for name, (old, _new) in differing.items()}},
        after={**subject, **{name: new for name, (_old, new) in differing.items()}},
    )
