"""The link in the "please confirm" e-mail opens the appointment's page; only the button on it
(a POST) confirms, so a mail scanner that follows every link confirms nothing."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from amtstermin.booking import services
from amtstermin.booking.errors import BookingError
from amtstermin.booking.models import Appointment
from amtstermin.citizen.views.record_language import in_booking_language


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@in_booking_language
def confirm(request: HttpRequest, appointment: Appointment, token: str) -> HttpResponse:
    if request.method == "POST":
        try:
            services.appointment_confirm(appointment=appointment)
        except BookingError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Thank you: your appointment is confirmed."))
    return HttpResponseRedirect(reverse("citizen:manage", args=[token]))
