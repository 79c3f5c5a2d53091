"""Absences of a counter and closures of the whole office, and the appointments they affect
(office heads)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from amtstermin.backoffice import selectors as staff_selectors
from amtstermin.backoffice.access import CLERK_WORK, PLANNING, staff_required
from amtstermin.backoffice.forms import (
    AbsenceForm,
    BlockedAppointmentsForm,
    CalledForm,
    ConfirmedMovesForm,
    entered,
    first_errors,
    proposed_start_input,
)
from amtstermin.booking import planning, relocation, selectors
from amtstermin.booking.errors import BookingError, error_messages
from amtstermin.booking.models import Absence, Appointment, Closure, Office
from amtstermin.languages import formatting

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


def _blocked_or_404(office: Office, kind: str, pk: int) -> Absence | Closure:
    blocked = staff_selectors.blocked_time(office, kind=kind, pk=pk)
    if blocked is None:
        raise Http404
    return blocked


def _affected(office: Office, blocked: Absence | Closure) -> list[Appointment]:
    counter = blocked.counter if isinstance(blocked, Absence) else None
    return selectors.affected_appointments(
        office, start=blocked.start, end=blocked.end, counter=counter
    )


@staff_required(PLANNING)
def absence(request: HttpRequest, office: Office, kind: str, pk: int) -> HttpResponse:
    blocked = _blocked_or_404(office, kind, pk)
    if request.method == "POST":
        _resolve(request, office, blocked)
        return redirect("backoffice:absence", office_id=office.pk, kind=kind, pk=pk)
    counter = blocked.counter if isinstance(blocked, Absence) else None
    return render(
        request,
        "backoffice/absence.html",
        page_context(
            request,
            office,
            blocked=blocked,
            kind=kind,
            counter=counter,
            affected=_affected(office, blocked),
            to_call=staff_selectors.call_count(office, blocked),
        ),
    )


@staff_required(PLANNING)
def absence_move(request: HttpRequest, office: Office, kind: str, pk: int) -> HttpResponse:
    """GET: a new time for each affected appointment, to confirm row by row. POST: move the
    confirmed rows to the times shown."""
    blocked = _blocked_or_404(office, kind, pk)
    if request.method == "POST":
        form = ConfirmedMovesForm(request.POST)
        if not form.is_valid():
            for problem in first_errors(form).values():
                messages.error(request, problem)
            return redirect("backoffice:absence_move", office_id=office.pk, kind=kind, pk=pk)
        outcomes = planning.blocked_appointments_move(
            office=office,
            blocked=blocked,
            moves=form.moves(),
            staff_user=staff(request),
        )
        _report(request, office, outcomes)
        if staff_selectors.call_count(office, blocked):
            return redirect("backoffice:absence_calls", office_id=office.pk, kind=kind, pk=pk)
        return redirect("backoffice:absence", office_id=office.pk, kind=kind, pk=pk)
    proposals = relocation.propose_times(office, _affected(office, blocked), now=now())
    rows = [
        {"proposal": proposal, "start_input": proposed_start_input(proposal.appointment.pk)}
        for proposal in proposals
    ]
    return render(
        request,
        "backoffice/absence_move.html",
        page_context(
            request,
            office,
            blocked=blocked,
            kind=kind,
            rows=rows,
            movable=any(p.start is not None for p in proposals),
        ),
    )


@staff_required(CLERK_WORK)
def absence_calls(request: HttpRequest, office: Office, kind: str, pk: int) -> HttpResponse:
    """The citizens to phone, with the clerk ticking each one off (printable)."""
    blocked = _blocked_or_404(office, kind, pk)
    if request.method == "POST":
        form = CalledForm(request.POST)
        listed = {a.pk: a for a in staff_selectors.call_list(office, blocked)}
        chosen = listed.get(form.cleaned_data["appointment"]) if form.is_valid() else None
        if chosen is None:
            messages.error(request, str(error_messages["not_to_call"]))
        else:
            try:
                planning.citizen_called(appointment=chosen, staff_user=staff(request))
            except BookingError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(
                    request, _("%(name)s is ticked off as called.") % {"name": _name(chosen)}
                )
        return redirect("backoffice:absence_calls", office_id=office.pk, kind=kind, pk=pk)
    return render(
        request,
        "backoffice/absence_calls.html",
        page_context(
            request,
            office,
            blocked=blocked,
            kind=kind,
            counter=blocked.counter if isinstance(blocked, Absence) else None,
            calls=staff_selectors.call_list(office, blocked),
        ),
    )


def _name(appointment: Appointment) -> str:
    return appointment.citizen_name or appointment.code


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
    _report(request, office, outcomes)


def _report(request: HttpRequest, office: Office, outcomes: list[planning.Outcome]) -> None:
    """Say how each move or cancellation went."""
    for outcome in outcomes:
        code = outcome.appointment.code
        if outcome.error:
            messages.error(request, f"{code}: {outcome.error}")
        elif outcome.moved_to is not None:
            moved_to = formatting.numeric_date_time(outcome.moved_to, office.zone)
            messages.success(
                request, _("%(code)s is moved to %(time)s.") % {"code": code, "time": moved_to}
            )
        else:
            messages.success(request, _("%(code)s is cancelled.") % {"code": code})
