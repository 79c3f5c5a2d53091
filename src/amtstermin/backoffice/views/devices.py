"""Pairing kiosks and call displays: the office head creates a secret link (shown once, also
as a QR code to open on the device), sees the paired devices and revokes them."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from amtstermin.backoffice.access import PLANNING, staff_required
from amtstermin.backoffice.parsing import is_number
from amtstermin.backoffice.public import qr_svg
from amtstermin.booking import devices
from amtstermin.booking.errors import BookingError
from amtstermin.booking.models import Device, DeviceKind, Office

from .common import page_context, staff


@staff_required(PLANNING)
def device_list(request: HttpRequest, office: Office) -> HttpResponse:
    context = page_context(request, office, kinds=DeviceKind.choices, errors={})
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "revoke":
            return _revoke(request, office)
        if action != "pair":
            raise Http404
        try:
            paired = devices.device_pair(
                office=office,
                kind=request.POST.get("kind", ""),
                name=request.POST.get("name", ""),
                staff_user=staff(request),
            )
        except BookingError as exc:
            context["errors"] = {exc.field or "form": exc.message}
        else:
            name = (
                "counterdisplay:kiosk"
                if paired.device.kind == "kiosk"
                else "counterdisplay:display"
            )
            link = request.build_absolute_uri(reverse(name, args=[paired.token]))
            context.update(new_device=paired.device, link=link, qr=qr_svg(link))
    context["devices"] = devices.office_devices(office)
    status = 400 if context["errors"] else 200
    return render(request, "backoffice/devices.html", context, status=status)


def _revoke(request: HttpRequest, office: Office) -> HttpResponse:
    device_id = request.POST.get("device", "")
    device = (
        Device.objects.filter(office=office, pk=int(device_id)).first()
        if is_number(device_id)
        else None
    )
    if device is None:
        raise Http404
    try:
        devices.device_revoke(device=device, staff_user=staff(request))
    except BookingError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("%(device)s is revoked; its link no longer works.") % {"device": device.name}
        )
    return redirect("backoffice:devices", office_id=office.pk)
