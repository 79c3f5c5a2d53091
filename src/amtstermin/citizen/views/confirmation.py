"""The link in the "please confirm" e-mail: one click books the pending appointment."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from amtstermin.booking import selectors, services
from amtstermin.booking.errors import BookingError


@never_cache
@require_GET
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    appointment = selectors.appointment_by_token(token)
    if appointment is None:
        raise Http404
    try:
        services.appointment_confirm(appointment=appointment)
    except BookingError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Thank you: your appointment is confirmed."))
    return HttpResponseRedirect(reverse("citizen:manage", args=[token]))
