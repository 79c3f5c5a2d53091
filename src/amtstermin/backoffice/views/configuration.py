"""The office head's guided configuration page "Counters and services": which counter offers
which service, which counters citizens can book online, and what the configuration lacks."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from amtstermin.backoffice import selectors as staff_selectors
from amtstermin.backoffice.access import CONFIGURING, staff_required
from amtstermin.backoffice.configuration_form import CounterOffersForm
from amtstermin.booking import configuration
from amtstermin.booking.configuration_checks import configuration_warnings
from amtstermin.booking.errors import BookingError
from amtstermin.booking.models import SERVICE_ORDER, Office, Service

from .common import page_context, staff


@staff_required(CONFIGURING)
@require_http_methods(["GET", "POST"])
def counters_and_services(request: HttpRequest, office: Office) -> HttpResponse:
    counters = list(staff_selectors.active_counters(office).prefetch_related("services"))
    services = list(Service.objects.filter(office=office, active=True).order_by(*SERVICE_ORDER))
    form = CounterOffersForm(
        request.POST if request.method == "POST" else None, counters=counters, services=services
    )
    error = ""
    if form.is_bound:
        if form.is_valid():
            try:
                changed = configuration.counter_offers_set(
                    office=office, offers=form.offers(), staff_user=staff(request)
                )
            except BookingError as exc:
                error = exc.message
            else:
                messages.success(
                    request,
                    _("Saved.") if changed else _("Nothing was changed."),
                )
                return redirect("backoffice:configuration", office_id=office.pk)
        else:
            error = _("Please choose only counters and services of this office.")
    return render(
        request,
        "backoffice/configuration.html",
        page_context(
            request,
            office,
            counters=form.online(),
            rows=form.grid(),
            error=error,
            warnings=configuration_warnings(office),
        ),
        status=400 if error else 200,
    )
