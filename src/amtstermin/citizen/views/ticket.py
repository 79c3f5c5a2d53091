"""The live ticket page ``/t/<token>/``: number, position, estimated wait and, once called, the
counter. It refreshes itself (a <noscript> refresh without JavaScript, a small JSON endpoint with
it) and lets the citizen give up the number. Nothing personal; it expires with the day."""

from __future__ import annotations

import contextlib
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from amtstermin.booking import queue, queue_selectors
from amtstermin.booking.errors import BookingError
from amtstermin.booking.models import TicketStatus
from amtstermin.booking.queue_selectors import TicketView
from amtstermin.booking.waiting_text import wait_sentence
from amtstermin.citizen.views.base import not_found, render_page

REFRESH_SECONDS = 20


def status_of(view: TicketView) -> dict[str, Any]:
    """What the page shows, for the page and its JSON endpoint alike."""
    ticket = view.ticket
    if ticket.status == TicketStatus.CALLED:
        headline = _("Your number is called: please go to %(counter)s.") % {
            "counter": view.counter_name
        }
    elif ticket.status == TicketStatus.WAITING:
        headline = wait_sentence(view.wait, appointment=ticket.appointment is not None)
    elif ticket.status == TicketStatus.LEFT:
        headline = _("You have given up this number.")
    elif ticket.status == TicketStatus.SET_ASIDE:
        headline = _("Your number was called but you were not there. Please ask at the counter.")
    else:
        headline = _("This number has been served. Thank you for your visit.")
    return {
        "number": ticket.label,
        "status": ticket.status,
        "position": view.position,
        "wait_low": view.wait.low if view.wait else None,
        "wait_high": view.wait.high if view.wait else None,
        "counter": view.counter_name or None,
        "headline": headline,
        "waiting": ticket.status == TicketStatus.WAITING,
    }


@never_cache
@require_GET
def ticket_page(request: HttpRequest, token: str) -> HttpResponse:
    ticket = queue_selectors.ticket_by_token(token, now=timezone.now())
    if ticket is None:
        return not_found(request)
    view = queue_selectors.ticket_view(ticket, now=timezone.now())
    # Without JavaScript the page reloads itself (<noscript> refresh); with it, ticket.js polls
    # the JSON endpoint, so the live region can announce a call without a reload.
    return render_page(
        request,
        "ticket.html",
        {"ticket": ticket, "state": status_of(view), "refresh": REFRESH_SECONDS},
        office=ticket.office,
    )


@never_cache
@require_GET
def ticket_status(request: HttpRequest, token: str) -> JsonResponse:
    ticket = queue_selectors.ticket_by_token(token, now=timezone.now())
    if ticket is None:
        return JsonResponse({"detail": _("This ticket is no longer valid.")}, status=404)
    return JsonResponse(status_of(queue_selectors.ticket_view(ticket, now=timezone.now())))


@require_POST
def ticket_leave(request: HttpRequest, token: str) -> HttpResponse:
    ticket = queue_selectors.ticket_by_token(token, now=timezone.now())
    if ticket is None:
        return not_found(request)
    with contextlib.suppress(BookingError):  # already called or gone: the page says so
        queue.ticket_leave(ticket=ticket)
    return redirect("citizen:ticket", token=token)
