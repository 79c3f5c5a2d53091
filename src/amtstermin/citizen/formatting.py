"""Dates, times and money as the citizen pages show them, in the office's zone and language.

German: "Montag, 7. Dezember 2026, 08:00 Uhr" and "74,00 €"; English: "Monday, 7 December 2026,
08:00" and "€74.00". Day and month names come from Django's own translations.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, tzinfo
from decimal import Decimal

from django.utils import dateformat, formats
from django.utils.translation import get_language

from amtstermin.booking.parsing import supported_language

# Django date format strings; a backslash escapes a letter that is a format character.
_DATE_TIME = {"de": r"l, j. F Y, H:i \U\h\r", "en": "l, j F Y, H:i"}
_DATE = {"de": "l, j. F Y", "en": "l, j F Y"}
_DAY = {"de": "l, j. F", "en": "l, j F"}
_TIME = {"de": r"H:i \U\h\r", "en": "H:i"}
_NBSP = "\u00a0"


def language() -> str:
    return supported_language(get_language())


def _pick(formats: dict[str, str]) -> str:
    return formats.get(language(), formats["en"])


def local(value: datetime | int, tz: tzinfo) -> datetime:
    """An aware datetime or an engine instant (int seconds, UTC) in the office's zone."""
    if isinstance(value, int):
        value = datetime.fromtimestamp(value, UTC)
    return value.astimezone(tz)


def hhmm(value: datetime | int, tz: tzinfo) -> str:
    """Office-local wall time, ``08:05``."""
    return local(value, tz).strftime("%H:%M")


def date_time(value: datetime | int, tz: tzinfo) -> str:
    return dateformat.format(local(value, tz), _pick(_DATE_TIME))


def long_date(value: date) -> str:
    return dateformat.format(value, _pick(_DATE))


def day_label(value: date) -> str:
    """A day without the year, for the week view: "Monday, 7 December"."""
    return dateformat.format(value, _pick(_DAY))


def clock_time(value: datetime | int, tz: tzinfo) -> str:
    """A time of day for prose: "10:42 Uhr" / "10:42"."""
    return dateformat.format(local(value, tz), _pick(_TIME))


def money(amount: Decimal) -> str:
    """Euros, "74,00 €" in German and "€74.00" in English."""
    number = formats.number_format(amount, 2, use_l10n=True)
    if language() == "de":
        return f"{number}{_NBSP}€"
    return f"€{number}"
