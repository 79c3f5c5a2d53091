"""A model whose texts citizens read in their language (``booking/translation.py``)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import translation
from modeltranslation.translator import translator
from modeltranslation.utils import build_localized_fieldname


class OfficeTextsModel(models.Model):
    """Saved with German active, so the original column (``name`` beside ``name_de`` ...) always
    holds the German text: modeltranslation would otherwise write whichever language is active,
    and code that reads the column directly (a query over another model, ``service__name``)
    would get an arbitrary language. A ``save(update_fields=[...])`` naming a translated field
    also saves its translations, which the active language may have set. An empty translation
    is saved as NULL, as the configuration pages save it: "not translated" is one state, and
    the unique names per language allow any number of records without one."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        _empty_as_null(self)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = _with_translations(type(self), update_fields)
        with translation.override(settings.MODELTRANSLATION_DEFAULT_LANGUAGE):
            super().save(*args, **kwargs)


def _with_translations(model: type[models.Model], names: Any) -> list[str]:
    translated = translator.get_options_for_model(model).get_field_names()
    found = list(names)
    for name in list(found):
        if name in translated:
            found += [
                build_localized_fieldname(name, code)
                for code, _label in settings.LANGUAGES
                if build_localized_fieldname(name, code) not in found
            ]
    return found


def _empty_as_null(record: models.Model) -> None:
    deferred = record.get_deferred_fields()
    for name in translator.get_options_for_model(type(record)).get_field_names():
        for code, _label in settings.LANGUAGES:
            column = build_localized_fieldname(name, code)
            if column not in deferred and getattr(record, column) == "":
                setattr(record, column, None)
