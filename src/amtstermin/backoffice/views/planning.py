"""Absences of a counter and closures of the whole office, and the appointments they affect
(office heads)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from amtstermin.backoffice import selectors as staff_selectors
from amtstermin.backoffice.access import PLANNING, staff_required
from amtstermin.backoffice.forms import (
    AbsenceForm,
    BlockedAppointmentsForm,
    entered,
    first_errors,
)
from amtstermin.booking import planning, selectors
from amtstermin.booking.errors import BookingError
from amtstermin.booking.models import Absence, Closure, Office

from .common import now, page_context, staff


@staff_required(PLANNING)
def absences(request: HttpRequest, office: Office) -> HttpResponse:
    counters = staff_selectors.active_counters(office)
    form = AbsenceForm(
        request.POST if request.method == "POST" else None, office=office, counters=counters
    )
    if form.is_valid():
        try:
            blocked = planning.blocked_time_create(
                scope=form.cleaned_data["scope"],
                start=form.cleaned_data["start"],
                end=form.cleaned_data["end"],
                reason=form.cleaned_data["reason"],
                staff_user=staff(request),
            )
        except BookingError as exc:
            form.add_error("end" if exc.field == "end" else "start", exc.message)
        else:
            kind = "counter" if isinstance(blocked, Absence) else "office"
            return redirect("backoffice:absence", office_id=office.pk, kind=kind, pk=blocked.pk)
    errors = first_errors(form)
    return render(
        request,
        "backoffice/absences.html",
        page_context(
            request,
            office,
            counters=counters,
            values=entered(form, AbsenceForm.INPUTS),
            errors=errors,
            absences=staff_selectors.planned_absences(office, now=now()),
            closures=staff_selectors.planned_closures(office, now=now()),
        ),
        status=400 if errors else 200,
    )


@staff_required(PLANNING)
def absence(request: HttpRequest, office: Office, kind: str, pk: int) -> HttpResponse:
    blocked = staff_selectors.blocked_time(office, kind=kind, pk=pk)
    if blocked is None:
        raise Http404
    if request.method == "POST":
        _resolve(request, office, blocked)
        return redirect("backoffice:absence", office_id=office.pk, kind=kind, pk=pk)
    counter = blocked.counter if isinstance(blocked, Absence) else None
    current = now()
    affected = [
        (appointment, selectors.first_free_start(appointment, now=current))
        for appointment in selectors.affected_appointments(
            office, start=blocked.start, end=blocked.end, counter=counter
        )
    ]
    return render(
        request,
        "backoffice/absence.html",
        page_context(request, office, blocked=blocked, counter=counter, affected=affected),
    )


def _resolve(request: HttpRequest, office: Office, blocked: Absence | Closure) -> None:
    """Move or cancel the chosen appointments, and say how each went."""
    form = BlockedAppointmentsForm(request.POST)
    if not form.is_valid():
        for problem in first_errors(form).values():
            messages.error(request, problem)
        return
    outcomes = planning.blocked_appointments_resolve(
        office=office,
        blocked=blocked,
        appointment_ids=form.cleaned_data["appointment"],
        resolution=form.cleaned_data["action"],
        reason=form.cleaned_data["reason"],
        staff_user=staff(request),
    )
    for outcome in outcomes:
        code = outcome.appointment.code
        if outcome.error:
            messages.error(request, f"{code}: {outcome.error}")
        elif outcome.moved_to is not None:
            moved_to = outcome.moved_to.astimezone(office.zone).strftime("%d.%m.%Y %H:%M")
            messages.success(
                request, _("%(code)s is moved to %(time)s.") % {"code": code, "time": moved_to}
            )
        else:
            messages.success(request, _("%(code)s is cancelled.") % {"code": code})
