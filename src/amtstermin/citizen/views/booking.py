"""The booking flow: pick services, a day and time (held for a while), enter details, check and
book, and the confirmation page."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from amtstermin import ratelimit
from amtstermin.booking import queue_selectors, selectors, services
from amtstermin.booking.demand import (
    Demand,
    DemandError,
    demand_of_appointment,
    parse_demand_text,
    resolve_demand,
)
from amtstermin.booking.errors import (
    Busy,
    ExtensionRefused,
    InvalidDetails,
    PersonLimitReached,
    SlotTaken,
    StartNotOffered,
    WrongState,
)
from amtstermin.booking.models import Appointment, Office, Service
from amtstermin.booking.waiting_text import queue_line
from amtstermin.citizen import formatting
from amtstermin.citizen.errors import error_messages
from amtstermin.citizen.forms import DetailsForm, ServicesForm, persons_field_name
from amtstermin.citizen.hours import weekly_hours
from amtstermin.citizen.service_groups import group_by_category, search_text
from amtstermin.ratelimit import proof_of_work
from amtstermin.ratelimit.proof_of_work import Verdict
from amtstermin.reports import recording

from .base import (
    DETAILS_KEY,
    DONE_KEY,
    HOLD_KEY,
    appointment_summary,
    held,
    hold_info,
    manage_context,
    not_found,
    office_or_none,
    render_page,
    start_from_post,
    time_url,
    window_notices,
)
from .times import time_choice_page


def _demand_from_text(office: Office, text: str) -> Demand:
    return resolve_demand(office=office, pairs=parse_demand_text(text))


@never_cache
@require_GET
def start(request: HttpRequest) -> HttpResponse:
    offices = list(selectors.office_list())
    if len(offices) == 1:
        return redirect("citizen:office", office_id=offices[0].pk)
    now = timezone.now()
    rows = [
        (office, queue_line(queue_selectors.public_queue(office, now=now))) for office in offices
    ]
    return render_page(request, "start.html", {"offices": offices, "rows": rows})


@never_cache
@require_http_methods(["GET", "POST"])
def office_page(request: HttpRequest, office_id: int) -> HttpResponse:
    office = office_or_none(office_id)
    if office is None:
        return not_found(request)
    service_list = [s for s in selectors.service_list(office=office) if s.shown_to_citizens]
    initial: dict[int, int] = {}
    try:
        initial = dict(parse_demand_text(request.GET.get("services", "")))
    except DemandError:
        initial = {}
    form = ServicesForm(
        request.POST if request.method == "POST" else None,
        services=service_list,
        initial_persons=initial,
    )
    demand_error = None
    if request.method == "POST" and form.is_valid():
        try:
            demand = resolve_demand(office=office, pairs=form.pairs())
        except DemandError as exc:
            demand_error = str(exc)
        else:
            url = reverse("citizen:time", args=[office.pk])
            return redirect(f"{url}?{urlencode({'services': demand.key()})}")
    rows = [_service_row(form, service) for service in service_list]
    today = timezone.now().astimezone(office.zone).date()
    initial_total = None
    if initial:
        try:
            initial_total = _demand_from_text(office, request.GET["services"]).duration_minutes
        except DemandError:
            initial_total = None
    first_field: Any = next((row["field"] for row in rows if row["field"] is not None), None)
    first_id = first_field.id_for_label if first_field else ""
    errors = [
        {"anchor": first_id, "text": str(error)}
        for error in [*form.non_field_errors(), *([demand_error] if demand_error else [])]
    ] + [
        {"anchor": row["field"].id_for_label, "text": f"{row['service'].name}: {error}"}
        for row in rows
        if row["field"] is not None
        for error in row["field"].errors
    ]
    groups = group_by_category(rows)
    context = {
        "form": form,
        "groups": groups,
        "grouped": any(group.name for group in groups),
        "errors": errors,
        "hours": weekly_hours(office, today=today),
        **window_notices(office, timezone.now()),
        "initial_total": initial_total,
        "bookable_count": sum(1 for s in service_list if s.bookable_online),
        "queue_line": queue_line(queue_selectors.public_queue(office, now=timezone.now())),
    }
    return render_page(
        request,
        "office.html",
        context,
        office=office,
        step="services",
        status=400 if errors else 200,
    )


def _service_row(form: ServicesForm, service: Service) -> dict[str, Any]:
    """One service as the start page lists it (``field``: None when only staff book it)."""
    category = service.category.name if service.category else ""
    return {
        "service": service,
        "field": form[persons_field_name(service)] if service.bookable_online else None,
        "documents": list(service.documents.all()),
        "fee": formatting.money(service.fee_amount) if service.fee_amount is not None else "",
        "search": search_text(service.name, service.description, category),
    }


@never_cache
@require_GET
def time_page(request: HttpRequest, office_id: int) -> HttpResponse:
    office = office_or_none(office_id)
    if office is None:
        return not_found(request)
    try:
        demand = _demand_from_text(office, request.GET.get("services", ""))
    except DemandError as exc:
        messages.error(request, str(exc))
        return redirect("citizen:office", office_id=office.pk)
    return time_choice_page(request, demand)


@never_cache
@require_POST
def hold(request: HttpRequest, office_id: int) -> HttpResponse:
    office = office_or_none(office_id)
    if office is None:
        return not_found(request)
    try:
        demand = _demand_from_text(office, request.POST.get("services", ""))
    except DemandError as exc:
        messages.error(request, str(exc))
        return redirect("citizen:office", office_id=office.pk)
    start_at = start_from_post(request)
    if start_at is None:
        return HttpResponseBadRequest(str(error_messages["no_time"]))
    proof = proof_of_work.verify(request.POST.get(proof_of_work.FIELD))
    if proof not in (Verdict.VERIFIED, Verdict.MISSING):
        message = str(error_messages["security_check"])
        return time_choice_page(request, demand, error=message, wanted=start_at, status=400)
    if not _hold_allowed(request, proof):
        messages.error(request, error_messages["too_many_holds"] % {"phone": office.phone})
        return redirect("citizen:office", office_id=office.pk)
    try:
        _appointment, token = services.appointment_hold(
            demand=demand, start=start_at, replacing=held(request)
        )
    except (SlotTaken, StartNotOffered, Busy) as exc:
        return time_choice_page(request, demand, error=exc.message, wanted=start_at, status=409)
    request.session[HOLD_KEY] = {"token": token, "office": office.pk}
    return redirect("citizen:details")


def _hold_allowed(request: HttpRequest, proof: Verdict) -> bool:
    """Without a proof of work (no JavaScript, or a script) far fewer holds an hour."""
    limit = settings.HOLD_LIMIT_PER_HOUR
    if not ratelimit.allow(request, "hold", limit=limit, window_seconds=3600):
        return False
    if proof == Verdict.VERIFIED:
        return True
    limit = settings.HOLD_LIMIT_WITHOUT_PROOF_PER_HOUR
    return ratelimit.allow(request, "hold-without-proof", limit=limit, window_seconds=3600)


def _lapsed_hold_page(request: HttpRequest, appointment: Appointment, message: str) -> HttpResponse:
    """The reserved time is gone: offer the nearest free times; typed details stay."""
    request.session.pop(HOLD_KEY, None)
    return time_choice_page(
        request,
        demand_of_appointment(appointment),
        error=message,
        wanted=appointment.start,
        status=409,
    )


def _no_hold(request: HttpRequest) -> HttpResponse:
    messages.info(request, error_messages["no_hold"])
    return redirect("citizen:start")


@never_cache
@require_http_methods(["GET", "POST"])
def details(request: HttpRequest) -> HttpResponse:
    appointment = held(request)
    if appointment is None:
        return _no_hold(request)
    if not appointment.is_hold:
        return _lapsed_hold_page(request, appointment, str(error_messages["ran_out"]))
    if request.method == "POST":
        form = DetailsForm(request.POST)
        if form.is_valid():
            request.session[DETAILS_KEY] = {
                key: form.cleaned_data[key]
                for key in ("name", "email", "phone", "for_other", "booked_for", "consent")
            }
            return redirect("citizen:review")
    else:
        form = DetailsForm(initial=request.session.get(DETAILS_KEY) or None)
    return render_page(
        request,
        "details.html",
        {
            "form": form,
            "summary": appointment_summary(appointment),
            "hold": hold_info(appointment, timezone.now()),
            "extend_next": "details",
        },
        office=appointment.office,
        step="details",
        status=400 if form.errors else 200,
    )


def _citizen(entered: dict[str, Any]) -> services.CitizenDetails:
    return services.CitizenDetails(
        name=entered["name"],
        email=entered["email"],
        phone=entered.get("phone", ""),
        booked_for=entered.get("booked_for", ""),
        language=formatting.language(),
    )


@never_cache
@require_POST
def extend(request: HttpRequest) -> HttpResponse:
    appointment = held(request)
    if appointment is None:
        return _no_hold(request)
    try:
        services.appointment_extend_hold(appointment=appointment)
    except (SlotTaken, WrongState, StartNotOffered) as exc:
        return _lapsed_hold_page(request, appointment, exc.message)
    except (Busy, ExtensionRefused) as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("You have more time now."))
    target = "citizen:review" if request.POST.get("next") == "review" else "citizen:details"
    return redirect(target)


@never_cache
@require_http_methods(["GET", "POST"])
def review(request: HttpRequest) -> HttpResponse:
    appointment = held(request)
    if appointment is None:
        return _no_hold(request)
    entered = request.session.get(DETAILS_KEY)
    if not entered:
        return redirect("citizen:details")
    if not appointment.is_hold:
        return _lapsed_hold_page(request, appointment, str(error_messages["ran_out"]))
    error, status = None, 200
    proof = proof_of_work.verify(request.POST.get(proof_of_work.FIELD))
    if request.method == "POST" and proof not in (Verdict.VERIFIED, Verdict.MISSING):
        error, status = str(error_messages["security_check"]), 400
    elif request.method == "POST":
        try:
            # Without a proof of work, the booking waits for the e-mailed link (double opt-in).
            services.appointment_complete_hold(
                appointment=appointment,
                citizen=_citizen(entered),
                confirm_by_email=proof == Verdict.MISSING,
            )
        except (SlotTaken, WrongState, StartNotOffered):
            return _lapsed_hold_page(request, appointment, str(error_messages["taken_meanwhile"]))
        except (Busy, InvalidDetails, PersonLimitReached) as exc:
            error = exc.message
            if isinstance(exc, PersonLimitReached):
                refused = demand_of_appointment(appointment)
                recording.record_refusals(refused, recording.REFUSED_LIMIT, timezone.now())
            status = 503 if isinstance(exc, Busy) else 409
        else:
            request.session[DONE_KEY] = request.session.pop(HOLD_KEY)["token"]
            request.session.pop(DETAILS_KEY, None)
            return redirect("citizen:done")
    return render_page(
        request,
        "review.html",
        {
            "entered": entered,
            "summary": appointment_summary(appointment),
            "hold": hold_info(appointment, timezone.now()),
            "extend_next": "review",
            "error": error,
            "time_url": time_url(appointment),
        },
        office=appointment.office,
        step="review",
        status=status,
    )


@never_cache
@require_GET
def done(request: HttpRequest) -> HttpResponse:
    token = str(request.session.get(DONE_KEY, ""))
    appointment = selectors.appointment_by_token(token) if token else None
    if appointment is None:
        return _no_hold(request)
    context = manage_context(request, appointment, token)
    context["print_view"] = request.GET.get("print") == "1"
    return render_page(request, "done.html", context, office=appointment.office)
