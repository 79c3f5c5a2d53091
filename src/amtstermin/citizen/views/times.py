"""The day-and-time page, for a new booking and for moving a booked appointment."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone

from amtstermin import scheduling
from amtstermin.booking import selectors
from amtstermin.booking.demand import Demand
from amtstermin.booking.models import Appointment
from amtstermin.booking.parsing import date_or_none
from amtstermin.booking.visit import visit_summary
from amtstermin.citizen.hours import opening_days
from amtstermin.citizen.week import present_week
from amtstermin.reports import recording

from .base import render_page, window_notices


def _weeks_around(first_day: date, last_day: date) -> tuple[date, date]:
    """Every day of the weeks the page can show (the window's, whole weeks)."""
    return scheduling.monday_of(first_day), scheduling.monday_of(
        max(first_day, last_day)
    ) + timedelta(days=6)


def time_choice_page(
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
    visit = visit_summary(demand)
    now = timezone.now()
    window = selectors.booking_window(office, now=now)
    days = selectors.availability(
        demand,
        first_day=window.first_day,
        last_day=window.last_day,
        now=now,
        ignore_appointment_id=appointment.pk if appointment else None,
    )
    move = appointment is not None
    time_url = reverse("citizen:time", args=[office.pk])
    action = (
        reverse("citizen:move", args=[token]) if move else reverse("citizen:hold", args=[office.pk])
    )

    def link(**params: str) -> str:
        query = {} if move else {"services": demand.key()}
        query.update(params)
        return f"{action if move else time_url}?{urlencode(query)}"

    week = present_week(
        days,
        opening=opening_days(office, *_weeks_around(window.first_day, window.last_day)),
        first_day=window.first_day,
        last_day=window.last_day,
        tz=office.zone,
        week=date_or_none(request.GET.get("week")),
        day=date_or_none(request.GET.get("day")),
        wanted=wanted,
        link=link,
    )
    if week.nothing_free and not move and request.method == "GET":
        # A search that found nothing free online in the whole window (for the statistics).
        recording.record_refusals(demand, recording.REFUSED_NOTHING_FREE, now)
    context = {
        "move": move,
        "appointment": appointment,
        "token": token,
        "demand_key": demand.key(),
        "lines": visit.lines,
        "duration": visit.duration_minutes,
        "change_services_url": (
            f"{reverse('citizen:office', args=[office.pk])}?{urlencode({'services': demand.key()})}"
        ),
        "error": error,
        "nearest": week.nearest,
        "nothing_free": week.nothing_free,
        **window_notices(office, now),
        "next_free": week.next_free,
        "week_label": week.label,
        "week_days": week.days,
        "prev_url": week.previous_url,
        "next_url": week.next_url,
        "chosen_label": week.chosen_label,
        "morning": week.morning,
        "afternoon": week.afternoon,
        "action": action,
        "lang_next": week.link,
    }
    return render_page(
        request, "time.html", context, office=office, step=None if move else "time", status=status
    )
