"""Pages without login: the kiosk that issues numbers and the waiting-room call display.

Neither shows personal data: the kiosk answers with a number, the display with numbers and
counter names.
"""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from amtstermin import ratelimit
from amtstermin.backoffice import selectors as staff_selectors
from amtstermin.backoffice.errors import error_messages
from amtstermin.backoffice.parsing import is_number
from amtstermin.booking import desk, selectors
from amtstermin.booking.errors import BookingError
from amtstermin.booking.models import Office


def _office(office_id: int) -> Office:
    office = selectors.office_get(office_id)
    if office is None:
        raise Http404
    return office


@never_cache
def kiosk(request: HttpRequest, office_id: int) -> HttpResponse:
    office = _office(office_id)
    walk_in_services = [s for s in selectors.service_list(office=office)]
    errors: dict[str, str] = {}
    if request.method == "POST":
        if not ratelimit.allow(
            request, "kiosk", limit=settings.KIOSK_LIMIT_PER_MINUTE, window_seconds=60
        ):
            return render(
                request,
                "backoffice/kiosk.html",
                {
                    "office": office,
                    "services": walk_in_services,
                    "errors": {"form": error_messages["kiosk_busy"]},
                },
                status=429,
            )
        try:
            if request.POST.get("action") == "code":
                ticket = desk.ticket_check_in_by_code(
                    office=office, code=request.POST.get("code", "")
                )
            else:
                ids = {int(v) for v in request.POST.getlist("service") if is_number(v)}
                chosen = staff_selectors.walk_in_services(office, ids)
                ticket = desk.ticket_issue(office=office, services=chosen)
        except BookingError as exc:
            errors[exc.field or "form"] = exc.message
        else:
            return render(
                request,
                "backoffice/kiosk_ticket.html",
                {
                    "office": office,
                    "ticket": ticket,
                    "wait": staff_selectors.ticket_wait_minutes(office, ticket, now=timezone.now()),
                },
            )
    return render(
        request,
        "backoffice/kiosk.html",
        {"office": office, "services": walk_in_services, "errors": errors},
        status=400 if errors else 200,
    )


@never_cache
@require_GET
def display(request: HttpRequest, office_id: int) -> HttpResponse:
    office = _office(office_id)
    calls = staff_selectors.display_calls(office, now=timezone.now())
    return render(
        request,
        "backoffice/display.html",
        {"office": office, "latest": calls[0] if calls else None, "earlier": calls[1:]},
    )


@never_cache
@require_GET
def display_calls(request: HttpRequest, office_id: int) -> JsonResponse:
    office = _office(office_id)
    return JsonResponse({"calls": staff_selectors.display_calls(office, now=timezone.now())})
