"""Content in German with an English translation: ``name`` / ``name_en`` field pairs."""

from __future__ import annotations

from django.utils.translation import get_language

from amtstermin.booking.parsing import supported_language


def localized(obj: object, field: str, language: str | None = None) -> str:
    """The English text when English is active and a translation exists, else the German."""
    if supported_language(language or get_language()) == "en":
        english = getattr(obj, f"{field}_en", "")
        if english:
            return str(english)
    return str(getattr(obj, field))
