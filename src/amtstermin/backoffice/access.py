"""Who may open which staff page: login, group rights, and only the user's own offices."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from amtstermin.booking import roles, selectors
from amtstermin.booking.models import Office, StaffMembership

# Office heads do everything clerks do; IT configures in the admin and has no desk work here.
CLERK_WORK = (roles.CLERK, roles.OFFICE_HEAD)
PLANNING = (roles.OFFICE_HEAD,)
CONFIGURING = (roles.OFFICE_HEAD, roles.IT_ADMIN)  # the guided configuration pages
STATISTICS = (roles.OFFICE_HEAD, roles.IT_ADMIN)  # reading them; only the head applies a change


def has_role(user: Any, groups: tuple[str, ...]) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return bool(user.groups.filter(name__in=groups).exists())


def confirmed_device(user: Any) -> TOTPDevice | None:
    """The user's confirmed authenticator app (TOTP device), if one is set up."""
    if not user.is_authenticated:
        return None
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).order_by("pk").first()


def second_factor_required(user: Any) -> bool:
    """True when the user works for an office that makes the second factor mandatory."""
    return bool(
        user.is_authenticated
        and StaffMembership.objects.filter(user=user, office__require_second_factor=True).exists()
    )


def _redirect_with_next(url_name: str, request: HttpRequest) -> HttpResponse:
    query = urlencode({"next": request.get_full_path()})
    return HttpResponseRedirect(f"{reverse(url_name)}?{query}")


def second_factor_gate(request: HttpRequest, *, setting_up: bool = False) -> HttpResponse | None:
    """The one rule for the second factor, used by the staff pages and the admin alike.

    A logged-in user with a confirmed device must have entered a code in this session (else:
    to the code page). A user without a device whose office requires one is sent to the set-up
    page (``setting_up`` marks that page itself). ``None`` means: go ahead.
    """
    user = request.user
    if not user.is_authenticated or getattr(user, "otp_device", None) is not None:
        return None
    if confirmed_device(user) is not None:
        return _redirect_with_next("backoffice:verify", request)
    if not setting_up and second_factor_required(user):
        return _redirect_with_next("backoffice:security", request)
    return None


class SecondFactorAdminMiddleware:
    """Applies :func:`second_factor_gate` to every admin page except login and logout.

    Matching the ``admin`` URL namespace covers every admin view, including those that model
    admins add themselves, without replacing ``admin.site``. ``OTPAdminSite`` would instead
    demand a verified device from every admin user, also where no office requires one.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Any, args: Any, kwargs: Any
    ) -> HttpResponse | None:
        match = request.resolver_match
        if match is None or "admin" not in match.namespaces:
            return None
        if match.url_name in ("login", "logout"):
            return None
        return second_factor_gate(request)


def staff_required(groups: tuple[str, ...] = CLERK_WORK) -> Callable[..., Any]:
    """Log in first; then the second factor, where set up or required; then the right group;
    then, for office pages, one of the user's offices (any other office is answered with 404,
    so its existence is not revealed)."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path(), reverse("backoffice:login"))
            gate = second_factor_gate(request)
            if gate is not None:
                return gate
            if not has_role(request.user, groups):
                raise PermissionDenied
            if "office_id" in kwargs:
                office: Office | None = (
                    selectors.staff_offices(request.user).filter(pk=kwargs.pop("office_id")).first()
                )
                if office is None:
                    raise Http404
                kwargs["office"] = office
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
