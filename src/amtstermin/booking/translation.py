"""The office's own texts that citizens read, in every language of ``settings.LANGUAGES``
(django-modeltranslation finds this module in each app).

Each field listed here gets one column per language (``name_de``, ``name_en``, ``name_tr`` ...);
reading ``service.name`` gives the active language's text, or the German one where that is
missing. German is required, every other language optional; an empty translation is stored as
NULL, so "not translated" is one state and the per-language unique names allow many missing.

Not translated, on purpose: the office's name, street, city and e-mail address (proper names
and addresses, the same in every language), counter names (the signs in the building say
"Schalter 2"), and the reasons a clerk types for an absence, a closure or a cancellation
(written once, in a hurry, for one occasion; the e-mail quotes them as typed).
"""

from __future__ import annotations

from modeltranslation.translator import TranslationOptions, register

from amtstermin.booking.models import Document, DocumentType, Office, Service, ServiceCategory


class OfficeText(TranslationOptions):
    empty_values = None  # a missing translation is NULL, never an empty string


@register(Service)
class ServiceTexts(OfficeText):
    fields = ("name", "description", "fee_note")


@register(DocumentType)
class DocumentTypeTexts(OfficeText):
    fields = ("name", "note")


@register(Document)
class DocumentTexts(OfficeText):
    fields = ("note",)


@register(Office)
class OfficeTexts(OfficeText):
    fields = ("address_note", "accessibility_statement", "accessibility_method")


@register(ServiceCategory)
class ServiceCategoryTexts(OfficeText):
    fields = ("name",)
