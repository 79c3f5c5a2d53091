"""The day plan and what staff do with one appointment: check in, start, complete, no-show,
cancel, move, and the printable confirmation of a booking."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from amtstermin.backoffice import public
from amtstermin.backoffice import selectors as staff_selectors
from amtstermin.backoffice.access import CLERK_WORK, CONFIGURING, has_role, staff_required
from amtstermin.backoffice.forms import MoveForm, first_errors
from amtstermin.backoffice.parsing import is_number
from amtstermin.booking import desk, selectors, services
from amtstermin.booking.demand import demand_of_appointment
from amtstermin.booking.errors import BookingError
from amtstermin.booking.models import Appointment, Office
from amtstermin.booking.parsing import date_or_none
from amtstermin.booking.visit import visit_summary
from amtstermin.booking.waitlist_selectors import waitlist_by_service

from .common import free_times, now, page_context, staff, today

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise


@staff_required(CLERK_WORK + CONFIGURING)
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """An office's day plan, or for IT (no desk work) its "Counters and services" page."""
    offices = list(selectors.staff_offices(request.user))
    first_page = (
        "backoffice:today" if has_role(request.user, CLERK_WORK) else "backoffice:configuration"
    )
    if len(offices) == 1:
        return redirect(first_page, office_id=offices[0].pk)
    return render(
        request,
        "backoffice/home.html",
        page_context(request, None, office_list=offices, first_page=first_page),
    )


@staff_required()
@require_GET
def day_plan(request: HttpRequest, office: Office, day: str | None = None) -> HttpResponse:
    current_day = today(office)
    chosen = date_or_none(day) if day else current_day
    if chosen is None:
        raise Http404
    query = request.GET.get("q", "").strip()
    results = staff_selectors.appointment_search(office, query) if query else None
    plans = staff_selectors.day_plan(office, chosen, now=now())
    printing = request.GET.get("print") == "1"
    counter_id = request.GET.get("counter", "")
    if printing and is_number(counter_id):
        plans = [plan for plan in plans if plan.counter.pk == int(counter_id)]
    return render(
        request,
        "backoffice/day_print.html" if printing else "backoffice/day.html",
        page_context(
            request,
            office,
            day=chosen,
            today=current_day,
            previous_day=chosen - timedelta(days=1),
            next_day=chosen + timedelta(days=1),
            plans=plans,
            cancelled=staff_selectors.cancelled_on(office, chosen),
            waitlist=waitlist_by_service(office),
            query=query,
            results=results,
            now=now(),
        ),
    )


def _back_to_plan(office: Office, appointment: Appointment) -> HttpResponse:
    day = appointment.start.astimezone(office.zone).date()
    return redirect(
        reverse("backoffice:day", kwargs={"office_id": office.pk, "day": day.isoformat()})
        + f"#appointment-{appointment.pk}"
    )


ACTIONS = {
    "check-in": (desk.appointment_check_in, gettext_lazy("{code} is checked in.")),
    "undo-check-in": (
        desk.appointment_undo_check_in,
        gettext_lazy("The check-in of {code} is undone."),
    ),
    "start": (desk.appointment_start_service, gettext_lazy("Service for {code} has started.")),
    "complete": (desk.appointment_complete, gettext_lazy("{code} is completed.")),
    "no-show": (desk.appointment_mark_no_show, gettext_lazy("{code} is marked as a no-show.")),
}


@staff_required()
@require_POST
def appointment_action(
    request: HttpRequest, office: Office, appointment_id: int, action: str
) -> HttpResponse:
    appointment = staff_selectors.staff_appointment(office, appointment_id)
    if appointment is None or (action != "cancel" and action not in ACTIONS):
        raise Http404
    done: _StrOrPromise
    try:
        if action == "cancel":
            services.appointment_cancel(
                appointment=appointment,
                staff=True,
                staff_user=staff(request),
                reason=request.POST.get("reason", ""),
            )
            done = _("{code} is cancelled; the citizen is told by e-mail if an address is known.")
        else:
            service, done = ACTIONS[action]
            service(appointment=appointment, staff_user=staff(request))
    except BookingError as error:
        messages.error(request, f"{appointment.code}: {error.message}")
    else:
        messages.success(request, str(done).format(code=appointment.code))
    return _back_to_plan(office, appointment)


@staff_required()
@require_POST
def ticket_slip(request: HttpRequest, office: Office, appointment_id: int) -> HttpResponse:
    """The checked-in citizen's number as a slip with the QR code of its live page."""
    appointment = staff_selectors.staff_appointment(office, appointment_id)
    if appointment is None:
        raise Http404
    try:
        ticket = desk.ticket_slip(appointment=appointment)
    except BookingError as error:
        messages.error(request, f"{appointment.code}: {error.message}")
        return _back_to_plan(office, appointment)
    plan = reverse("backoffice:today", args=[office.pk])
    return public.ticket_slip_page(request, ticket, return_url=plan)


@staff_required()
def appointment_move(request: HttpRequest, office: Office, appointment_id: int) -> HttpResponse:
    appointment = staff_selectors.staff_appointment(office, appointment_id)
    if appointment is None:
        raise Http404
    counters = staff_selectors.active_counters(office)
    error = ""
    if request.method == "POST":
        form = MoveForm(request.POST, office=office, counters=counters)
        if form.is_valid():
            try:
                services.appointment_move(
                    appointment=appointment,
                    start=form.cleaned_data["time"],
                    staff=True,
                    staff_user=staff(request),
                    counter=form.cleaned_data["counter"],
                )
            except BookingError as exc:
                error = exc.message
            else:
                messages.success(request, _("%(code)s is moved.") % {"code": appointment.code})
                appointment.refresh_from_db()
                return _back_to_plan(office, appointment)
        else:
            error = next(iter(first_errors(form).values()))
        chosen = form.cleaned_data.get("day")
    else:
        chosen = date_or_none(request.GET.get("day"))
    if chosen is None:
        chosen = max(appointment.start.astimezone(office.zone).date(), today(office))
    days = selectors.availability(
        demand_of_appointment(appointment),
        first_day=chosen,
        last_day=chosen,
        now=now(),
        staff=True,
        ignore_appointment_id=appointment.pk,
    )
    return render(
        request,
        "backoffice/move.html",
        page_context(
            request,
            office,
            appointment=appointment,
            day=chosen,
            previous_day=chosen - timedelta(days=1),
            next_day=chosen + timedelta(days=1),
            times=free_times(office, days),
            counters=counters,
            error=error,
        ),
        status=400 if error else 200,
    )


@staff_required()
@require_GET
def confirmation(request: HttpRequest, office: Office, appointment_id: int) -> HttpResponse:
    appointment = staff_selectors.staff_appointment(office, appointment_id)
    if appointment is None:
        raise Http404
    return render(
        request,
        "backoffice/confirmation.html",
        page_context(request, office, appointment=appointment, visit=visit_summary(appointment)),
    )
