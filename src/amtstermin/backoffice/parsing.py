"""Reading ids and numbers from staff and kiosk input without ever raising (dates, times and
languages: ``booking.parsing``)."""

from __future__ import annotations

MAX_DIGITS = 18  # below the database's 64-bit integer range


def is_number(text: str) -> bool:
    """ASCII digits only ("²".isdigit() is True but int() refuses it), and not absurdly long."""
    return text.isascii() and text.isdigit() and len(text) <= MAX_DIGITS
