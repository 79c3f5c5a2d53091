"""Public pages: pick services, day and time, details, review, confirmation, manage link.

Thin views: they parse input, call ``booking.selectors`` (reads) or ``booking.services``
(writes) and render. The secret token of a hold or a booking lives in the session, never in a
URL of the flow; only the manage link carries it, because that is its purpose.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from amtstermin import ratelimit
from amtstermin.booking import selectors, services
from amtstermin.booking.demand import (
    Demand,
    DemandError,
    demand_of_appointment,
    parse_demand_text,
    resolve_demand,
)
from amtstermin.booking.errors import (
    BookingError,
    Busy,
    DeadlinePassed,
    InvalidDetails,
    SlotTaken,
    StartNotOffered,
    WrongState,
)
from amtstermin.booking.models import Appointment, AppointmentStatus, Office
from amtstermin.citizen import formatting
from amtstermin.citizen.forms import DetailsForm, ServicesForm, persons_field_name
from amtstermin.citizen.hours import weekly_hours
from amtstermin.notifications.ics import calendar_file

HOLD_KEY = "citizen.hold"  # {"token": ..., "office": id}
DETAILS_KEY = "citizen.details"  # what the citizen typed, kept until booked
DONE_KEY = "citizen.done"  # token of the appointment just booked, for the confirmation

NEAREST_COUNT = 6
# The date of the accessibility statement (BITV 2.0 asks for it); update with the statement.
ACCESSIBILITY_STATEMENT_DATE = date(2026, 11, 23)
SCHLICHTUNGSSTELLE_URL = "https://www.schlichtungsstelle-bgg.de/"


def _steps() -> list[tuple[str, str]]:
    return [
        ("services", _("Services")),
        ("time", _("Day and time")),
        ("details", _("Your details")),
        ("review", _("Check and book")),
    ]


# --- Helpers --------------------------------------------------------------------------------


def _render(
    request: HttpRequest,
    template: str,
    context: dict[str, Any],
    *,
    office: Office | None = None,
    step: str | None = None,
    status: int = 200,
) -> HttpResponse:
    """Render with what every page needs: the office for the footer, the progress steps."""
    legal_office = office or selectors.office_list().first()
    steps = _steps()
    keys = [key for key, _label in steps]
    context = {
        "office": office,
        "legal_office": legal_office,
        "steps": steps if step else None,
        "step": step,
        "step_number": keys.index(step) + 1 if step else None,
        "step_count": len(steps),
        "step_label": dict(steps).get(step or "", ""),
        "lang_next": request.get_full_path() if request.method == "GET" else request.path,
        **context,
    }
    return render(request, f"citizen/{template}", context, status=status)


def _office_or_none(office_id: int) -> Office | None:
    return selectors.office_get(office_id)


def _not_found(request: HttpRequest, office: Office | None = None) -> HttpResponse:
    return _render(request, "not_found.html", {}, office=office, status=404)


def _demand_from_text(office: Office, text: str) -> Demand:
    return resolve_demand(office=office, pairs=parse_demand_text(text))


def _start_from_post(request: HttpRequest) -> datetime | None:
    try:
        return datetime.fromtimestamp(int(request.POST.get("start", "")), UTC)
    except (ValueError, OverflowError, OSError):
        return None


def _demand_lines(demand: Demand) -> list[dict[str, Any]]:
    return [{"name": item.service.display_name, "persons": item.persons} for item in demand.items]


def _held(request: HttpRequest) -> Appointment | None:
    """The appointment this session holds (any status), or None."""
    hold = request.session.get(HOLD_KEY)
    if not hold:
        return None
    return selectors.appointment_by_token(hold.get("token", ""))


def _hold_info(appointment: Appointment, now: datetime) -> dict[str, Any]:
    tz = appointment.office.zone
    held_until = appointment.held_until or now
    seconds = max(0, int((held_until - now).total_seconds()))
    return {
        "until": formatting.clock_time(held_until, tz),
        "minutes": -(-seconds // 60),
        "seconds": seconds,
        "lapsed": seconds == 0,
    }


def _appointment_summary(appointment: Appointment) -> dict[str, Any]:
    demand = demand_of_appointment(appointment)
    tz = appointment.office.zone
    return {
        "when": formatting.date_time(appointment.start, tz),
        "until": formatting.clock_time(appointment.end, tz),
        "minutes": int((appointment.end - appointment.start).total_seconds() // 60),
        "lines": _demand_lines(demand),
        "checklist": selectors.checklist(demand),
        "fee": formatting.money(selectors.fee_total(demand)),
        "has_fee": selectors.fee_total(demand) > 0,
    }


# --- Time page ------------------------------------------------------------------------------


@dataclass(frozen=True)
class TimeChoice:
    start: int
    label: str  # "08:05" on the day view, a full date and time in the nearest list


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _parse_date(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _time_page(
    request: HttpRequest,
    demand: Demand,
    *,
    appointment: Appointment | None = None,
    token: str | None = None,
    error: str | None = None,
    wanted: datetime | None = None,
    status: int = 200,
) -> HttpResponse:
    """The day-and-time page, for a new booking or (with ``appointment``) to move one."""
    office = demand.office
    tz = office.zone
    now = timezone.now()
    today = now.astimezone(tz).date()
    window = selectors.booking_window(office, now=now)
    days = selectors.availability(
        demand,
        first_day=window.first_day,
        last_day=window.last_day,
        now=now,
        ignore_appointment_id=appointment.pk if appointment else None,
    )
    free = {day.day: day.starts for day in days if day.starts}
    all_starts = [start for day in days for start in day.starts]
    move = appointment is not None
    time_url = reverse("citizen:time", args=[office.pk])
    action = (
        reverse("citizen:move", args=[token]) if move else reverse("citizen:hold", args=[office.pk])
    )

    def link(**params: str) -> str:
        query = {} if move else {"services": demand.key()}
        query.update(params)
        return f"{action if move else time_url}?{urlencode(query)}"

    wanted_day = wanted.astimezone(tz).date() if wanted else None
    first_free = min(free) if free else None
    week = _parse_date(request.GET.get("week"))
    chosen = _parse_date(request.GET.get("day"))
    if chosen and chosen not in free:
        chosen = None
    if week is None:
        week = _monday(chosen or wanted_day or first_free or window.first_day)
    week = _monday(min(max(week, window.first_day), max(window.first_day, window.last_day)))
    if chosen is None or _monday(chosen) != week:
        in_week = sorted(d for d in free if _monday(d) == week)
        chosen = wanted_day if wanted_day in in_week else (in_week[0] if in_week else None)

    week_days = []
    for offset in range(7):
        day = week + timedelta(days=offset)
        in_window = window.first_day <= day <= window.last_day
        week_days.append(
            {
                "date": day,
                "label": formatting.day_label(day),
                "count": len(free.get(day, ())),
                "in_window": in_window,
                "current": day == chosen,
                "url": link(week=week.isoformat(), day=day.isoformat()) if day in free else "",
            }
        )
    prev_week = week - timedelta(days=7)
    next_week = week + timedelta(days=7)
    morning: list[TimeChoice] = []
    afternoon: list[TimeChoice] = []
    for start in free.get(chosen, ()) if chosen else ():
        wall = formatting.local(start, tz)
        (morning if wall.hour < 12 else afternoon).append(
            TimeChoice(start=start, label=formatting.hhmm(start, tz))
        )
    nearest: list[TimeChoice] = []
    if wanted is not None and all_starts:
        target = int(wanted.timestamp())
        closest = sorted(all_starts, key=lambda start: (abs(start - target), start))
        nearest = [
            TimeChoice(start=start, label=formatting.date_time(start, tz))
            for start in sorted(closest[:NEAREST_COUNT])
        ]
    context = {
        "move": move,
        "appointment": appointment,
        "token": token,
        "demand_key": demand.key(),
        "lines": _demand_lines(demand),
        "duration": demand.duration_minutes,
        "change_services_url": (
            f"{reverse('citizen:office', args=[office.pk])}?{urlencode({'services': demand.key()})}"
        ),
        "error": error,
        "nearest": nearest,
        "nothing_free": not free,
        "not_open_yet": office.bookable_from and office.bookable_from > today,
        "bookable_from": formatting.long_date(office.bookable_from) if office.bookable_from else "",
        "next_free": (
            TimeChoice(start=all_starts[0], label=formatting.date_time(all_starts[0], tz))
            if all_starts
            else None
        ),
        "week_label": _("%(first)s to %(last)s")
        % {
            "first": formatting.long_date(week),
            "last": formatting.long_date(week + timedelta(days=6)),
        },
        "week_days": week_days,
        "prev_url": link(week=prev_week.isoformat()) if week > window.first_day else "",
        "next_url": link(week=next_week.isoformat()) if next_week <= window.last_day else "",
        "chosen_label": formatting.long_date(chosen) if chosen else "",
        "morning": morning,
        "afternoon": afternoon,
        "action": action,
        "lang_next": link(
            **({"week": week.isoformat()} | ({"day": chosen.isoformat()} if chosen else {}))
        ),
    }
    return _render(
        request, "time.html", context, office=office, step=None if move else "time", status=status
    )


# --- Pages ----------------------------------------------------------------------------------


@never_cache
@require_GET
def start(request: HttpRequest) -> HttpResponse:
    offices = list(selectors.office_list())
    if len(offices) == 1:
        return redirect("citizen:office", office_id=offices[0].pk)
    return _render(request, "start.html", {"offices": offices})


@never_cache
@require_http_methods(["GET", "POST"])
def office_page(request: HttpRequest, office_id: int) -> HttpResponse:
    office = _office_or_none(office_id)
    if office is None:
        return _not_found(request)
    service_list = list(selectors.service_list(office=office))
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
    rows = []
    for service in service_list:
        bound = form[persons_field_name(service)] if service.online_bookable else None
        rows.append(
            {
                "service": service,
                "field": bound,
                "documents": list(service.documents.all()),
                "fee": formatting.money(service.fee_amount)
                if service.fee_amount is not None
                else "",
            }
        )
    today = timezone.now().astimezone(office.zone).date()
    initial_total = None
    if initial:
        try:
            initial_total = _demand_from_text(office, request.GET["services"]).duration_minutes
        except DemandError:
            initial_total = None
    errors = [str(e) for e in form.non_field_errors()] + ([demand_error] if demand_error else [])
    first_field: Any = next((row["field"] for row in rows if row["field"] is not None), None)
    context = {
        "form": form,
        "rows": rows,
        "errors": errors,
        "first_field_id": first_field.id_for_label if first_field else "",
        "hours": weekly_hours(office, today=today),
        "not_open_yet": bool(office.bookable_from and office.bookable_from > today),
        "bookable_from": formatting.long_date(office.bookable_from) if office.bookable_from else "",
        "initial_total": initial_total,
        "bookable_count": sum(1 for s in service_list if s.online_bookable),
    }
    return _render(
        request,
        "office.html",
        context,
        office=office,
        step="services",
        status=400 if errors else 200,
    )


@never_cache
@require_GET
def time_page(request: HttpRequest, office_id: int) -> HttpResponse:
    office = _office_or_none(office_id)
    if office is None:
        return _not_found(request)
    try:
        demand = _demand_from_text(office, request.GET.get("services", ""))
    except DemandError as exc:
        messages.error(request, str(exc))
        return redirect("citizen:office", office_id=office.pk)
    return _time_page(request, demand)


@never_cache
@require_POST
def hold(request: HttpRequest, office_id: int) -> HttpResponse:
    office = _office_or_none(office_id)
    if office is None:
        return _not_found(request)
    try:
        demand = _demand_from_text(office, request.POST.get("services", ""))
    except DemandError as exc:
        messages.error(request, str(exc))
        return redirect("citizen:office", office_id=office.pk)
    start_at = _start_from_post(request)
    if start_at is None:
        return HttpResponseBadRequest(_("Please choose a time."))
    limit = settings.HOLD_LIMIT_PER_HOUR
    if not ratelimit.allow(request, "hold", limit=limit, window_seconds=3600):
        messages.error(
            request,
            _("Too many times were reserved from this device. Please call us: %(phone)s")
            % {"phone": office.phone},
        )
        return redirect("citizen:office", office_id=office.pk)
    previous = _held(request)
    if previous is not None and previous.status == AppointmentStatus.HELD:
        # One hold per citizen: choosing again gives the earlier time back to everyone.
        with contextlib.suppress(BookingError):
            services.appointment_release_hold(appointment=previous)
    request.session.pop(HOLD_KEY, None)
    try:
        _appointment, token = services.appointment_hold(demand=demand, start=start_at)
    except (SlotTaken, StartNotOffered, Busy) as exc:
        return _time_page(request, demand, error=exc.message, wanted=start_at, status=409)
    request.session[HOLD_KEY] = {"token": token, "office": office.pk}
    return redirect("citizen:details")


def _lapsed_hold_page(request: HttpRequest, appointment: Appointment, message: str) -> HttpResponse:
    """The reserved time is gone: offer the nearest free times; typed details stay."""
    request.session.pop(HOLD_KEY, None)
    return _time_page(
        request,
        demand_of_appointment(appointment),
        error=message,
        wanted=appointment.start,
        status=409,
    )


def _ran_out() -> str:
    return _(
        "Sorry, your reservation has run out and the time could not be kept for you. "
        "Please choose another time; your details are kept."
    )


def _no_hold(request: HttpRequest) -> HttpResponse:
    messages.info(request, _("Please choose services and a time first."))
    return redirect("citizen:start")


@never_cache
@require_http_methods(["GET", "POST"])
def details(request: HttpRequest) -> HttpResponse:
    appointment = _held(request)
    if appointment is None:
        return _no_hold(request)
    if not appointment.is_hold:
        return _lapsed_hold_page(request, appointment, _ran_out())
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
    return _render(
        request,
        "details.html",
        {
            "form": form,
            "summary": _appointment_summary(appointment),
            "hold": _hold_info(appointment, timezone.now()),
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
    appointment = _held(request)
    if appointment is None:
        return _no_hold(request)
    try:
        services.appointment_extend_hold(appointment=appointment)
    except (SlotTaken, WrongState, StartNotOffered) as exc:
        return _lapsed_hold_page(request, appointment, exc.message)
    except Busy as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("You have more time now."))
    target = "citizen:review" if request.POST.get("next") == "review" else "citizen:details"
    return redirect(target)


@never_cache
@require_http_methods(["GET", "POST"])
def review(request: HttpRequest) -> HttpResponse:
    appointment = _held(request)
    if appointment is None:
        return _no_hold(request)
    entered = request.session.get(DETAILS_KEY)
    if not entered:
        return redirect("citizen:details")
    if not appointment.is_hold:
        return _lapsed_hold_page(request, appointment, _ran_out())
    error = None
    if request.method == "POST":
        try:
            services.appointment_complete_hold(appointment=appointment, citizen=_citizen(entered))
        except (SlotTaken, WrongState, StartNotOffered):
            return _lapsed_hold_page(
                request,
                appointment,
                _(
                    "Sorry, your reservation ran out and the time has been taken meanwhile. "
                    "Please choose another time; your details are kept."
                ),
            )
        except (Busy, InvalidDetails) as exc:
            error = exc.message
        else:
            request.session[DONE_KEY] = request.session.pop(HOLD_KEY)["token"]
            request.session.pop(DETAILS_KEY, None)
            return redirect("citizen:done")
    return _render(
        request,
        "review.html",
        {
            "entered": entered,
            "summary": _appointment_summary(appointment),
            "hold": _hold_info(appointment, timezone.now()),
            "extend_next": "review",
            "error": error,
            "time_url": _time_url(appointment),
        },
        office=appointment.office,
        step="review",
        status=503 if error else 200,
    )


def _time_url(appointment: Appointment) -> str:
    demand = demand_of_appointment(appointment)
    day = appointment.start.astimezone(appointment.office.zone).date()
    query = urlencode({"services": demand.key(), "week": _monday(day), "day": day})
    return f"{reverse('citizen:time', args=[appointment.office_id])}?{query}"


def _manage_context(request: HttpRequest, appointment: Appointment, token: str) -> dict[str, Any]:
    now = timezone.now()
    tz = appointment.office.zone
    booked = appointment.status in (AppointmentStatus.CONFIRMED, AppointmentStatus.PENDING)
    can_cancel = booked and appointment.may_cancel_online(now)
    return {
        "appointment": appointment,
        "token": token,
        "summary": _appointment_summary(appointment),
        "manage_url": request.build_absolute_uri(reverse("citizen:manage", args=[token])),
        "calendar_url": reverse("citizen:calendar", args=[token]),
        "cancelled": appointment.status == AppointmentStatus.CANCELLED,
        "can_cancel": can_cancel,
        "can_move": appointment.may_change_online(now),
        "started": booked and not can_cancel,
        "cancel_until": formatting.date_time(appointment.cancel_deadline(), tz),
        "move_until": formatting.date_time(appointment.move_deadline(), tz),
        "pending": appointment.status == AppointmentStatus.PENDING,
        "pending_until": (
            formatting.clock_time(appointment.pending_until, tz)
            if appointment.pending_until
            else ""
        ),
    }


@never_cache
@require_GET
def done(request: HttpRequest) -> HttpResponse:
    token = str(request.session.get(DONE_KEY, ""))
    appointment = selectors.appointment_by_token(token) if token else None
    if appointment is None:
        return _no_hold(request)
    context = _manage_context(request, appointment, token)
    context["print_view"] = request.GET.get("print") == "1"
    return _render(request, "done.html", context, office=appointment.office)


@never_cache
@require_GET
def manage(request: HttpRequest, token: str) -> HttpResponse:
    appointment = selectors.appointment_by_token(token)
    if appointment is None:
        return _not_found(request)
    context = _manage_context(request, appointment, token)
    context["print_view"] = request.GET.get("print") == "1"
    return _render(request, "manage.html", context, office=appointment.office)


@never_cache
@require_POST
def cancel(request: HttpRequest, token: str) -> HttpResponse:
    appointment = selectors.appointment_by_token(token)
    if appointment is None:
        return _not_found(request)
    try:
        services.appointment_cancel(appointment=appointment)
    except (DeadlinePassed, WrongState, Busy) as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Your appointment has been cancelled."))
    return redirect("citizen:manage", token=token)


@never_cache
@require_http_methods(["GET", "POST"])
def move(request: HttpRequest, token: str) -> HttpResponse:
    appointment = selectors.appointment_by_token(token)
    if appointment is None:
        return _not_found(request)
    context = _manage_context(request, appointment, token)
    if not context["can_move"]:
        messages.error(request, _("This appointment can no longer be changed online."))
        return redirect("citizen:manage", token=token)
    demand = demand_of_appointment(appointment)
    if request.method == "GET":
        return _time_page(request, demand, appointment=appointment, token=token)
    start_at = _start_from_post(request)
    if start_at is None:
        return HttpResponseBadRequest(_("Please choose a time."))
    try:
        services.appointment_move(appointment=appointment, start=start_at)
    except (SlotTaken, StartNotOffered, Busy) as exc:
        return _time_page(
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
def calendar(request: HttpRequest, token: str) -> HttpResponse:
    appointment = selectors.appointment_by_token(token)
    if appointment is None:
        return _not_found(request)
    cancelled = appointment.status == AppointmentStatus.CANCELLED
    response = HttpResponse(
        calendar_file(appointment, cancelled=cancelled), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="appointment-{appointment.code}.ics"'
    return response


@never_cache
@require_GET
def privacy(request: HttpRequest, office_id: int) -> HttpResponse:
    office = _office_or_none(office_id)
    if office is None:
        return _not_found(request)
    return _render(request, "privacy.html", {}, office=office)


@never_cache
@require_GET
def accessibility(request: HttpRequest, office_id: int) -> HttpResponse:
    office = _office_or_none(office_id)
    if office is None:
        return _not_found(request)
    return _render(
        request,
        "accessibility.html",
        {
            "statement_date": formatting.long_date(ACCESSIBILITY_STATEMENT_DATE),
            "schlichtungsstelle_url": SCHLICHTUNGSSTELLE_URL,
        },
        office=office,
    )
