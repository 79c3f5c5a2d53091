"""The queue of waiting numbers: call the next one to a counter, call again, set aside, take
back, finish; office heads set the kiosk's daily walk-in limit."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from amtstermin.backoffice import selectors as staff_selectors
from amtstermin.backoffice.access import PLANNING, has_role, staff_required
from amtstermin.backoffice.errors import error_messages
from amtstermin.backoffice.forms import WalkInLimitForm, first_errors
from amtstermin.backoffice.parsing import is_number
from amtstermin.booking import desk, planning, queue_selectors, selectors
from amtstermin.booking.errors import BookingError
from amtstermin.booking.models import Counter, Office, TicketStatus

from .common import now, page_context, staff

TICKET_ACTIONS = {
    "call-again": desk.ticket_call_again,
    "set-aside": desk.ticket_set_aside,
    "return": desk.ticket_return,
    "finish": desk.ticket_finish,
}


@staff_required()
def queue(request: HttpRequest, office: Office) -> HttpResponse:
    counters = staff_selectors.active_counters(office)
    source = request.POST if request.method == "POST" else request.GET
    counter_id = source.get("counter", "")
    counter = counters.filter(pk=counter_id).first() if is_number(counter_id) else None
    if request.method == "POST":
        _act(request, office, counter)
        target = reverse("backoffice:queue", kwargs={"office_id": office.pk})
        return redirect(f"{target}?counter={counter.pk}" if counter else target)
    current = now()
    return render(
        request,
        "backoffice/queue.html",
        page_context(
            request,
            office,
            counters=counters,
            counter=counter,
            entries=queue_selectors.ticket_queue(office, now=current),
            at_counters=staff_selectors.tickets_at_counters(office, now=current),
            open_count=len(selectors.open_counter_ids(office, now=current)),
            statuses=TicketStatus,
        ),
    )


def _act(request: HttpRequest, office: Office, counter: Counter | None) -> None:
    action = request.POST.get("action", "")
    if action == "call-next":
        _call_next(request, office, counter)
    elif action == "walk-in-limit" and has_role(request.user, PLANNING):
        _set_walk_in_limit(request, office)
    elif action in TICKET_ACTIONS:
        _ticket_action(request, office, action)
    else:
        raise Http404


def _call_next(request: HttpRequest, office: Office, counter: Counter | None) -> None:
    if counter is None:
        messages.error(request, error_messages["choose_counter"])
        return
    try:
        called = desk.ticket_call_next(office=office, counter=counter, staff_user=staff(request))
    except BookingError as exc:
        messages.error(request, exc.message)
        return
    if called is None:
        messages.info(request, _("Nobody is waiting for this counter."))
    else:
        messages.success(
            request,
            _("Number %(number)s is called to %(counter)s.")
            % {"number": called.label, "counter": counter.name},
        )


def _set_walk_in_limit(request: HttpRequest, office: Office) -> None:
    form = WalkInLimitForm(request.POST)
    if not form.is_valid():
        messages.error(request, first_errors(form)["limit"])
        return
    try:
        planning.office_set_walk_in_limit(
            office=office, limit=form.cleaned_data["limit"], staff_user=staff(request)
        )
    except BookingError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The walk-in limit is saved."))


def _ticket_action(request: HttpRequest, office: Office, action: str) -> None:
    ticket_id = request.POST.get("ticket", "")
    ticket = staff_selectors.office_ticket(office, int(ticket_id)) if is_number(ticket_id) else None
    if ticket is None:
        raise Http404
    try:
        TICKET_ACTIONS[action](ticket=ticket, staff_user=staff(request))
    except BookingError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Number %(number)s: done.") % {"number": ticket.label})
