"""The statistics pages of the back office (office heads and IT of the office), their CSV
downloads, the button that applies a suggested duration, and the public transparency page."""

from __future__ import annotations

import statistics as stats
from datetime import timedelta

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from amtstermin.backoffice.access import PLANNING, STATISTICS, staff_required
from amtstermin.backoffice.views.common import page_context, staff
from amtstermin.booking import selectors
from amtstermin.booking.models import Office, Service, Ticket
from amtstermin.reports import next_free, pages, services
from amtstermin.reports.csv_export import csv_response
from amtstermin.reports.models import StatisticsSettings
from amtstermin.reports.periods import Period, period_from

TABS = (
    ("overview", gettext_lazy("Overview")),
    ("services", gettext_lazy("Per service")),
    ("counters", gettext_lazy("Counters")),
    ("walk-ins", gettext_lazy("Walk-ins")),
    ("forecast", gettext_lazy("Forecast")),
)


def _build(request: HttpRequest, office: Office, page: str) -> tuple[pages.Page, Period]:
    builder = pages.PAGES.get(page)
    if builder is None:
        raise Http404
    now = timezone.now()
    period = period_from(request.GET.dict(), today=now.astimezone(office.zone).date())
    return builder(office, period, now=now), period


@staff_required(STATISTICS)
@require_GET
def statistics(request: HttpRequest, office: Office, page: str = "overview") -> HttpResponse:
    built, period = _build(request, office, page)
    tabs = [(key, str(label)) for key, label in TABS]
    return render(
        request,
        "reports/statistics.html",
        page_context(
            request,
            office,
            page=page,
            page_title=dict(tabs)[page],
            tabs=tabs,
            period=period,
            built=built,
            sections=built.sections,
        ),
    )


@staff_required(STATISTICS)
@require_GET
def statistics_csv(request: HttpRequest, office: Office, page: str, section: str) -> HttpResponse:
    built, period = _build(request, office, page)
    found = next((part for part in built.sections if part.key == section), None)
    if found is None:
        raise Http404
    return csv_response(
        found,
        filename=f"{section}-{period.first.isoformat()}-{period.last.isoformat()}.csv",
        plain=request.GET.get("format") == "plain",
    )


@staff_required(PLANNING)
@require_POST
def apply_duration(request: HttpRequest, office: Office, service_id: int) -> HttpResponse:
    try:
        service = services.apply_duration_suggestion(
            office=office, service_id=service_id, staff_user=staff(request)
        )
    except Service.DoesNotExist:
        raise Http404 from None  # not a service of this office
    except services.NoSuggestion:
        messages.info(request, _("The measured times no longer suggest a change."))
    else:
        messages.success(
            request,
            _("%(service)s now takes %(first)s minutes, %(per)s for each further person.")
            % {
                "service": service.name,
                "first": service.first_person_minutes,
                "per": service.per_person_minutes,
            },
        )
    return redirect("reports:page", office_id=office.pk, page="services")


WALK_IN_WINDOW = timedelta(hours=1)


@require_GET
def transparency(request: HttpRequest, office_id: int) -> HttpResponse:
    """Public, if the office publishes it: days to the next free appointment per service, and
    the walk-ins' median wait over the last hour."""
    office = get_object_or_404(Office, pk=office_id, active=True)
    if not StatisticsSettings.publishes(office.pk):
        raise Http404
    now = timezone.now()
    rows = [
        (service, next_free.days_ahead(service, now=now))
        for service in selectors.service_list(office=office)
        if service.bookable_online  # the one rule: a counter offered online offers it
    ]
    waits = [
        (called - drawn).total_seconds() / 60
        for drawn, called in Ticket.objects.filter(
            office=office,
            prefix=Ticket.WALK_IN_PREFIX,
            called_at__gte=now - WALK_IN_WINDOW,
        ).values_list("created_at", "called_at")
        if called is not None
    ]
    return render(
        request,
        "reports/transparency.html",
        {
            "office": office,
            "rows": rows,
            "walk_in_wait": round(stats.median(waits)) if waits else None,
            "updated": now,
            "lang_next": request.get_full_path(),
        },
    )
