"""A table as CSV: semicolons, decimal commas and a UTF-8 BOM for German spreadsheets by
default; plain CSV (commas, decimal points, no BOM) on request. Texts (names staff typed) are
made safe from being run as formulas, as in every download (``amtstermin.spreadsheet``)."""

from __future__ import annotations

import csv
import io

from django.http import HttpResponse

from amtstermin.reports.pages import Cell, Section
from amtstermin.spreadsheet import BOM, safe_cell


def _cell(value: Cell, decimal_comma: bool) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        text = f"{value:g}" if abs(value) < 1e15 else str(value)
        return text.replace(".", ",") if decimal_comma else text
    if isinstance(value, int):
        return str(value)
    return safe_cell(str(value))


def csv_text(section: Section, *, plain: bool = False) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter="," if plain else ";", lineterminator="\r\n")
    writer.writerow([safe_cell(str(column)) for column in section.columns])
    for row in section.rows:
        writer.writerow([_cell(value, not plain) for value in row])
    return out.getvalue() if plain else BOM + out.getvalue()


def csv_response(section: Section, *, filename: str, plain: bool = False) -> HttpResponse:
    response = HttpResponse(
        csv_text(section, plain=plain).encode("utf-8"), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
