"""Staff pages: day plan, actions on appointments, phone and counter bookings, absences,
audit log, statistics and the queue. Thin: parse, call a booking service or selector, render."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.models import User
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from amtstermin.booking import desk, planning, selectors, services
from amtstermin.booking.demand import DemandError, resolve_demand
from amtstermin.booking.errors import BookingError
from amtstermin.booking.localtime import WallTimeError, instant_from_wall
from amtstermin.booking.models import (
    Absence,
    Appointment,
    Channel,
    Closure,
    Counter,
    Office,
    Ticket,
    TicketStatus,
)
from amtstermin.booking.services import CitizenDetails
from amtstermin.notifications import outbox
from amtstermin.notifications import selectors as mail_selectors

from .access import CLERK_WORK, PLANNING, has_role, staff_required
from .forms import CitizenForm
from .parsing import is_number, parse_day


def _now() -> datetime:
    return timezone.now()


def _today(office: Office) -> date:
    return _now().astimezone(office.zone).date()


def _parse_time(text: str | None) -> time | None:
    try:
        return time.fromisoformat(text) if text else None
    except ValueError:
        return None


def _local_instant(office: Office, day: date | None, wall: time | None) -> datetime | None:
    if day is None or wall is None:
        return None
    try:
        return instant_from_wall(datetime.combine(day, wall), office.zone)
    except WallTimeError:
        return None


def _staff(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _context(request: HttpRequest, office: Office | None, **extra: Any) -> dict[str, Any]:
    return {
        "office": office,
        "offices": selectors.staff_offices(request.user),
        "can_plan": has_role(request.user, PLANNING),
        "can_work": has_role(request.user, CLERK_WORK),
        **extra,
    }


@staff_required()
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    offices = list(selectors.staff_offices(request.user))
    if len(offices) == 1:
        return redirect("backoffice:today", office_id=offices[0].pk)
    return render(request, "backoffice/home.html", _context(request, None, office_list=offices))


# --- Day plan and actions -------------------------------------------------------------------


@staff_required()
@require_GET
def day_plan(request: HttpRequest, office: Office, day: str | None = None) -> HttpResponse:
    today = _today(office)
    chosen = parse_day(day) if day else today
    if chosen is None:
        raise Http404
    query = request.GET.get("q", "").strip()
    results = selectors.appointment_search(office, query) if query else None
    plans = selectors.day_plan(office, chosen, now=_now())
    printing = request.GET.get("print") == "1"
    counter_id = request.GET.get("counter", "")
    if printing and is_number(counter_id):
        plans = [plan for plan in plans if plan.counter.pk == int(counter_id)]
    return render(
        request,
        "backoffice/day_print.html" if printing else "backoffice/day.html",
        _context(
            request,
            office,
            day=chosen,
            today=today,
            previous_day=chosen - timedelta(days=1),
            next_day=chosen + timedelta(days=1),
            plans=plans,
            cancelled=selectors.cancelled_on(office, chosen),
            query=query,
            results=results,
            now=_now(),
        ),
    )


def _back_to_plan(request: HttpRequest, office: Office, appointment: Appointment) -> HttpResponse:
    day = appointment.start.astimezone(office.zone).date()
    return redirect(
        reverse("backoffice:day", kwargs={"office_id": office.pk, "day": day.isoformat()})
        + f"#appointment-{appointment.pk}"
    )


ACTIONS = {
    "check-in": (desk.appointment_check_in, _("{code} is checked in.")),
    "start": (desk.appointment_start_service, _("Service for {code} has started.")),
    "complete": (desk.appointment_complete, _("{code} is completed.")),
    "no-show": (desk.appointment_mark_no_show, _("{code} is marked as a no-show.")),
}


@staff_required()
@require_POST
def appointment_action(
    request: HttpRequest, office: Office, appointment_id: int, action: str
) -> HttpResponse:
    appointment = selectors.staff_appointment(office, appointment_id)
    if appointment is None:
        raise Http404
    try:
        if action == "cancel":
            services.appointment_cancel(
                appointment=appointment,
                staff=True,
                staff_user=_staff(request),
                reason=request.POST.get("reason", ""),
            )
            done = _("{code} is cancelled; the citizen is told by e-mail if an address is known.")
        elif action in ACTIONS:
            service, done = ACTIONS[action]
            service(appointment=appointment, staff_user=_staff(request))
        else:
            raise Http404
    except BookingError as error:
        messages.error(request, f"{appointment.code}: {error.message}")
    else:
        messages.success(request, str(done).format(code=appointment.code))
    return _back_to_plan(request, office, appointment)


@staff_required()
def appointment_move(request: HttpRequest, office: Office, appointment_id: int) -> HttpResponse:
    appointment = selectors.staff_appointment(office, appointment_id)
    if appointment is None:
        raise Http404
    counters = Counter.objects.filter(office=office, active=True).order_by("name")
    error = ""
    if request.method == "POST":
        chosen = parse_day(request.POST.get("day"))
        start = _local_instant(office, chosen, _parse_time(request.POST.get("time")))
        counter_id = request.POST.get("counter", "")
        counter = counters.filter(pk=counter_id).first() if is_number(counter_id) else None
        if start is None:
            error = _("Please choose a free time.")
        else:
            try:
                services.appointment_move(
                    appointment=appointment,
                    start=start,
                    staff=True,
                    staff_user=_staff(request),
                    counter=counter,
                )
            except BookingError as exc:
                error = exc.message
            else:
                messages.success(request, _("%(code)s is moved.") % {"code": appointment.code})
                appointment.refresh_from_db()
                return _back_to_plan(request, office, appointment)
    else:
        chosen = parse_day(request.GET.get("day"))
    if chosen is None:
        chosen = max(appointment.start.astimezone(office.zone).date(), _today(office))
    from amtstermin.booking.demand import demand_of_appointment

    days = selectors.availability(
        demand_of_appointment(appointment),
        first_day=chosen,
        last_day=chosen,
        now=_now(),
        staff=True,
        ignore_appointment_id=appointment.pk,
    )
    times = _times(office, days)
    return render(
        request,
        "backoffice/move.html",
        _context(
            request,
            office,
            appointment=appointment,
            day=chosen,
            previous_day=chosen - timedelta(days=1),
            next_day=chosen + timedelta(days=1),
            times=times,
            counters=counters,
            error=error,
        ),
        status=400 if error else 200,
    )


def _times(office: Office, days: list[Any]) -> list[str]:
    return [
        datetime.fromtimestamp(start, UTC).astimezone(office.zone).strftime("%H:%M")
        for found in days
        for start in found.starts
    ]


# --- Booking for callers and at the counter -------------------------------------------------


def _demand_from(request_data: Any, office: Office) -> tuple[list[tuple[int, int]], list[Any]]:
    """Services with a number of persons above zero; also the list for the form."""
    pairs: list[tuple[int, int]] = []
    rows = []
    for service in selectors.service_list(office=office):
        text = request_data.get(f"persons_{service.pk}", "0")
        persons = int(text) if is_number(text) and len(text) < 3 else 0
        if persons:
            pairs.append((service.pk, persons))
        rows.append({"service": service, "persons": persons})
    return pairs, rows


@staff_required()
def book(request: HttpRequest, office: Office) -> HttpResponse:
    data = request.POST if request.method == "POST" else request.GET
    pairs, rows = _demand_from(data, office)
    chosen = parse_day(data.get("day")) or _today(office)
    errors: dict[str, str] = {}
    demand = None
    if pairs:
        try:
            demand = resolve_demand(office=office, pairs=pairs, staff=True)
        except DemandError as exc:
            errors["services"] = str(exc)
    elif "day" in data:
        errors["services"] = _("Please choose at least one service.")
    values = {
        key: data.get(key, "").strip()
        for key in ("name", "email", "phone", "booked_for", "time", "channel")
    }
    if request.method == "POST" and demand is not None:
        citizen = CitizenForm(data)
        if not citizen.is_valid():
            errors.update({field: str(problems[0]) for field, problems in citizen.errors.items()})
        start = _local_instant(office, chosen, _parse_time(values["time"]))
        channel = Channel.COUNTER if values["channel"] == Channel.COUNTER else Channel.PHONE
        if start is None:
            errors["time"] = _("Please choose a free time.")
        elif not errors:
            try:
                appointment, _token = services.appointment_book(
                    demand=demand,
                    start=start,
                    citizen=CitizenDetails(
                        **citizen.cleaned_data,
                        language=request.LANGUAGE_CODE
                        if request.LANGUAGE_CODE in ("de", "en")
                        else "de",
                    ),
                    channel=channel,
                    staff=True,
                    staff_user=_staff(request),
                )
            except BookingError as exc:
                errors[exc.field or "time"] = exc.message
            else:
                return redirect(
                    "backoffice:confirmation", office_id=office.pk, appointment_id=appointment.pk
                )
    times: list[str] = []
    if demand is not None:
        times = _times(
            office,
            selectors.availability(
                demand, first_day=chosen, last_day=chosen, now=_now(), staff=True
            ),
        )
    return render(
        request,
        "backoffice/book.html",
        _context(
            request,
            office,
            rows=rows,
            day=chosen,
            previous_day=chosen - timedelta(days=1),
            next_day=chosen + timedelta(days=1),
            demand=demand,
            times=times,
            values=values,
            errors=errors,
            demand_query="&".join(f"persons_{sid}={persons}" for sid, persons in pairs),
        ),
        status=400 if errors and request.method == "POST" else 200,
    )


@staff_required()
@require_GET
def confirmation(request: HttpRequest, office: Office, appointment_id: int) -> HttpResponse:
    appointment = selectors.staff_appointment(office, appointment_id)
    if appointment is None:
        raise Http404
    from amtstermin.booking.demand import demand_of_appointment

    demand = demand_of_appointment(appointment)
    return render(
        request,
        "backoffice/confirmation.html",
        _context(
            request,
            office,
            appointment=appointment,
            demand=demand,
            checklist=selectors.checklist(demand),
            fee_total=selectors.fee_total(demand),
        ),
    )


# --- Absences and closures (office heads) ---------------------------------------------------


@staff_required(PLANNING)
def absences(request: HttpRequest, office: Office) -> HttpResponse:
    counters = Counter.objects.filter(office=office, active=True).order_by("name")
    errors: dict[str, str] = {}
    data = request.POST if request.method == "POST" else {}
    values = {
        key: data.get(key, "").strip()
        for key in ("scope", "start_day", "start_time", "end_day", "end_time", "reason")
    }
    if request.method == "POST":
        start = _local_instant(
            office, parse_day(values["start_day"]), _parse_time(values["start_time"])
        )
        end = _local_instant(office, parse_day(values["end_day"]), _parse_time(values["end_time"]))
        counter = (
            counters.filter(pk=values["scope"]).first() if is_number(values["scope"]) else None
        )
        if counter is None and values["scope"] != "office":
            errors["scope"] = _("Please choose a counter or the whole office.")
        if start is None:
            errors["start"] = _("Please enter a date and a time, like 2027-03-01 and 08:00.")
        if end is None:
            errors["end"] = _("Please enter a date and a time, like 2027-03-01 and 12:00.")
        if not errors:
            assert start is not None and end is not None
            try:
                if counter is not None:
                    absence = planning.absence_create(
                        counter=counter,
                        start=start,
                        end=end,
                        reason=values["reason"],
                        staff_user=_staff(request),
                    )
                    return redirect(
                        "backoffice:absence", office_id=office.pk, kind="counter", pk=absence.pk
                    )
                closure = planning.closure_create(
                    office=office,
                    start=start,
                    end=end,
                    reason=values["reason"],
                    staff_user=_staff(request),
                )
                return redirect(
                    "backoffice:absence", office_id=office.pk, kind="office", pk=closure.pk
                )
            except BookingError as exc:
                errors["end" if exc.field == "end" else "start"] = exc.message
    now = _now()
    return render(
        request,
        "backoffice/absences.html",
        _context(
            request,
            office,
            counters=counters,
            values=values,
            errors=errors,
            absences=Absence.objects.filter(counter__office=office, end__gt=now)
            .select_related("counter")
            .order_by("start"),
            closures=Closure.objects.filter(office=office, end__gt=now).order_by("start"),
        ),
        status=400 if errors else 200,
    )


@staff_required(PLANNING)
def absence(request: HttpRequest, office: Office, kind: str, pk: int) -> HttpResponse:
    blocked: Absence | Closure | None
    if kind == "counter":
        blocked = Absence.objects.filter(pk=pk, counter__office=office).first()
        counter = blocked.counter if blocked else None
    else:
        blocked = Closure.objects.filter(pk=pk, office=office).first()
        counter = None
    if blocked is None:
        raise Http404
    now = _now()
    if request.method == "POST":
        chosen = {int(v) for v in request.POST.getlist("appointment") if is_number(v)}
        action = request.POST.get("action")
        if not chosen:
            messages.error(request, _("Please select at least one appointment."))
        for appointment in selectors.affected_appointments(
            office, start=blocked.start, end=blocked.end, counter=counter
        ):
            if appointment.pk not in chosen:
                continue
            try:
                if action == "cancel":
                    services.appointment_cancel(
                        appointment=appointment,
                        staff=True,
                        staff_user=_staff(request),
                        reason=request.POST.get("reason", ""),
                    )
                    messages.success(
                        request, _("%(code)s is cancelled.") % {"code": appointment.code}
                    )
                else:
                    offer = selectors.first_free_start(appointment, now=now)
                    if offer is None:
                        raise BookingError(_("No free time in the next four weeks."))
                    moved = services.appointment_move(
                        appointment=appointment,
                        start=offer[0],
                        staff=True,
                        staff_user=_staff(request),
                    )
                    messages.success(
                        request,
                        _("%(code)s is moved to %(time)s.")
                        % {
                            "code": appointment.code,
                            "time": moved.start.astimezone(office.zone).strftime("%d.%m.%Y %H:%M"),
                        },
                    )
            except BookingError as exc:
                messages.error(request, f"{appointment.code}: {exc.message}")
        return redirect("backoffice:absence", office_id=office.pk, kind=kind, pk=pk)
    affected = [
        (appointment, selectors.first_free_start(appointment, now=now))
        for appointment in selectors.affected_appointments(
            office, start=blocked.start, end=blocked.end, counter=counter
        )
    ]
    return render(
        request,
        "backoffice/absence.html",
        _context(request, office, blocked=blocked, counter=counter, affected=affected),
    )


# --- Audit log and statistics (office heads) ------------------------------------------------


@staff_required(PLANNING)
@require_GET
def audit(request: HttpRequest, office: Office) -> HttpResponse:
    entries = list(selectors.audit_entries(office)[:200])
    return render(request, "backoffice/audit.html", _context(request, office, entries=entries))


@staff_required(PLANNING)
@require_GET
def statistics(request: HttpRequest, office: Office) -> HttpResponse:
    last = parse_day(request.GET.get("last")) or _today(office)
    first = parse_day(request.GET.get("first")) or last - timedelta(days=29)
    if first > last:
        first, last = last, first
    return render(
        request,
        "backoffice/statistics.html",
        _context(
            request,
            office,
            first=first,
            last=last,
            stats=selectors.office_statistics(office, first_day=first, last_day=last),
        ),
    )


# --- E-mails that did not arrive (office heads) -----------------------------------------------


@staff_required(PLANNING)
@require_GET
def mail(request: HttpRequest, office: Office) -> HttpResponse:
    undelivered = list(mail_selectors.undelivered_messages(office)[:200])
    return render(request, "backoffice/mail.html", _context(request, office, messages=undelivered))


@staff_required(PLANNING)
@require_POST
def mail_resend(request: HttpRequest, office: Office, message_id: int) -> HttpResponse:
    message = mail_selectors.undelivered_messages(office).filter(pk=message_id).first()
    if message is None:
        raise Http404
    outbox.resend(message)
    messages.success(request, _("The e-mail is queued again."))
    return redirect("backoffice:mail", office_id=office.pk)


# --- Queue: call the next number ------------------------------------------------------------


@staff_required()
def queue(request: HttpRequest, office: Office) -> HttpResponse:
    counters = Counter.objects.filter(office=office, active=True).order_by("name")
    source = request.POST if request.method == "POST" else request.GET
    counter_id = source.get("counter", "")
    counter = counters.filter(pk=counter_id).first() if is_number(counter_id) else None
    if request.method == "POST":
        action = request.POST.get("action", "")
        ticket_id = request.POST.get("ticket", "")
        ticket = (
            Ticket.objects.filter(office=office, pk=ticket_id).first()
            if is_number(ticket_id)
            else None
        )
        try:
            if action == "call-next":
                if counter is None:
                    raise BookingError(_("Please choose your counter first."))
                called = desk.ticket_call_next(
                    office=office, counter=counter, staff_user=_staff(request)
                )
                if called is None:
                    messages.info(request, _("Nobody is waiting for this counter."))
                else:
                    messages.success(
                        request,
                        _("Number %(number)s is called to %(counter)s.")
                        % {"number": called.label, "counter": counter.name},
                    )
            elif action == "walk-in-limit" and has_role(request.user, PLANNING):
                text = request.POST.get("limit", "").strip()
                if text and not is_number(text):
                    raise BookingError(_("Please enter a number from 0 to 999."))
                planning.office_set_walk_in_limit(
                    office=office,
                    limit=int(text) if text else None,
                    staff_user=_staff(request),
                )
                messages.success(request, _("The walk-in limit is saved."))
            elif ticket is not None and action in TICKET_ACTIONS:
                TICKET_ACTIONS[action](ticket=ticket, staff_user=_staff(request))
                messages.success(request, _("Number %(number)s: done.") % {"number": ticket.label})
            else:
                raise Http404
        except BookingError as exc:
            messages.error(request, exc.message)
        target = reverse("backoffice:queue", kwargs={"office_id": office.pk})
        return redirect(f"{target}?counter={counter.pk}" if counter else target)
    now = _now()
    entries = selectors.ticket_queue(office, now=now)
    return render(
        request,
        "backoffice/queue.html",
        _context(
            request,
            office,
            counters=counters,
            counter=counter,
            entries=entries,
            at_counters=selectors.tickets_at_counters(office, now=now),
            open_count=len(selectors.open_counter_ids(office, now=now)),
            statuses=TicketStatus,
        ),
    )


TICKET_ACTIONS = {
    "call-again": desk.ticket_call_again,
    "set-aside": desk.ticket_set_aside,
    "return": desk.ticket_return,
    "finish": desk.ticket_finish,
}
