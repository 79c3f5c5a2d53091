"""Write requests to the API must declare a JSON body; anything else is a 415.

A browser sends a cross-site POST with a form's content type or ``text/plain`` without asking
the server first (a CORS "simple request"), so without this check any web page could book
through its visitors' browsers. For ``application/json`` the browser asks first (a preflight),
and only the sites in AMTSTERMIN_CORS_ORIGINS are told yes (``settings.CORS_*``).

Write operations of API v1: POST /appointments (JSON body) and DELETE /appointments/{token}
(no body; one sent anyway must be declared JSON too, so a body is never a way around).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse

from amtstermin.api.errors import error_body, error_messages

JSON = "application/json"
BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})


def _has_body(request: HttpRequest) -> bool:
    length = request.META.get("CONTENT_LENGTH") or "0"
    return length != "0" or "HTTP_TRANSFER_ENCODING" in request.META


def refused(request: HttpRequest) -> bool:
    """A write that does not declare JSON: its body would be read as JSON all the same."""
    if request.method in BODY_METHODS or (request.method == "DELETE" and _has_body(request)):
        return request.content_type != JSON  # Django has split off parameters such as charset
    return False


def require_json(run: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """For ``@decorate_view`` on every write operation: checked before the body is parsed."""

    @wraps(run)
    def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if refused(request):
            detail = str(error_messages["json_only"])
            return JsonResponse(error_body(detail), status=415)
        return run(request, *args, **kwargs)

    return checked
