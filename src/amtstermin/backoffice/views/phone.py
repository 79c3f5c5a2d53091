"""Booking for a caller on the phone or a citizen at the counter."""

from __future__ import annotations

from datetime import timedelta

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from amtstermin.backoffice.access import staff_required
from amtstermin.backoffice.forms import PhoneBookingForm, entered, first_errors, persons_input
from amtstermin.booking import selectors, services
from amtstermin.booking.errors import BookingError
from amtstermin.booking.models import Office
from amtstermin.booking.parsing import supported_language

from .common import free_times, now, page_context, staff, today

ENTERED = ("name", "email", "phone", "booked_for", "time", "channel")


@staff_required()
def book(request: HttpRequest, office: Office) -> HttpResponse:
    """GET shows the free times for the services and the day; POST books one of them."""
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
    demand = form.demand
    if booking and valid and demand is not None:
        try:
            appointment, _token = services.appointment_book(
                demand=demand,
                start=form.cleaned_data["time"],
                citizen=form.citizen(language=supported_language(request.LANGUAGE_CODE)),
                channel=form.cleaned_data["channel"],
                staff=True,
                staff_user=staff(request),
            )
        except BookingError as exc:
            errors[exc.field or "time"] = exc.message
        else:
            return redirect(
                "backoffice:confirmation", office_id=office.pk, appointment_id=appointment.pk
            )
    day = form.chosen_day()
    times: list[str] = []
    if demand is not None:
        found = selectors.availability(demand, first_day=day, last_day=day, now=now(), staff=True)
        times = free_times(office, found)
    return render(
        request,
        "backoffice/book.html",
        page_context(
            request,
            office,
            rows=form.rows(),
            day=day,
            previous_day=day - timedelta(days=1),
            next_day=day + timedelta(days=1),
            demand=demand,
            times=times,
            values=entered(form, ENTERED),
            errors=errors,
            demand_query="&".join(f"{persons_input(pk)}={persons}" for pk, persons in form.pairs()),
        ),
        status=400 if errors and booking else 200,
    )
