"""The privacy notice and the accessibility statement of an office."""

from __future__ import annotations

from datetime import date

from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from amtstermin.citizen import formatting

from .base import not_found, office_or_none, render_page

# The date of the accessibility statement (BITV 2.0 asks for it); update with the statement.
ACCESSIBILITY_STATEMENT_DATE = date(2026, 11, 23)
SCHLICHTUNGSSTELLE_URL = "https://www.schlichtungsstelle-bgg.de/"


@never_cache
@require_GET
def privacy(request: HttpRequest, office_id: int) -> HttpResponse:
    office = office_or_none(office_id)
    if office is None:
        return not_found(request)
    return render_page(request, "privacy.html", {}, office=office)


@never_cache
@require_GET
def accessibility(request: HttpRequest, office_id: int) -> HttpResponse:
    office = office_or_none(office_id)
    if office is None:
        return not_found(request)
    return render_page(
        request,
        "accessibility.html",
        {
            "statement_date": formatting.long_date(ACCESSIBILITY_STATEMENT_DATE),
            "schlichtungsstelle_url": SCHLICHTUNGSSTELLE_URL,
        },
        office=office,
    )
