"""Public JSON API v1 (django-ninja). A thin layer over the booking selectors and services.

The field names are a contract for the towns' own web sites: add fields, never rename them.
Errors are JSON of one shape, ``{"detail": "...", "errors": {"field": "..."}}`` (see
``api/errors.py``). Times in and out are office-local wall times; ``start`` and ``end`` of an
appointment carry their UTC offset.
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime, timedelta
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation
from ninja import Header, NinjaAPI, Query, Status
from ninja.decorators import decorate_view
from ninja.errors import HttpError

from amtstermin import scheduling
from amtstermin.api import admission, content_type, errors, idempotency, language, queue_routes
from amtstermin.api import waitlist as waitlist_routes
from amtstermin.api.constraints import (
    DemandText,
    ObjectId,
    OptionalDay,
    check_demand_text,
)
from amtstermin.api.errors import ErrorOut, InputError, error_messages
from amtstermin.api.schemas import (
    AppointmentIn,
    AppointmentOut,
    AvailabilityOut,
    OfficeOut,
    ServiceOut,
    appointment_out,
    office_out,
    service_out,
)
from amtstermin.booking import availability_cache, selectors
from amtstermin.booking import services as booking
from amtstermin.booking.demand import (
    MAX_ID,
    DemandError,
    parse_demand_text,
    resolve_demand,
)
from amtstermin.booking.errors import PersonLimitReached
from amtstermin.booking.localtime import (
    AmbiguousWallTime,
    NonexistentWallTime,
    instant_from_wall,
    local_times,
)
from amtstermin.booking.models import Appointment, Channel, Office
from amtstermin.booking.parsing import (
    ParseError,
    parse_date,
    parse_start,
    supported_language,
)
from amtstermin.ratelimit import proof_of_work
from amtstermin.reports import recording


class _API(NinjaAPI):
    def get_openapi_schema(self, **kwargs: Any) -> Any:
        return language.document_content_language(super().get_openapi_schema(**kwargs))


api = _API(
    title="Amtstermin API",
    version="1",
    description="Appointments at citizens' offices. Texts follow the Accept-Language header: "
    "German (de, the default), English (en), Turkish (tr), Arabic (ar), Ukrainian (uk), "
    "Russian (ru) or Polish (pl); every answer names its language in Content-Language. The "
    "office's own texts (service names and descriptions, documents, notes, fee notes) come in "
    "that language where the office has translated them, else in German. Every error is JSON: "
    '`{"detail": "message", "errors": {"field": "message"}}`, `errors` only where fields are '
    "at fault.",
    urls_namespace="api-v1",
)
errors.install(api, body_param="payload")

MAX_RANGE_DAYS = 93  # availability: from..to inclusive

_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,100}", re.ASCII)


# --- Offices and services -------------------------------------------------------------------


def _configuration(office_id: int) -> selectors.OfficeConfiguration | None:
    """The office's configuration, cached: what availability and booking read."""
    return selectors.office_configuration(office_id) if 0 < office_id <= MAX_ID else None


def _office_or_404(office_id: int) -> Office:
    office = selectors.office_get(office_id)
    if office is None:
        raise HttpError(404, str(error_messages["no_office"]))
    return office


@api.get(
    "/offices",
    response=list[OfficeOut],
    tags=["offices"],
    summary="Active offices",
)
def list_offices(request: HttpRequest) -> list[OfficeOut]:
    return [office_out(office) for office in selectors.office_list()]


@api.get(
    "/offices/{office_id}/services",
    response={200: list[ServiceOut], 404: ErrorOut, 422: ErrorOut},
    tags=["offices"],
    summary="An office's services with fees and documents",
    description="Every active service of the office. Only those with `online_bookable: true` "
    "can be asked for in availability and bookings; the others are listed with "
    "`online_bookable: false` (only staff book them, or no counter offers them online).",
)
def list_services(request: HttpRequest, office_id: ObjectId) -> list[ServiceOut]:
    office = _office_or_404(office_id)
    return [service_out(service) for service in selectors.service_list(office=office)]


# --- Availability ---------------------------------------------------------------------------


def _parse_day(text: str | None, field: str, problems: dict[str, str]) -> date | None:
    if text is None or text == "":
        return None
    try:
        return parse_date(text)
    except ParseError as exc:
        problems[field] = exc.message
        return None


def _plus_days(day: date, days: int) -> date:
    """``day`` moved by ``days``, stopping at the ends of the calendar instead of failing."""
    if days >= 0:
        return day + timedelta(days=min(days, (date.max - day).days))
    return day - timedelta(days=min(-days, (day - date.min).days))


def _day_range(
    office: Office, now: datetime, first: date | None, last: date | None, problems: dict[str, str]
) -> tuple[date, date]:
    """The asked days, or the booking window (at most MAX_RANGE_DAYS) for what is missing."""
    span = MAX_RANGE_DAYS - 1
    window = selectors.booking_window(office, now=now)
    if first is not None and last is not None:
        if last < first:
            problems["to"] = str(error_messages["range_reversed"])
        elif (last - first).days > span:
            problems["to"] = error_messages["range_too_long"] % {"days": MAX_RANGE_DAYS}
        return first, last
    if last is not None:
        return min(last, max(window.first_day, _plus_days(last, -span))), last
    first = first if first is not None else window.first_day
    return first, max(first, min(window.last_day, _plus_days(first, span)))


@api.get(
    "/offices/{office_id}/availability",
    response={200: AvailabilityOut, 404: ErrorOut, 422: ErrorOut},
    tags=["booking"],
    summary="Free start times for a demand",
)
def availability(
    request: HttpRequest,
    office_id: ObjectId,
    services: DemandText = Query(
        ...,
        description="The demand: SERVICE_ID:PERSONS, comma-separated (e.g. `3:1,7:4`); "
        "an ID alone means one person. Up to 10 services, each once, for 1 to 20 persons "
        "(as many as the service allows).",
        example="3:1,7:4",
    ),
    from_: OptionalDay = Query(
        None,
        alias="from",
        description="First office-local day, YYYY-MM-DD. Default: the first bookable day.",
        example="2026-12-01",
    ),
    to: OptionalDay = Query(
        None,
        description=f"Last office-local day, YYYY-MM-DD, inclusive; at most {MAX_RANGE_DAYS} "
        "days after `from` counting both. Default: the end of the booking window, or "
        f"{MAX_RANGE_DAYS} days if that is longer.",
        example="2026-12-31",
    ),
) -> AvailabilityOut:
    """Office-local start times (HH:MM) that are free for the whole demand right now, per day.

    Days without a free time are left out. Every booking and cancellation shows at once.
    """
    configuration = _configuration(office_id)
    if configuration is None:
        raise HttpError(404, str(error_messages["no_office"]))
    office = configuration.office
    now = timezone.now()
    problems: dict[str, str] = {}
    demand = None
    try:
        demand = resolve_demand(
            office=office, pairs=parse_demand_text(services), services=configuration.services
        )
        check_demand_text(services)  # after the demand's own checks, whose messages say more
    except DemandError as exc:
        problems["services"] = str(exc)
    first = _parse_day(from_, "from", problems)
    last = _parse_day(to, "to", problems)
    first, last = _day_range(office, now, first, last, problems)
    if problems or demand is None:
        raise InputError(problems)
    tz = office.zone
    duration = demand.duration_minutes

    def as_json(free: list[scheduling.DayAvailability]) -> bytes:
        days = [{"date": day.day.isoformat(), "times": local_times(day, tz)} for day in free]
        body = {"duration_minutes": duration, "days": [day for day in days if day["times"]]}
        return json.dumps(body, separators=(",", ":")).encode()

    # The answer is served as JSON, cached beside the selector's answer under its key for as
    # long as that holds: the schema above documents its shape.
    key = selectors.availability_key(
        demand, first_day=first, last_day=last, now=now, known_version=configuration.version
    )
    wanted = demand  # for the closure below: not None

    def json_until() -> tuple[bytes, datetime | None]:
        days, valid_until = selectors.availability_until(
            wanted, first_day=first, last_day=last, now=now, known_version=configuration.version
        )
        return as_json(days), valid_until

    body = (
        availability_cache.remember(f"{key}:json", now=now, compute=json_until)[0]
        if key is not None
        else as_json([])
    )
    return HttpResponse(body, content_type="application/json")  # type: ignore[return-value]


# --- Appointments ---------------------------------------------------------------------------


def _start_instant(text: str, office: Office) -> datetime:
    value = parse_start(text)  # the schema has checked the form already
    if value.tzinfo is not None:
        return value
    try:
        return instant_from_wall(value, office.zone)
    except NonexistentWallTime:
        raise ValueError(str(error_messages["clock_forward"])) from None
    except AmbiguousWallTime:
        raise ValueError(str(error_messages["clock_back"])) from None


def _appointment_or_404(token: str) -> Appointment:
    appointment = selectors.appointment_by_token(token) if _TOKEN.fullmatch(token) else None
    if appointment is None:
        raise HttpError(404, str(error_messages["no_appointment"]))
    return appointment


@api.get(
    "/challenge", response=dict[str, Any], tags=["booking"], summary="A proof-of-work challenge"
)
def challenge(request: HttpRequest, response: HttpResponse) -> dict[str, Any]:
    """An ALTCHA challenge (PoW v2, PBKDF2/SHA-256) to solve before booking; the solution goes
    into the `X-Altcha` header of `POST /api/v1/appointments`. The ALTCHA widget and libraries
    solve it. It expires after 30 minutes and is accepted once; an address that fetches many
    gets harder ones."""
    response["Cache-Control"] = "no-store"
    return proof_of_work.new_challenge(request)


@api.post(
    "/appointments",
    response={
        201: AppointmentOut,
        400: ErrorOut,
        403: ErrorOut,
        409: ErrorOut,
        413: ErrorOut,
        415: ErrorOut,
        422: ErrorOut,
        429: ErrorOut,
        503: ErrorOut,
    },
    tags=["booking"],
    summary="Book an appointment",
)
@decorate_view(content_type.require_json)
def book_appointment(
    request: HttpRequest,
    payload: AppointmentIn,
    idempotency_key: str | None = Header(
        None,
        alias=idempotency.HEADER,
        min_length=1,
        max_length=idempotency.KEY_MAX_LENGTH,
        pattern=idempotency.KEY_PATTERN,
        description="Optional: a new random key per booking (e.g. a UUID), sent again with the "
        "same body when retrying after a lost answer. 1 to 255 visible ASCII characters.",
        example="5f0c7e4e-3b7a-4d0e-9a52-8f9d1c2b3a4e",
    ),
    x_altcha: str | None = Header(
        None,
        alias=proof_of_work.HEADER,
        max_length=4000,
        description=admission.PROOF_DESCRIPTION,
    ),
) -> Status[AppointmentOut]:
    """Book the services for one visit at an office-local start time.

    400: the body is not JSON. 403: no valid proof-of-work solution (header `X-Altcha`) and no
    API key. 409: the time was taken meanwhile, or the e-mail address or phone number already
    holds as many appointments as one person may. 413: the body is too large.
    415: the body is not declared as `application/json`.
    422: input errors, one message per field (`start` also for a time that is not offered).
    503: many bookings at once; retry after `Retry-After` seconds. The texts follow
    Accept-Language, which is also stored as the citizen's language.

    Retrying safely: send an `Idempotency-Key` header. The same key with the same body within
    24 hours answers 201 with the appointment the first request booked (same code and token,
    no second booking), also while the first request is still running; it shows the
    appointment as it is now, so after a cancellation `status` is `cancelled`. The same key
    with another body is a 422. Refused requests are not remembered and may be sent again.
    """
    key = idempotency.key_of(idempotency_key, payload)
    if key is not None and (earlier := idempotency.earlier_booking(key)) is not None:
        return Status(201, appointment_out(request, *earlier))
    admission.admit_write(request, x_altcha, action="api-booking")
    problems: dict[str, str] = {}
    configuration = _configuration(payload.office_id)
    if configuration is None:
        raise InputError({"office_id": str(error_messages["no_office"])})
    office = configuration.office
    demand = None
    try:
        pairs = [(line.service_id, line.persons) for line in payload.services]
        demand = resolve_demand(office=office, pairs=pairs, services=configuration.services)
    except DemandError as exc:
        problems["services"] = str(exc)
    start = None
    try:
        start = _start_instant(payload.start, office)
    except ValueError as exc:
        problems["start"] = str(exc)
    if problems or demand is None or start is None:
        raise InputError(problems)
    citizen = booking.CitizenDetails(
        name=payload.name,
        email=payload.email,
        phone=payload.phone or "",
        language=supported_language(translation.get_language()),
    )
    try:
        appointment, token = idempotency.book_once(
            key,
            lambda on_insert: booking.appointment_book(
                demand=demand,
                start=start,
                citizen=citizen,
                channel=Channel.ONLINE,
                on_insert=on_insert,
            ),
        )
    except PersonLimitReached:
        recording.record_refusals(demand, recording.REFUSED_LIMIT, timezone.now())
        raise
    return Status(201, appointment_out(request, appointment, token, demand))


@api.get(
    "/appointments/{token}",
    response={200: AppointmentOut, 404: ErrorOut},
    tags=["booking"],
    summary="An appointment by its manage token",
)
def get_appointment(request: HttpRequest, token: str) -> AppointmentOut:
    """The same body as the booking answer, with the current status."""
    return appointment_out(request, _appointment_or_404(token), token)


@api.delete(
    "/appointments/{token}",
    response={204: None, 404: ErrorOut, 409: ErrorOut, 415: ErrorOut, 503: ErrorOut},
    tags=["booking"],
    summary="Cancel an appointment",
)
@decorate_view(content_type.require_json)
def cancel_appointment(request: HttpRequest, token: str) -> Status[None]:
    """Cancel; the time is offered to others at once. Cancelling twice is not an error.

    409: the appointment has begun (online cancellation is open until its start), or it is
    past cancelling (checked in, completed, expired). 415: a body was sent that is not declared
    as JSON (none is needed).
    """
    booking.appointment_cancel(appointment=_appointment_or_404(token))
    return Status(204, None)


queue_routes.install(api)
waitlist_routes.register(api)


@api.api_operation(
    ["GET", "POST", "PUT", "PATCH", "DELETE"], "/{path:rest}", include_in_schema=False
)
def unknown_path(request: HttpRequest, rest: str) -> None:
    """Registered last: any other path below /api/v1/ gets a JSON 404 too."""
    raise HttpError(404, str(error_messages["not_found"]))
