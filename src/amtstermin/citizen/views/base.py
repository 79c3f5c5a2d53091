"""What every public page needs: the page frame, the office, the session's hold and the
appointment's summary as the templates show it."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from amtstermin import scheduling
from amtstermin.booking import release, selectors
from amtstermin.booking.demand import demand_of_appointment
from amtstermin.booking.models import Appointment, AppointmentStatus, Office
from amtstermin.booking.visit import VisitLine, visit_summary
from amtstermin.citizen import formatting
from amtstermin.reports.models import StatisticsSettings

HOLD_KEY = "citizen.hold"  # {"token": ..., "office": id}
DETAILS_KEY = "citizen.details"  # what the citizen typed, kept until booked
DONE_KEY = "citizen.done"  # token of the appointment just booked, for the confirmation


def _steps() -> list[tuple[str, str]]:
    return [
        ("services", _("Services")),
        ("time", _("Day and time")),
        ("details", _("Your details")),
        ("review", _("Check and book")),
    ]


def render_page(
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
        "waiting_times_published": (
            legal_office is not None and StatisticsSettings.publishes(legal_office.pk)
        ),
        "steps": steps if step else None,
        "step": step,
        "step_number": keys.index(step) + 1 if step else None,
        "step_count": len(steps),
        "step_label": dict(steps).get(step or "", ""),
        "lang_next": request.get_full_path() if request.method == "GET" else request.path,
        **context,
    }
    return render(request, f"citizen/{template}", context, status=status)


def office_or_none(office_id: int) -> Office | None:
    return selectors.office_get(office_id)


def not_found(request: HttpRequest, office: Office | None = None) -> HttpResponse:
    return render_page(request, "not_found.html", {}, office=office, status=404)


def start_from_post(request: HttpRequest) -> datetime | None:
    """The chosen start, an engine instant the time page posts."""
    try:
        return datetime.fromtimestamp(int(request.POST.get("start", "")), UTC)
    except (ValueError, OverflowError, OSError):
        return None


def held(request: HttpRequest) -> Appointment | None:
    """The appointment this session holds (any status), or None."""
    hold = request.session.get(HOLD_KEY)
    if not hold:
        return None
    return selectors.appointment_by_token(hold.get("token", ""))


def time_url(appointment: Appointment) -> str:
    """The time page for the appointment's services, at its week and day."""
    demand = demand_of_appointment(appointment)
    day = appointment.start.astimezone(appointment.office.zone).date()
    query = urlencode({"services": demand.key(), "week": scheduling.monday_of(day), "day": day})
    return f"{reverse('citizen:time', args=[appointment.office_id])}?{query}"


def hold_info(appointment: Appointment, now: datetime) -> dict[str, Any]:
    """The hold's countdown; once lapsed the page says so and offers to choose a time again
    (the script switches over when the time runs out on the open page)."""
    tz = appointment.office.zone
    held_until = appointment.held_until or now
    seconds = max(0, int((held_until - now).total_seconds()))
    return {
        "until": formatting.clock_time(held_until, tz, html=True),
        "minutes": -(-seconds // 60),
        "seconds": seconds,
        "lapsed": seconds == 0,
        "may_extend": appointment.may_extend_hold(),
        "choose_again_url": time_url(appointment),
    }


def fee_rows(lines: Iterable[VisitLine]) -> list[dict[str, Any]]:
    """Each service's fee beside the total: the amount, and for several persons what one pays."""
    return [
        {
            "name": line.name,
            "persons": line.persons,
            "each": formatting.money(line.fee_each)
            if line.fee_each is not None and line.persons > 1
            else "",
            "amount": formatting.money(line.fee) if line.fee is not None else "",
            "note": line.fee_note,
        }
        for line in lines
    ]


def appointment_summary(appointment: Appointment) -> dict[str, Any]:
    visit = visit_summary(appointment)
    tz = appointment.office.zone
    return {
        "when": formatting.date_time(appointment.start, tz, html=True),
        "until": formatting.clock_time(appointment.end, tz, html=True),
        "minutes": visit.duration_minutes,
        "lines": visit.lines,
        "checklist": visit.checklist,
        "fees": fee_rows(visit.lines),
        "fee": formatting.money(visit.fee_total),
        "has_fee": visit.has_fee,
    }


def manage_context(request: HttpRequest, appointment: Appointment, token: str) -> dict[str, Any]:
    """The appointment as the manage page and the confirmation after booking show it."""
    now = timezone.now()
    tz = appointment.office.zone
    booked = appointment.status in (AppointmentStatus.CONFIRMED, AppointmentStatus.PENDING)
    can_cancel = booked and appointment.may_cancel_online(now)
    return {
        "appointment": appointment,
        "token": token,
        "summary": appointment_summary(appointment),
        "manage_url": request.build_absolute_uri(reverse("citizen:manage", args=[token])),
        "calendar_url": reverse("citizen:calendar", args=[token]),
        "cancelled": appointment.status == AppointmentStatus.CANCELLED,
        "can_cancel": can_cancel,
        "can_move": appointment.may_change_online(now),
        "started": booked and not can_cancel,
        "cancel_until": formatting.date_time(appointment.cancel_deadline(), tz, html=True),
        "move_until": formatting.date_time(appointment.move_deadline(), tz, html=True),
        "pending": appointment.status == AppointmentStatus.PENDING,
        "pending_until": (
            formatting.clock_time(appointment.pending_until, tz, html=True)
            if appointment.pending_until
            else ""
        ),
    }


def window_notices(office: Office, now: datetime) -> dict[str, Any]:
    """What the pages say about when times become bookable: "opens on …" before "bookable
    from", and the next release if the office releases days at a fixed time."""
    today = now.astimezone(office.zone).date()
    upcoming = release.next_release(office, now)
    return {
        "not_open_yet": bool(office.bookable_from and office.bookable_from > today),
        "bookable_from": formatting.long_date(office.bookable_from) if office.bookable_from else "",
        "release_time": (
            formatting.clock_time(upcoming.moment, office.zone, html=True)
            if upcoming is not None
            else ""
        ),
        "next_release": (
            formatting.date_time(upcoming.moment, office.zone, html=True)
            if upcoming is not None
            else ""
        ),
        "release_up_to": formatting.long_date(upcoming.up_to) if upcoming is not None else "",
    }
