"""Every error of the API as JSON: ``{"detail": "...", "errors": {"field": "..."}}``.

``detail`` is one sentence for people in the active language (Accept-Language); ``errors`` names
the input fields at fault and is left out when no single field is. No input, however broken,
gets a 500: ninja's validation errors, malformed bodies, booking refusals and demand errors each
have a handler here.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy
from ninja import NinjaAPI, Schema
from ninja.errors import HttpError
from ninja.errors import ValidationError as NinjaValidationError

from amtstermin.booking.demand import DemandError
from amtstermin.booking.errors import BookingError, Busy, InvalidDetails, StartNotOffered

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 5
CUSTOM_ERROR = "amtstermin"  # pydantic error type of our own field checks; msg is for people
_SOURCES = {"body", "query", "path", "header", "cookie", "form", "file"}

# Every message of the API, once; refusals of the booking rules come from ``booking``.
error_messages = {
    "input": _("Please check your input."),
    "proof_of_work": _(
        "A valid proof-of-work solution is needed (header X-Altcha, solving a challenge from "
        "GET /api/v1/challenge), or an API key."
    ),
    "required": _("This field is required."),
    "whole_number": _("Enter a whole number."),
    "too_long": _("Use at most %(max)d characters."),
    "too_short": ngettext_lazy(
        "Enter at least %(min)d character.", "Enter at least %(min)d characters.", "min"
    ),
    "pattern": _("This value does not have the documented form."),
    "text": _("Enter a text."),
    "list": _("Enter a list."),
    "object": _("Enter an object with the documented fields."),
    "invalid": _("This value is not valid."),
    "too_many_bookings": _("Too many bookings from this address. Please wait."),
    "not_json": _("The request body is not valid JSON."),
    "json_only": _("Send the request body as JSON (Content-Type: application/json)."),
    "too_large": _("The request is too large."),
    "malformed": _("The request is malformed."),
    "not_found": _("Not found."),
    "no_office": _("No such office."),
    "no_appointment": _("No such appointment."),
    "range_reversed": _("“to” must not be before “from”."),
    "range_too_long": _("Ask for at most %(days)d days at once."),
    "demand_form": _("Give the services as SERVICE:PERSONS, separated by commas, e.g. 3:1,7:4."),
    "clock_forward": _("This time does not exist on that day because the clocks are put forward."),
    "clock_back": _(
        "This time occurs twice on that day because the clocks are put back; "
        "add the UTC offset, e.g. 2027-10-31T02:30+02:00."
    ),
    "key_reused": _("This key was used for another request. Use a new key for a new booking."),
    "server": _("Something went wrong on our side. Please try again."),
}


class ErrorOut(Schema):
    detail: str
    errors: dict[str, str] | None = None


class TooManyRequests(Exception):
    """This client has made more bookings than the hourly limit allows."""

    def __init__(self, retry_after: int) -> None:
        super().__init__("too many requests")
        self.retry_after = retry_after


class InputError(Exception):
    """Input the API refuses with 422; ``errors`` maps field names to messages."""

    def __init__(self, errors: Mapping[str, str], detail: str | None = None) -> None:
        super().__init__(detail or "")
        self.errors = dict(errors)
        self.detail = detail


def error_body(detail: str, errors: Mapping[str, str] | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"detail": detail}
    if errors:
        body["errors"] = dict(errors)
    return body


def _field_name(loc: Iterable[object], body_param: str) -> str:
    parts = list(loc)
    if parts and parts[0] in _SOURCES:
        source = parts.pop(0)
        if source == "body" and parts and parts[0] == body_param:
            parts.pop(0)
    return ".".join(str(part) for part in parts)


def _message(error: Mapping[str, Any]) -> str:
    kind = str(error.get("type", ""))
    if kind == CUSTOM_ERROR:
        return str(error.get("msg", ""))
    if kind == "missing":
        return str(error_messages["required"])
    if kind.startswith("int_") or kind in {"greater_than_equal", "less_than_equal"}:
        return str(error_messages["whole_number"])
    limits = error.get("ctx") or {}
    if kind == "string_too_long":
        return error_messages["too_long"] % {"max": limits.get("max_length", 0)}
    if kind == "string_too_short":
        return error_messages["too_short"] % {"min": int(limits.get("min_length", 1))}
    if kind == "string_pattern_mismatch":
        return str(error_messages["pattern"])
    if kind.startswith("string_"):
        return str(error_messages["text"])
    if kind.startswith("list_") or kind == "too_long" or kind == "too_short":
        return str(error_messages["list"])
    if kind in {"model_type", "model_attributes_type", "dict_type"}:
        return str(error_messages["object"])
    return str(error_messages["invalid"])


def validation_errors(errors: Iterable[Mapping[str, Any]], body_param: str) -> dict[str, str]:
    """Ninja's list of pydantic errors as one message per field (the first one wins)."""
    by_field: dict[str, str] = {}
    for error in errors:
        field = _field_name(error.get("loc", ()), body_param) or "body"
        by_field.setdefault(field, _message(error))
    return by_field


def install(api: NinjaAPI, *, body_param: str = "payload") -> None:
    """Register the handlers on ``api``; ``body_param`` is the views' name for a JSON body."""

    def respond(
        request: HttpRequest,
        status: int,
        detail: str,
        errors: Mapping[str, str] | None = None,
    ) -> HttpResponse:
        return api.create_response(request, error_body(detail, errors), status=status)

    @api.exception_handler(NinjaValidationError)
    def on_validation(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        errors = validation_errors(exc.errors, body_param)
        return respond(request, 422, str(error_messages["input"]), errors)

    @api.exception_handler(InputError)
    def on_input(request: HttpRequest, exc: InputError) -> HttpResponse:
        detail = exc.detail or (next(iter(exc.errors.values())) if len(exc.errors) == 1 else None)
        return respond(request, 422, detail or str(error_messages["input"]), exc.errors)

    @api.exception_handler(TooManyRequests)
    def on_too_many(request: HttpRequest, exc: TooManyRequests) -> HttpResponse:
        response = respond(request, 429, str(error_messages["too_many_bookings"]))
        response["Retry-After"] = str(exc.retry_after)
        return response

    @api.exception_handler(DemandError)
    def on_demand(request: HttpRequest, exc: DemandError) -> HttpResponse:
        return respond(request, 422, str(exc), {"services": str(exc)})

    @api.exception_handler(BookingError)
    def on_booking(request: HttpRequest, exc: BookingError) -> HttpResponse:
        if isinstance(exc, Busy):
            response = respond(request, 503, exc.message)
            response["Retry-After"] = str(RETRY_AFTER_SECONDS)
            return response
        if isinstance(exc, StartNotOffered):
            return respond(request, 422, exc.message, {exc.field or "start": exc.message})
        if isinstance(exc, InvalidDetails):
            # Input, not a conflict; the schema checks with the same rules, so only a caller
            # that skips it gets here.
            errors = {exc.field: exc.message} if exc.field else None
            return respond(request, 422, exc.message, errors)
        # SlotTaken, DeadlinePassed, WrongState and anything else the services refuse.
        errors = {exc.field: exc.message} if exc.field else None
        return respond(request, 409, exc.message, errors)

    @api.exception_handler(HttpError)
    def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        if exc.status_code == 400:
            # Ninja's only 400: the body could not be parsed (not JSON, not UTF-8, too many digits).
            return respond(request, 400, str(error_messages["not_json"]))
        return respond(request, exc.status_code, str(exc))

    @api.exception_handler(SuspiciousOperation)
    def on_suspicious(request: HttpRequest, exc: SuspiciousOperation) -> HttpResponse:
        if isinstance(exc, RequestDataTooBig):
            return respond(request, 413, str(error_messages["too_large"]))
        return respond(request, 400, str(error_messages["malformed"]))

    @api.exception_handler(Http404)
    def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return respond(request, 404, str(error_messages["not_found"]))

    @api.exception_handler(Exception)
    def on_unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
        # A bug, not an input problem: log it, and still answer in the documented shape.
        # The route pattern, not the path: a path may carry a manage token.
        route = getattr(request.resolver_match, "route", "?")
        logger.exception("API error on %s %s", request.method, route)
        return respond(request, 500, str(error_messages["server"]))
