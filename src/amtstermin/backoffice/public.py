"""Pages of the paired devices: the kiosk that issues numbers and the waiting-room call display.

Each answers only through the secret link of a device the office head paired in the back
office (``booking.devices``); without a valid, unrevoked link they answer 403 and do nothing.
Neither shows personal data: the kiosk answers with a number, the display with numbers and
counter names.
"""

from __future__ import annotations

import segno
from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from amtstermin import ratelimit
from amtstermin.backoffice import selectors as staff_selectors
from amtstermin.backoffice.errors import error_messages
from amtstermin.backoffice.parsing import is_number
from amtstermin.booking import desk, devices, queue_selectors, selectors
from amtstermin.booking.errors import BookingError
from amtstermin.booking.models import Device, DeviceKind, Ticket
from amtstermin.booking.waiting_text import wait_sentence


def refused(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    """No valid pairing: nothing happens."""
    return render(request, "backoffice/device_refused.html", status=403)


def _device(token: str, kind: str) -> Device | None:
    return devices.device_for_token(token, kind)


def ticket_page_url(request: HttpRequest, ticket: Ticket) -> str:
    return request.build_absolute_uri(reverse("citizen:ticket", args=[ticket.page_token]))


def qr_svg(url: str) -> str:
    """The link as an inline SVG QR code."""
    return str(segno.make(url, error="m").svg_inline(scale=5, border=2, title=""))


def ticket_slip_page(
    request: HttpRequest, ticket: Ticket, *, return_url: str, at_kiosk: bool = False
) -> HttpResponse:
    """The number with its wait, QR code and link, to read or print (kiosk and desk). At the
    kiosk, going back to the start resets the language for the next person. The wait is the
    one given when the number was drawn: the queue is not read again."""
    wait = queue_selectors.issued_wait(ticket)
    page_url = ticket_page_url(request, ticket) if ticket.page_token else ""
    return render(
        request,
        "backoffice/kiosk_ticket.html",
        {
            "office": ticket.office,
            "kiosk_url": return_url,
            "ticket": ticket,
            "wait_text": wait_sentence(wait, appointment=ticket.appointment is not None),
            "page_url": page_url,
            "qr": qr_svg(page_url) if page_url else "",
            "reset_language": at_kiosk,
        },
    )


@never_cache
def kiosk(request: HttpRequest, token: str) -> HttpResponse:
    device = _device(token, DeviceKind.KIOSK)
    if device is None:
        return refused(request)
    office = device.office
    context = {
        "office": office,
        "services": list(selectors.service_list(office=office)),
        "kiosk_url": request.path,
    }
    errors: dict[str, str] = {}
    if request.method == "POST":
        if not ratelimit.allow(
            request, "kiosk", limit=settings.KIOSK_LIMIT_PER_MINUTE, window_seconds=60
        ):
            context["errors"] = {"form": error_messages["kiosk_busy"]}
            return render(request, "backoffice/kiosk.html", context, status=429)
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
            return ticket_slip_page(request, ticket, return_url=request.path, at_kiosk=True)
    context["errors"] = errors
    return render(request, "backoffice/kiosk.html", context, status=400 if errors else 200)


@never_cache
@require_GET
def display(request: HttpRequest, token: str) -> HttpResponse:
    device = _device(token, DeviceKind.DISPLAY)
    if device is None:
        return refused(request)
    office = device.office
    calls = staff_selectors.display_calls(office, now=timezone.now())
    return render(
        request,
        "backoffice/display.html",
        {
            "office": office,
            "token": token,
            "latest": calls[0] if calls else None,
            "earlier": calls[1:],
        },
    )


@never_cache
@require_GET
def display_calls(request: HttpRequest, token: str) -> JsonResponse:
    device = _device(token, DeviceKind.DISPLAY)
    if device is None:
        return JsonResponse({"detail": "forbidden"}, status=403)
    return JsonResponse({"calls": staff_selectors.display_calls(device.office, now=timezone.now())})
