"""Reading ids, numbers and days from staff and kiosk input without ever raising."""

from __future__ import annotations

from datetime import date

MAX_DIGITS = 18  # below the database's 64-bit integer range


def is_number(text: str) -> bool:
    """ASCII digits only ("²".isdigit() is True but int() refuses it), and not absurdly long."""
    return text.isascii() and text.isdigit() and len(text) <= MAX_DIGITS


def parse_day(text: str | None) -> date | None:
    """An ISO date in a year a citizens' office can mean; anything else is no date."""
    try:
        day = date.fromisoformat(text) if text else None
    except ValueError:
        return None
    return day if day is not None and 2000 <= day.year <= 2999 else None
