"""The manage link: the citizen's appointment, to cancel, to move, or to save in a calendar.
The token in the link is the only key; a wrong one shows "not found"."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from amtstermin.booking import services
from amtstermin.booking.demand import demand_of_appointment
from amtstermin.booking.errors import (
    Busy,
    DeadlinePassed,
    SlotTaken,
    StartNotOffered,
    WrongState,
)
from amtstermin.booking.errors import error_messages as booking_error_messages
from amtstermin.booking.models import Appointment, AppointmentStatus
from amtstermin.citizen.errors import error_messages
from amtstermin.notifications.ics import calendar_file

from .base import manage_context, render_page, start_from_post
from .record_language import in_booking_language
from .times import time_choice_page


@never_cache
@require_GET
@in_booking_language
def manage(request: HttpRequest, appointment: Appointment, token: str) -> HttpResponse:
    context = manage_context(request, appointment, token)
    context["print_view"] = request.GET.get("print") == "1"
    return render_page(request, "manage.html", context, office=appointment.office)


@never_cache
@require_http_methods(["GET", "POST"])
@in_booking_language
def cancel(request: HttpRequest, appointment: Appointment, token: str) -> HttpResponse:
    """GET asks once more ("Really cancel?") and changes nothing; its button POSTs here."""
    if request.method == "GET":
        context = manage_context(request, appointment, token)
        if context["cancelled"]:
            return redirect("citizen:manage", token=token)
        if not context["can_cancel"]:
            refusal = "cancel_deadline_passed" if context["started"] else "not_cancellable"
            messages.error(request, booking_error_messages[refusal])
            return redirect("citizen:manage", token=token)
        return render_page(request, "cancel.html", context, office=appointment.office)
    try:
        services.appointment_cancel(appointment=appointment)
    except (DeadlinePassed, WrongState, Busy) as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Your appointment has been cancelled."))
    return redirect("citizen:manage", token=token)


@never_cache
@require_http_methods(["GET", "POST"])
@in_booking_language
def move(request: HttpRequest, appointment: Appointment, token: str) -> HttpResponse:
    context = manage_context(request, appointment, token)
    if not context["can_move"]:
        messages.error(request, error_messages["not_changeable"])
        return redirect("citizen:manage", token=token)
    demand = demand_of_appointment(appointment)
    if request.method == "GET":
        return time_choice_page(request, demand, appointment=appointment, token=token)
    start_at = start_from_post(request)
    if start_at is None:
        return HttpResponseBadRequest(str(error_messages["no_time"]))
    try:
        services.appointment_move(appointment=appointment, start=start_at)
    except (SlotTaken, StartNotOffered, Busy) as exc:
        return time_choice_page(
            request,
            demand,
            appointment=appointment,
            token=token,
            error=exc.message,
            wanted=start_at,
            status=409,
        )
    except (DeadlinePassed, WrongState) as exc:
        messages.error(request, exc.message)
        return redirect("citizen:manage", token=token)
    messages.success(request, _("Your appointment has been moved to the new time."))
    return redirect("citizen:manage", token=token)


@never_cache
@require_GET
@in_booking_language
def calendar(request: HttpRequest, appointment: Appointment, token: str) -> HttpResponse:
    cancelled = appointment.status == AppointmentStatus.CANCELLED
    response = HttpResponse(
        calendar_file(appointment, cancelled=cancelled), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="appointment-{appointment.code}.ics"'
    return response
