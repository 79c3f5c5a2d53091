"""The privacy notice, the accessibility statement and the Leichte Sprache page of an office."""

from __future__ import annotations

from datetime import time

from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from amtstermin.citizen import formatting
from amtstermin.citizen.hours import weekly_hours

from .base import not_found, office_or_none, render_page

# Where citizens turn when the office names no enforcement body of its own (federal law).
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
    """The office's accessibility statement: date, conformance, limitations, how it was
    prepared and where to turn, all from the office's configuration."""
    office = office_or_none(office_id)
    if office is None:
        return not_found(request)
    reviewed_on = office.accessibility_reviewed_on
    return render_page(
        request,
        "accessibility.html",
        {
            "statement_date": formatting.long_date(reviewed_on) if reviewed_on else "",
            "conformance": office.accessibility_status,
            "schlichtungsstelle_url": SCHLICHTUNGSSTELLE_URL,
        },
        office=office,
    )


@never_cache
@require_GET
def easy_language(request: HttpRequest, office_id: int) -> HttpResponse:
    """The site explained in Leichte Sprache (BITV 2.0 § 4), with the office's real data."""
    office = office_or_none(office_id)
    if office is None:
        return not_found(request)
    today = timezone.now().astimezone(office.zone).date()
    with translation.override("de"):  # Leichte Sprache is German, whatever the site language
        hours = [
            (str(day.weekday), [f"von {_clock(a)} bis {_clock(b)}" for a, b in day.spans])
            for day in weekly_hours(office, today=today)
        ]
    return render_page(request, "easy_language.html", {"hours": hours}, office=office)


def _clock(moment: time) -> str:
    """A time as Leichte Sprache writes it: "8 Uhr", "12:30 Uhr"."""
    if moment.minute == 0:
        return f"{moment.hour} Uhr"
    return f"{moment.hour}:{moment.minute:02d} Uhr"
