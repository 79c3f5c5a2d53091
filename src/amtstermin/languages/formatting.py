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
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, tzinfo
from decimal import Decimal
from functools import lru_cache

from babel import Locale
from babel.dates import (
    DateTimePattern,
    format_interval,
    get_date_format,
    get_datetime_format,
    parse_pattern,
)
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


@dataclass(frozen=True)
class _Style:
    """One language's patterns, looked up and parsed once."""

    locale: Locale
    clock: DateTimePattern  # CLDR's "Hm": 24 hours
    day: DateTimePattern  # "MMMMEd" with the weekday written out
    numeric_day: DateTimePattern  # "yMd"
    full_date: DateTimePattern
    glue: str  # how a date and a time are joined: "{1}, {0}", "{1}، {0}", "{1} {0}"
    short_glue: str


def _weekday_wide(pattern: str) -> str:
    """A pattern's weekday (``E``, ``EEE``, ``ccc``) written out, outside quoted text."""
    pieces = re.split(r"('[^']*')", pattern)
    return "".join(
        piece if piece.startswith("'") else re.sub(r"E+|c+", lambda m: m.group(0)[0] * 4, piece)
        for piece in pieces
    )


@lru_cache(maxsize=16)
def _style(code: str) -> _Style:
    found = Locale.parse(REGIONS.get(code, code))
    skeletons = found.datetime_skeletons
    return _Style(
        locale=found,
        clock=parse_pattern(str(skeletons["Hm"])),
        day=parse_pattern(_weekday_wide(str(skeletons["MMMMEd"]))),
        numeric_day=parse_pattern(str(skeletons["yMd"])),
        full_date=parse_pattern(str(get_date_format("full", locale=found))),
        glue=str(get_datetime_format("medium", locale=found)).replace("'", ""),
        short_glue=str(get_datetime_format("short", locale=found)).replace("'", ""),
    )


def locale() -> Locale:
    return _style(language()).locale


def rtl() -> bool:
    return bool(get_language_bidi())


def isolate(text: str, *, html: bool = False) -> str:
    """``text`` kept left to right inside right-to-left text; escaped when ``html``."""
    if html:
        return format_html('<bdi dir="ltr">{}</bdi>', text) if rtl() else conditional_escape(text)
    return f"{LRI}{text}{PDI}" if rtl() else text


def _compose(glue: str, html: bool, *, day: str, moment: str) -> str:
    """CLDR's glue (``{1}, {0}``) filled with a day and a time; in HTML, escaped."""
    if html:
        glue, day, moment = (conditional_escape(part) for part in (glue, day, moment))
    text = glue.replace("{1}", day).replace("{0}", moment)
    return mark_safe(text) if html else text  # noqa: S308  # every part escaped above


def local(value: datetime | int, tz: tzinfo | None = None) -> datetime:
    """An aware datetime or an engine instant (int seconds, UTC) in ``tz`` (default: the active
    time zone, which the e-mails set to the office's)."""
    if isinstance(value, int):
        value = datetime.fromtimestamp(value, UTC)
    return value.astimezone(tz or timezone.get_current_timezone())


def _hhmm(moment: datetime, code: str) -> str:
    style = _style(code)
    return str(style.clock.apply(moment, style.locale))


def _clock_time(moment: datetime, code: str, html: bool) -> str:
    text = _hhmm(moment, code)
    return isolate(f"{text} Uhr" if code == "de" else text, html=html)


def _long_date(value: date, code: str) -> str:
    style = _style(code)
    return str(style.full_date.apply(value, style.locale))


def _time_range(start: datetime, end: datetime, code: str, html: bool) -> str:
    text = format_interval(start, end, "Hm", locale=_style(code).locale)
    return isolate(text, html=html)


def hhmm(value: datetime | int, tz: tzinfo | None = None) -> str:
    """The wall time alone, "08:30", as on the time buttons."""
    return _hhmm(local(value, tz), language())


def clock_time(value: datetime | int, tz: tzinfo | None = None, *, html: bool = False) -> str:
    """A time in a sentence: "08:30 Uhr" in German, "08:30" elsewhere; isolated."""
    return _clock_time(local(value, tz), language(), html)


def time_range(
    start: datetime | int, end: datetime | int, tz: tzinfo | None = None, *, html: bool = False
) -> str:
    """ "08:30–09:00 Uhr" / "08:30–09:00", as CLDR writes an interval; isolated."""
    return _time_range(local(start, tz), local(end, tz), language(), html)


def hours_range(start: time, end: time) -> str:
    """Opening hours from wall times: "08:00–12:00 Uhr" / "08:00–12:00" (isolate it in text)."""
    return str(format_interval(start, end, "Hm", locale=locale()))


def long_date(value: date) -> str:
    """The full date with the weekday: "Dienstag, 24. November 2026", "24 Kasım 2026 Salı"."""
    return _long_date(value, language())


def day_label(value: date) -> str:
    """A day without the year, for the week view: "Dienstag, 24. November"."""
    style = _style(language())
    return str(style.day.apply(value, style.locale))


def numeric_date_time(value: datetime | int, tz: tzinfo | None = None) -> str:
    """Date in digits and time, "24.11.2026, 08:30", as on a printed slip (not isolated: the
    caller isolates the whole)."""
    code = language()
    style = _style(code)
    moment = local(value, tz)
    day = str(style.numeric_day.apply(moment.date(), style.locale))
    return _compose(style.short_glue, False, day=day, moment=_hhmm(moment, code))


def date_time(value: datetime | int, tz: tzinfo | None = None, *, html: bool = False) -> str:
    """ "Dienstag, 24. November 2026, 08:30 Uhr", the time isolated."""
    code = language()
    moment = local(value, tz)
    return _compose(
        _style(code).glue,
        html,
        day=_long_date(moment.date(), code),
        moment=_clock_time(moment, code, html),
    )


def date_time_range(
    start: datetime | int, end: datetime | int, tz: tzinfo | None = None, *, html: bool = False
) -> str:
    """ "Dienstag, 24. November 2026, 08:30–09:00 Uhr", the times isolated."""
    code = language()
    first = local(start, tz)
    return _compose(
        _style(code).glue,
        html,
        day=_long_date(first.date(), code),
        moment=_time_range(first, local(end, tz), code, html),
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
