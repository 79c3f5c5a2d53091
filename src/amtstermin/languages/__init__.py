"""The languages the site speaks, as citizens choose them, and what follows from the choice.

``settings.LANGUAGES`` lists the codes (German first, the default) with their names in the
reader's language; ``OWN_NAMES`` gives each language in its own name and script, as the language
switch shows them. A test keeps the two lists in step.

Here too: ``formatting`` (dates, times, money per language, CLDR data through babel), ``tags``
(the template library ``languages``: the switch, the formats and bidi isolation) and ``staff``
(the back office speaks German and English only).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import get_language, get_language_info

OWN_NAMES = {
    "de": "Deutsch",
    "en": "English",
    "tr": "Türkçe",
    "ar": "العربية",
    "uk": "Українська",
    "ru": "Русский",
    "pl": "Polski",
}


@dataclass(frozen=True)
class Choice:
    code: str
    name: str  # in its own language
    rtl: bool
    current: bool


def choices() -> list[Choice]:
    """Every language of ``settings.LANGUAGES`` for the switch, the active one marked."""
    active = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return [
        Choice(
            code=code,
            name=OWN_NAMES[code],
            rtl=bool(get_language_info(code)["bidi"]),
            current=code == active,
        )
        for code, _name in settings.LANGUAGES
    ]
