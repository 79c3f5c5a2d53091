"""Dates, times and money in the active language: the one place pages, e-mails, the .ics and the
kiosk slip take them from. The rules are CLDR's, through babel; nothing here is a hand-made table
but two choices:

- English is British English as written in the EU: "Tuesday, 24 November 2026", "08:30",
  "€145.00" (``en_GB``), never the US month-first dates or "8:30 AM".
- Clock times use 24 hours in every language (CLDR's ``Hm`` pattern, "08:30"), Arabic included,
  whose CLDR default is the 12-hour clock with ص/م: the office, its signs, the call display and
  the number slips all speak 24 hours, and the Arabic ``Hm`` pattern is "HH:mm" too. German prose
  adds "Uhr" ("08:30 Uhr"), as German writes a time in a sentence.

Digits stay Latin in Arabic (babel's default numbering system), as Arabic readers in Germany see
them on every letter from the office.

Examples for Tuesday, 24 November 2026, 08:30–09:00, 145 €:

    de  Dienstag, 24. November 2026, 08:30–09:00 Uhr     145,00 €
    en  Tuesday, 24 November 2026, 08:30–09:00           €145.00
    tr  24 Kasım 2026 Salı 08:30–09:00                   €145,00
    ar  الثلاثاء، 24 نوفمبر 2026، 08:30–09:00            ‏145.00 €
    uk  вівторок, 24 листопада 2026 р., 08:30–09:00      145,00 EUR
    ru  вторник, 24 ноября 2026 г., 08:30–09:00          145,00 €
    pl  wtorek, 24 listopada 2026 08:30–09:00            145,00 €

Bidi isolation: times, time ranges, numeric dates, booking codes, queue numbers, phone numbers,
e-mail addresses and links are left-to-right runs. Inside right-to-left text (Arabic) they are
isolated, so that "08:30–09:00" is not shown as "09:00–08:30": ``isolate(text)`` wraps them in the
Unicode isolates U+2066 LRI … U+2069 PDI for plain text (e-mails, .ics), ``isolate(text,
html=True)`` in ``<bdi dir="ltr">`` for pages (the template filter ``ltr`` does the same and picks
by the template's autoescaping). The functions below that put a time into a longer text take
``html=`` and isolate the time themselves. In left-to-right languages nothing is added.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, tzinfo
from decimal import Decimal
from functools import lru_cache
from typing import Literal

from babel import Locale
from babel.dates import format_date, format_datetime, format_interval, get_datetime_format
from babel.numbers import format_currency
from django.utils import timezone
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, get_language_bidi

from amtstermin.booking.parsing import supported_language

# The one locale that needs a region: English with day-month dates and the 24-hour clock.
REGIONS = {"en": "en_GB"}
LRI, PDI = "\u2066", "\u2069"  # LEFT-TO-RIGHT ISOLATE, POP DIRECTIONAL ISOLATE
CURRENCY = "EUR"


def language() -> str:
    """The active language, as one of ``settings.LANGUAGES``."""
    return supported_language(get_language())


@lru_cache(maxsize=16)
def _locale(code: str) -> Locale:
    return Locale.parse(REGIONS.get(code, code))


def locale() -> Locale:
    return _locale(language())


def rtl() -> bool:
    return bool(get_language_bidi())


def isolate(text: str, *, html: bool = False) -> str:
    """``text`` kept left to right inside right-to-left text; escaped when ``html``."""
    if html:
        return format_html('<bdi dir="ltr">{}</bdi>', text) if rtl() else conditional_escape(text)
    return f"{LRI}{text}{PDI}" if rtl() else text


def _compose(pattern: str, html: bool, **parts: str) -> str:
    """CLDR's glue pattern (``{1}, {0}``) filled with ``parts``; in HTML, escaped."""
    text = pattern.replace("'", "")
    if html:
        text = conditional_escape(text)
        parts = {key: conditional_escape(value) for key, value in parts.items()}
    for key, value in parts.items():
        text = text.replace("{" + key + "}", value)
    return mark_safe(text) if html else text  # noqa: S308  # every part escaped above


def local(value: datetime | int, tz: tzinfo | None = None) -> datetime:
    """An aware datetime or an engine instant (int seconds, UTC) in ``tz`` (default: the active
    time zone, which the e-mails set to the office's)."""
    if isinstance(value, int):
        value = datetime.fromtimestamp(value, UTC)
    return value.astimezone(tz or timezone.get_current_timezone())


@lru_cache(maxsize=64)
def _skeleton_pattern(code: str, skeleton: str) -> str:
    return str(_locale(code).datetime_skeletons[skeleton])


def _glue(width: Literal["medium", "short"]) -> str:
    """How the language joins a date and a time: "{1}, {0}", "{1}، {0}", "{1} {0}"."""
    return str(get_datetime_format(width, locale=locale()))


def _weekday_wide(pattern: str) -> str:
    """A pattern's weekday (``E``, ``EEE``, ``ccc``) written out, outside quoted text."""
    pieces = re.split(r"('[^']*')", pattern)
    return "".join(
        piece if piece.startswith("'") else re.sub(r"E+|c+", lambda m: m.group(0)[0] * 4, piece)
        for piece in pieces
    )


def hhmm(value: datetime | int, tz: tzinfo | None = None) -> str:
    """The wall time alone, "08:30", as on the time buttons."""
    return format_datetime(local(value, tz), _skeleton_pattern(language(), "Hm"), locale=locale())


def clock_time(value: datetime | int, tz: tzinfo | None = None, *, html: bool = False) -> str:
    """A time in a sentence: "08:30 Uhr" in German, "08:30" elsewhere; isolated."""
    text = hhmm(value, tz)
    if language() == "de":
        text = f"{text} Uhr"
    return isolate(text, html=html)


def time_range(
    start: datetime | int, end: datetime | int, tz: tzinfo | None = None, *, html: bool = False
) -> str:
    """ "08:30–09:00 Uhr" / "08:30–09:00", as CLDR writes an interval; isolated."""
    text = format_interval(local(start, tz), local(end, tz), "Hm", locale=locale())
    return isolate(text, html=html)


def hours_range(start: time, end: time) -> str:
    """Opening hours from wall times: "08:00–12:00 Uhr" / "08:00–12:00" (isolate it in text)."""
    return str(format_interval(start, end, "Hm", locale=locale()))


def long_date(value: date) -> str:
    """The full date with the weekday: "Dienstag, 24. November 2026", "24 Kasım 2026 Salı"."""
    return format_date(value, "full", locale=locale())


def day_label(value: date) -> str:
    """A day without the year, for the week view: "Dienstag, 24. November"."""
    pattern = _weekday_wide(_skeleton_pattern(language(), "MMMMEd"))
    return format_date(value, pattern, locale=locale())


def numeric_date_time(value: datetime | int, tz: tzinfo | None = None) -> str:
    """Date in digits and time, "24.11.2026, 08:30", as on a printed slip (not isolated: the
    caller isolates the whole)."""
    moment = local(value, tz)
    day = format_date(moment.date(), _skeleton_pattern(language(), "yMd"), locale=locale())
    return _compose(_glue("short"), False, **{"1": day, "0": hhmm(moment)})


def date_time(value: datetime | int, tz: tzinfo | None = None, *, html: bool = False) -> str:
    """ "Dienstag, 24. November 2026, 08:30 Uhr", the time isolated."""
    moment = local(value, tz)
    return _compose(
        _glue("medium"),
        html,
        **{"1": long_date(moment.date()), "0": clock_time(moment, html=html)},
    )


def date_time_range(
    start: datetime | int, end: datetime | int, tz: tzinfo | None = None, *, html: bool = False
) -> str:
    """ "Dienstag, 24. November 2026, 08:30–09:00 Uhr", the times isolated."""
    first = local(start, tz)
    return _compose(
        _glue("medium"),
        html,
        **{"1": long_date(first.date()), "0": time_range(first, local(end, tz), html=html)},
    )


def money(amount: Decimal | int) -> str:
    """Euros as the language writes them: "145,00 €", "€145.00", "145,00 EUR" (Ukrainian)."""
    return str(format_currency(amount, CURRENCY, locale=locale()))


__all__ = [
    "LRI",
    "PDI",
    "clock_time",
    "date_time",
    "date_time_range",
    "day_label",
    "hhmm",
    "hours_range",
    "isolate",
    "language",
    "local",
    "locale",
    "long_date",
    "money",
    "numeric_date_time",
    "rtl",
    "time_range",
]
