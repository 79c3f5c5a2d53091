"""A table as CSV: semicolons, decimal commas and a UTF-8 BOM for German spreadsheets by
default; plain CSV (commas, decimal points, no BOM) on request."""

from __future__ import annotations

import csv
import io

from django.http import HttpResponse

from amtstermin.reports.pages import Cell, Section


def _cell(value: Cell, decimal_comma: bool) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        text = f"{value:g}" if abs(value) < 1e15 else str(value)
        return text.replace(".", ",") if decimal_comma else text
    return str(value)


def csv_text(section: Section, *, plain: bool = False) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter="," if plain else ";", lineterminator="\r\n")
    writer.writerow(section.columns)
    for row in section.rows:
        writer.writerow([_cell(value, not plain) for value in row])
    return out.getvalue() if plain else "\ufeff" + out.getvalue()


def csv_response(section: Section, *, filename: str, plain: bool = False) -> HttpResponse:
    response = HttpResponse(
        csv_text(section, plain=plain).encode("utf-8"), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
