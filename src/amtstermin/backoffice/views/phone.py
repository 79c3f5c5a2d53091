"""Booking for a caller on the phone or a citizen at the counter: services and persons, any
counter or one, the next free times across days, a week of free times (the first of each hour)
and, asked for, one day's every free time; then the caller's details, and book."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from amtstermin.backoffice import phone_week
from amtstermin.backoffice.access import staff_required
from amtstermin.backoffice.forms import PhoneBookingForm, entered, first_errors, persons_input
from amtstermin.booking import free_times, selectors, services
from amtstermin.booking.errors import BookingError
from amtstermin.booking.models import Office

from .common import now, page_context, staff, today

ENTERED = ("name", "email", "phone", "booked_for", "slot", "channel", "language")


@staff_required()
def book(request: HttpRequest, office: Office) -> HttpResponse:
    """GET shows the free times for the services (and counter); POST books one of them."""
    booking = request.method == "POST"
    form = PhoneBookingForm(
        request.POST if booking else request.GET,
        office=office,
        services=list(selectors.service_list(office=office)),
        today=today(office),
        booking=booking,
    )
    valid = form.is_valid()
    errors = first_errors(form)
    if "__all__" in errors:  # a phone number or an e-mail address: both inputs are at fault
        errors["contact"] = errors.pop("__all__")
    demand = form.demand
    if booking and valid and demand is not None:
        try:
            appointment, _token = services.appointment_book(
                demand=demand,
                start=form.cleaned_data["time"],
                citizen=form.citizen(),
                channel=form.cleaned_data["channel"],
                staff=True,
                staff_user=staff(request),
                counter=form.chosen_counter,
            )
        except BookingError as exc:
            errors[exc.field or "time"] = exc.message
        else:
            return redirect(
                "backoffice:confirmation", office_id=office.pk, appointment_id=appointment.pk
            )
    pairs = form.pairs()
    counter_id = form.chosen_counter.pk if form.chosen_counter is not None else None
    shown = demand is not None and "counter" not in errors
    query = [(persons_input(pk), persons) for pk, persons in pairs]
    if counter_id is not None:
        query.append(("counter", counter_id))
    context: dict[str, Any] = {"next_times": [], "grid": None, "day": None, "day_rows": []}
    if shown and demand is not None:
        current = now()
        zone = office.zone
        monday = form.chosen_week()
        week = free_times.staff_free_days(
            demand,
            first_day=monday,
            last_day=monday + timedelta(days=6),
            now=current,
            counter_id=counter_id,
        )
        day = form.chosen_day()
        context = {
            "next_times": phone_week.slots(
                free_times.next_free_starts(demand, now=current, counter_id=counter_id), zone
            ),
            "grid": phone_week.week_grid(week, monday=monday, tz=zone),
            "previous_week": monday - timedelta(days=7) if monday > today(office) else None,
            "next_week": monday + timedelta(days=7),
            "day": day if day is not None and monday <= day < monday + timedelta(days=7) else None,
            "day_rows": phone_week.day_by_hour(week, day, zone) if day is not None else [],
        }
    return render(
        request,
        "backoffice/book.html",
        page_context(
            request,
            office,
            rows=form.rows(),
            counters=free_times.counters_offering(office, {pk for pk, _n in pairs}),
            chosen_counter=counter_id,
            demand=demand if shown else None,
            values=entered(form, ENTERED),
            errors=errors,
            base_query=urlencode(query),
            week_param=context["grid"].monday.isoformat() if context["grid"] else "",
            languages=settings.LANGUAGES,
            **context,
        ),
        status=400 if errors and booking else 200,
    )
