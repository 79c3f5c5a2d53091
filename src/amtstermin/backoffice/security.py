"""The second factor (TOTP, django-otp): setting up an authenticator app, the code step after
the password, and removing the app again. Whether a page needs the code is decided in
:mod:`amtstermin.backoffice.access`; these views only set up and check codes."""

from __future__ import annotations

import math
from base64 import b32encode
from typing import Any

import django_otp
import segno
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import second_factor
from .access import confirmed_device, second_factor_gate, second_factor_required
from .errors import error_messages
from .forms import OneTimeCodeForm


def _next_url(request: HttpRequest, default: str) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


def _check_code(request: HttpRequest, device: TOTPDevice, code: str) -> str | None:
    """Check the code against the device, respecting django-otp's throttling (each wrong code
    doubles the wait before the next try). ``None`` when accepted, else the error to show."""
    allowed, info = device.verify_is_allowed()
    if not allowed:
        locked_until = (info or {}).get("locked_until")
        seconds = 1
        if locked_until is not None:
            seconds = max(1, math.ceil((locked_until - timezone.now()).total_seconds()))
        return ngettext(
            "Too many wrong codes. Please wait %(seconds)d second and try again.",
            "Too many wrong codes. Please wait %(seconds)d seconds and try again.",
            seconds,
        ) % {"seconds": seconds}
    if django_otp.verify_token(request.user, device.persistent_id, code) is None:
        return str(error_messages["code_wrong"])
    return None


def _code_errors(request: HttpRequest, form: OneTimeCodeForm, device: TOTPDevice) -> str | None:
    if not form.is_valid():
        return str(form.errors["code"][0])
    return _check_code(request, device, form.cleaned_data["code"])


@never_cache
@sensitive_post_parameters("code")
def verify(request: HttpRequest) -> HttpResponse:
    """Second login step: the code from the authenticator app marks the session verified."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path(), reverse("backoffice:login"))
    next_url = _next_url(request, reverse("backoffice:home"))
    device = confirmed_device(request.user)
    if device is None or getattr(request.user, "otp_device", None) is not None:
        return redirect(next_url)
    error = None
    if request.method == "POST":
        error = _code_errors(request, OneTimeCodeForm(request.POST), device)
        if error is None:
            django_otp.login(request, device)
            return redirect(next_url)
    return render(request, "backoffice/verify.html", {"error": error, "next": next_url})


def _setup_context(device: TOTPDevice) -> dict[str, Any]:
    secret = b32encode(device.bin_key).decode("ascii").rstrip("=")
    qr = segno.make(device.config_url, error="m")
    return {
        "qr_data_uri": qr.svg_data_uri(scale=5, border=4, dark="#000", light="#fff"),
        "secret_groups": [secret[i : i + 4] for i in range(0, len(secret), 4)],
    }


@never_cache
@sensitive_post_parameters("code")
def security(request: HttpRequest) -> HttpResponse:
    """Set up the authenticator app (QR code or secret, confirmed by a code), or remove it."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path(), reverse("backoffice:login"))
    gate = second_factor_gate(request, setting_up=True)
    if gate is not None:
        return gate
    user = request.user
    here = reverse("backoffice:security")
    required = second_factor_required(user)
    error = None
    device = confirmed_device(user)
    if device is not None:
        if request.method == "POST":
            error = _code_errors(request, OneTimeCodeForm(request.POST), device)
            if error is None:
                second_factor.devices_remove(user)
                messages.success(request, _("The second factor has been removed."))
                return redirect(here)
        return render(
            request,
            "backoffice/security.html",
            {"device": device, "required": required, "error": error},
        )
    pending = second_factor.device_being_set_up(user)
    if request.method == "POST":
        error = _code_errors(request, OneTimeCodeForm(request.POST), pending)
        if error is None:
            second_factor.device_confirm(pending)
            django_otp.login(request, pending)
            messages.success(
                request,
                _("The second factor is set up. From now on you enter a code at every login."),
            )
            return redirect(_next_url(request, here))
    return render(
        request,
        "backoffice/security.html",
        {
            "device": None,
            "required": required,
            "error": error,
            "next": _next_url(request, ""),
            **_setup_context(pending),
        },
    )
