"""The configuration pages' side of the office's own texts: one field per language, grouped by
text, German first and required, each field marked with its language (and direction), and every
change of a text recorded in the audit log as the configuration services record theirs.

Plain fields, no script: modeltranslation's tabbed admin would load jQuery UI from a foreign
site, which the content security policy (and data protection) rules out.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest
from django.utils.translation import get_language_info
from modeltranslation.admin import TranslationAdmin, TranslationStackedInline

from amtstermin.booking import office_texts


def _mark_language(db_field: Any, formfield: forms.Field | None) -> None:
    """``lang`` (and ``dir``) on a translation's input: spelling, speech and script follow it."""
    language = getattr(db_field, "language", None)
    if formfield is None or language is None:
        return
    widget = formfield.widget
    widget.attrs["lang"] = language
    widget.attrs["dir"] = "rtl" if get_language_info(language)["bidi"] else "ltr"


def _text_changes(form: forms.ModelForm[Any]) -> dict[str, tuple[Any, Any]]:
    """Each changed translation column of the form: (before, after)."""
    model = form._meta.model
    assert model is not None
    columns = {
        office_texts.column(field, language)
        for field in office_texts.text_fields(model)
        for language in office_texts.languages()
    }
    return {
        name: (form.initial.get(name), form.cleaned_data.get(name))
        for name in form.changed_data
        if name in columns
    }


def _record(request: HttpRequest, form: forms.ModelForm[Any]) -> None:
    changes = _text_changes(form)
    if changes:
        user = request.user if request.user.is_authenticated else None
        office_texts.record_text_changes(
            record=form.instance,
            changes=changes,
            staff_user=user,
        )


class TranslatedTextsAdmin(TranslationAdmin):
    """A model admin whose translated fields show once per language."""

    group_fieldsets = True  # one box per text, its languages inside (where no fieldsets)

    def formfield_for_dbfield(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        _mark_language(db_field, formfield)
        return formfield

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        _record(request, form)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        super().save_formset(request, form, formset, change)
        for inline_form in formset.forms:
            if inline_form.instance.pk is not None and inline_form not in formset.deleted_forms:
                _record(request, inline_form)


class TranslatedTextsInline(TranslationStackedInline):
    """An inline whose translated fields show once per language (stacked: seven languages
    side by side would not fit)."""

    def formfield_for_dbfield(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        _mark_language(db_field, formfield)
        return formfield
