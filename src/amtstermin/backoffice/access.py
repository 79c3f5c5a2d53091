"""Who may open which staff page: login, group rights, and only the user's own offices."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse

from amtstermin.booking import roles, selectors
from amtstermin.booking.models import Office

# Office heads do everything clerks do; IT configures in the admin and has no desk work here.
CLERK_WORK = (roles.CLERK, roles.OFFICE_HEAD)
PLANNING = (roles.OFFICE_HEAD,)


def has_role(user: Any, groups: tuple[str, ...]) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return bool(user.groups.filter(name__in=groups).exists())


def staff_required(groups: tuple[str, ...] = CLERK_WORK) -> Callable[..., Any]:
    """Log in first; then the right group; then, for office pages, one of the user's offices
    (any other office is answered with 404, so its existence is not revealed)."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path(), reverse("backoffice:login"))
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
