"""What every CSV download shares: German spreadsheets open a file with semicolons and a UTF-8
byte order mark directly; a text cell that starts with ``= + - @`` (or a tab or carriage
return) would be taken for a formula, so it gets a leading apostrophe."""

from __future__ import annotations

BOM = "\ufeff"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: str) -> str:
    """The text as a cell no spreadsheet runs as a formula."""
    return f"'{value}" if value.startswith(_FORMULA_START) else value
