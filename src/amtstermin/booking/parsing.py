"""Dates, wall times and languages from people's input: one parser each, for the booking
pages, the back office and the API.

The forms are strict (``2026-12-07``, ``08:00``), as HTML date and time inputs and the API send
them; a refusal raises ``ParseError`` with a message for people. Callers for whom a bad value
simply means "none given" (links, filters) use ``date_or_none``.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time

from django.conf import settings
from django.utils.translation import gettext_lazy as _

DATE_FORM = "[0-9]{4}-[0-9]{2}-[0-9]{2}"
WALL_TIME_FORM = "[0-9]{2}:[0-9]{2}(?::[0-9]{2})?"
# The API's start: a wall time, or an instant when a UTC offset is given.
START = re.compile(rf"{DATE_FORM}[Tt]{WALL_TIME_FORM}(?:[Zz]|[+-][0-9]{{2}}:[0-9]{{2}})?")
_DATE = re.compile(DATE_FORM)
_WALL_TIME = re.compile(WALL_TIME_FORM)

# Years a citizens' office can mean: far from any booking window and from the calendar's ends,
# so a day's neighbours and time-zone arithmetic never leave the calendar.
OFFICE_YEARS = range(2000, 3000)

error_messages = {
    "date_form": _("Enter a date as YYYY-MM-DD."),
    "no_date": _("%(value)s is not a date in the calendar."),
    "time_form": _("Enter a time as HH:MM."),
    "no_time": _("%(value)s is not a time of day."),
    "start_form": _("Enter the start as office-local date and time, e.g. 2026-12-01T08:00."),
    "no_start": _("%(value)s is not a date and time in the calendar."),
    "past": _("This time is in the past."),
    "far_future": _("This time is too far in the future."),
}


class ParseError(ValueError):
    """The text is not of the asked form; ``message`` is for people."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def parse_date(text: str, *, years: range | None = None) -> date:
    """``YYYY-MM-DD``, a day in the calendar (and in ``years``, if given)."""
    if not _DATE.fullmatch(text):
        raise ParseError(str(error_messages["date_form"]))
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise ParseError(error_messages["no_date"] % {"value": text}) from None
    if years is not None and day.year not in years:
        raise ParseError(error_messages["no_date"] % {"value": text})
    return day


def date_or_none(text: str | None, *, years: range | None = OFFICE_YEARS) -> date | None:
    """The day, or None for no text or a malformed one (a link's or a filter's day)."""
    try:
        return parse_date(text, years=years) if text else None
    except ParseError:
        return None


def parse_wall_time(text: str) -> time:
    """``HH:MM`` or ``HH:MM:SS``, a time of day without a zone (the office's wall clock)."""
    if not _WALL_TIME.fullmatch(text):
        raise ParseError(str(error_messages["time_form"]))
    try:
        return time.fromisoformat(text)
    except ValueError:
        raise ParseError(error_messages["no_time"] % {"value": text}) from None


def parse_start(text: str) -> datetime:
    """``YYYY-MM-DDTHH:MM[:SS]`` as a naive wall time, or aware if a UTC offset is given."""
    if not START.fullmatch(text):
        raise ParseError(str(error_messages["start_form"]))
    try:
        value = datetime.fromisoformat(text.upper())
    except ValueError:
        raise ParseError(error_messages["no_start"] % {"value": text}) from None
    if value.year < OFFICE_YEARS.start:
        raise ParseError(str(error_messages["past"]))
    if value.year >= OFFICE_YEARS.stop:
        raise ParseError(str(error_messages["far_future"]))
    return value


def language_codes() -> tuple[str, ...]:
    """The languages the site speaks (``settings.LANGUAGES``), the default first."""
    codes = [code for code, _name in settings.LANGUAGES]
    default = settings.LANGUAGE_CODE[:2]
    return (default, *(code for code in codes if code != default))


def supported_language(code: str | None) -> str:
    """``code`` (e.g. ``en`` or ``en-gb``) as one of ``language_codes()``; else the default."""
    short = (code or "")[:2].lower()
    codes = language_codes()
    return short if short in codes else codes[0]
