"""The waitlist's pages: leave a wish when nothing suits, and the wish's own page behind the
e-mails' one link. GET only shows; each button POSTs (with CSRF), so a link scanner that opens
the page confirms, accepts or declines nothing."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from amtstermin import ratelimit
from amtstermin.booking import waitlist
from amtstermin.booking.demand import DemandError, parse_demand_text, resolve_demand
from amtstermin.booking.errors import BookingError, InvalidDetails
from amtstermin.booking.models import WaitlistEntry, WaitlistStatus
from amtstermin.booking.parsing import supported_language
from amtstermin.booking.visit import visit_summary
from amtstermin.citizen import formatting
from amtstermin.citizen.errors import error_messages
from amtstermin.citizen.wish_form import WishForm
from amtstermin.reports import recording

from .base import not_found, office_or_none, render_page
from .record_language import in_wish_language

FORM_FIELD = {"from": "first_day", "to": "last_day", "weekdays": "weekdays"}
DEFAULT_DAYS = 27  # the form suggests four weeks from today


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def wish_new(request: HttpRequest, office_id: int) -> HttpResponse:
    office = office_or_none(office_id)
    if office is None:
        return not_found(request)
    key = request.POST.get("services") or request.GET.get("services", "")
    try:
        demand = resolve_demand(office=office, pairs=parse_demand_text(key))
    except DemandError as exc:
        messages.error(request, str(exc))
        return redirect("citizen:office", office_id=office.pk)
    today = timezone.now().astimezone(office.zone).date()
    form = WishForm(
        request.POST if request.method == "POST" else None,
        initial={"first_day": today, "last_day": today + timedelta(days=DEFAULT_DAYS)},
    )
    if form.is_valid():
        wish = waitlist.Wish(
            demand=demand,
            first_day=form.cleaned_data["first_day"],
            last_day=form.cleaned_data["last_day"],
            name=form.cleaned_data["name"],
            email=form.cleaned_data["email"],
            weekdays=form.weekday_numbers(),
            part_of_day=form.cleaned_data["part_of_day"] or "",
            language=supported_language(translation.get_language()),
        )
        try:
            if not ratelimit.allow(
                request, "waitlist", limit=settings.API_BOOKING_LIMIT_PER_HOUR, window_seconds=3600
            ):  # every sign-up sends an e-mail: as many an hour per address as by the API
                raise BookingError(error_messages["too_many_wishes"])
            entry, _token = waitlist.waitlist_sign_up(wish=wish)
        except InvalidDetails as exc:
            form.add_error(FORM_FIELD.get(exc.field or ""), exc.message)
        except BookingError as exc:  # the per-person limit, or busy
            form.add_error(None, exc.message)
        else:
            recording.record_waitlist_signups(entry, timezone.now())
            return redirect("citizen:wish_sent", office_id=office.pk)
    visit = visit_summary(demand)
    context = {
        "form": form,
        "demand_key": demand.key(),
        "lines": visit.lines,
        "time_url": f"{reverse('citizen:time', args=[office.pk])}?services={demand.key()}",
    }
    status = 422 if form.errors else 200
    return render_page(request, "wish_new.html", context, office=office, status=status)


@never_cache
def wish_sent(request: HttpRequest, office_id: int) -> HttpResponse:
    office = office_or_none(office_id)
    if office is None:
        return not_found(request)
    return render_page(request, "wish_sent.html", {}, office=office)


def _wish_context(entry: WaitlistEntry, token: str) -> dict[str, Any]:
    tz = entry.office.zone
    offer: dict[str, str] | None = None
    now = timezone.now()
    if entry.offer_open(now) and entry.offer is not None and entry.offer_expires_at:
        offer = {
            "when": formatting.date_time_range(entry.offer.start, entry.offer.end, tz, html=True),
            "expires": formatting.date_time(entry.offer_expires_at, tz, html=True),
        }
    lines = [
        {"name": line.service.name, "persons": line.persons}
        for line in entry.lines.select_related("service")
    ]
    return {
        "entry": entry,
        "token": token,
        "offer": offer,
        "lines": lines,
        "first_day": formatting.long_date(entry.first_day),
        "last_day": formatting.long_date(entry.last_day),
        "open": entry.status
        in (WaitlistStatus.PENDING, WaitlistStatus.ACTIVE, WaitlistStatus.OFFERED),
    }


@never_cache
@require_http_methods(["GET", "HEAD"])
@in_wish_language
def wish(request: HttpRequest, entry: WaitlistEntry, token: str) -> HttpResponse:
    return render_page(request, "wish.html", _wish_context(entry, token), office=entry.office)


@in_wish_language
def _act(request: HttpRequest, entry: WaitlistEntry, token: str, action: str) -> HttpResponse:
    try:
        if action == "confirm":
            waitlist.waitlist_activate(entry=entry)
            messages.success(request, _("Thank you: your wish is on the waitlist."))
        elif action == "accept":
            _entry, _appointment, manage = waitlist.waitlist_accept(entry=entry)
            messages.success(request, _("Thank you: your appointment is booked."))
            return redirect("citizen:manage", token=manage)
        elif action == "decline":
            waitlist.waitlist_decline(entry=entry)
            messages.success(request, _("You declined the time; it goes to the next in line."))
        else:
            waitlist.waitlist_withdraw(entry=entry)
            messages.success(request, _("Your wish is withdrawn."))
    except BookingError as exc:
        messages.error(request, exc.message)
    return redirect("citizen:wish", token=token)


@never_cache
@require_POST
def wish_confirm(request: HttpRequest, token: str) -> HttpResponse:
    return _act(request, token, "confirm")


@never_cache
@require_POST
def wish_accept(request: HttpRequest, token: str) -> HttpResponse:
    return _act(request, token, "accept")


@never_cache
@require_POST
def wish_decline(request: HttpRequest, token: str) -> HttpResponse:
    return _act(request, token, "decline")


@never_cache
@require_POST
def wish_withdraw(request: HttpRequest, token: str) -> HttpResponse:
    return _act(request, token, "withdraw")
