"""The waitlist in API v1: leave a wish, read it, withdraw it. A thin layer over
``booking.waitlist`` (writes) and ``booking.waitlist_selectors`` (reads); registered on the
one API by ``register(api)`` before its catch-all route."""

from __future__ import annotations

import re

from django.http import HttpRequest
from django.utils import timezone, translation
from ninja import Field, Header, NinjaAPI, Schema, Status
from ninja.decorators import decorate_view
from ninja.errors import HttpError
from pydantic import ConfigDict
from pydantic.json_schema import JsonDict

from amtstermin.api import admission, content_type
from amtstermin.api.constraints import ID, WholeNumber, name_schema
from amtstermin.api.errors import ErrorOut, InputError, error_messages
from amtstermin.api.schemas import DATE_TIME, ServiceIn
from amtstermin.booking import contact, selectors, waitlist
from amtstermin.booking.demand import MAX_ID, MAX_SERVICES, DemandError, resolve_demand
from amtstermin.booking.localtime import local_isoformat
from amtstermin.booking.models import PartOfDay, WaitlistEntry, WaitlistStatus
from amtstermin.booking.parsing import ParseError, parse_date, supported_language
from amtstermin.booking.waitlist_selectors import wish_by_token
from amtstermin.ratelimit import proof_of_work
from amtstermin.reports import recording

_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,100}", re.ASCII)
_DAY: JsonDict = {"type": "string", "format": "date"}


class WaitlistIn(Schema):
    model_config = ConfigDict(populate_by_name=True)

    office_id: WholeNumber = Field(json_schema_extra=ID)
    services: list[ServiceIn] = Field(
        description="One entry per service, each service once.",
        json_schema_extra={"minItems": 1, "maxItems": MAX_SERVICES},
    )
    from_: str = Field(
        alias="from",
        description="The first day that suits (YYYY-MM-DD, office-local).",
        examples=["2026-12-07"],
        json_schema_extra=_DAY,
    )
    to: str = Field(
        description=f"The last day that suits (YYYY-MM-DD), not before `from`, at most "
        f"{waitlist.MAX_WISH_DAYS} days after it. The wish expires after it.",
        examples=["2026-12-18"],
        json_schema_extra=_DAY,
    )
    name: str = Field(
        description=f"1 to {contact.NAME_MAX} characters, one line, at least one letter.",
        examples=["Erika"],
        json_schema_extra=name_schema,
    )
    email: str = Field(
        description="The address the opt-in and the offer are sent to. The wish waits until "
        "the opt-in e-mail's page is confirmed.",
        json_schema_extra={"format": "email", "maxLength": contact.EMAIL_MAX},
    )
    weekdays: list[int] | None = Field(
        None,
        description="Optional: ISO weekdays that suit (1 = Monday … 7 = Sunday); all if empty.",
        json_schema_extra={
            "anyOf": [
                {"type": "array", "items": {"type": "integer", "minimum": 1, "maximum": 7}},
                {"type": "null"},
            ]
        },
    )
    part_of_day: str | None = Field(
        None,
        description="Optional: `morning` (starts before noon) or `afternoon` (from noon).",
        json_schema_extra={
            "anyOf": [{"type": "string", "enum": ["", "morning", "afternoon"]}, {"type": "null"}]
        },
    )


class WaitlistCreatedOut(Schema):
    token: str = Field(description="Secret of the wish; keep it private.")
    status: str = Field(json_schema_extra={"enum": [WaitlistStatus.PENDING.value]})


class OfferOut(Schema):
    start: str = Field(
        description="Office-local ISO 8601 with offset.", json_schema_extra=DATE_TIME
    )
    end: str = Field(description="Office-local ISO 8601 with offset.", json_schema_extra=DATE_TIME)
    expires_at: str = Field(
        description="Accept on the wish's page before then (ISO 8601 with offset); then the "
        "time goes to the next in line.",
        json_schema_extra=DATE_TIME,
    )


class WaitlistOut(Schema):
    status: str = Field(
        description="`pending` (waiting for the e-mail opt-in), `active` (waiting), `offered`, "
        "`booked`, `expired` or `cancelled`.",
        json_schema_extra={"enum": list(WaitlistStatus.values)},
    )
    offer: OfferOut | None = Field(description="The time held for the wish, while offered.")


def _wish_or_404(token: str) -> WaitlistEntry:
    entry = wish_by_token(token) if _TOKEN.fullmatch(token) else None
    if entry is None:
        raise HttpError(404, str(error_messages["not_found"]))
    return entry


def _wish(payload: WaitlistIn) -> waitlist.Wish:
    problems: dict[str, str] = {}
    configuration = (
        selectors.office_configuration(payload.office_id)
        if 0 < payload.office_id <= MAX_ID
        else None
    )
    if configuration is None:
        raise InputError({"office_id": str(error_messages["no_office"])})
    demand = None
    try:
        pairs = [(line.service_id, line.persons) for line in payload.services]
        demand = resolve_demand(
            office=configuration.office, pairs=pairs, services=configuration.services
        )
    except DemandError as exc:
        problems["services"] = str(exc)
    days = {}
    for field, text in (("from", payload.from_), ("to", payload.to)):
        try:
            days[field] = parse_date(text)
        except ParseError as exc:
            problems[field] = exc.message
    weekdays = frozenset(payload.weekdays or ())
    if not weekdays <= frozenset(range(1, 8)):
        problems["weekdays"] = str(error_messages["invalid"])
    part = payload.part_of_day or ""
    if part not in PartOfDay.values:
        problems["part_of_day"] = str(error_messages["invalid"])
    if problems or demand is None:
        raise InputError(problems)
    return waitlist.Wish(
        demand=demand,
        first_day=days["from"],
        last_day=days["to"],
        name=payload.name,
        email=payload.email,
        weekdays=weekdays,
        part_of_day=part,
        language=supported_language(translation.get_language()),
    )


def register(api: NinjaAPI) -> None:
    """Add the waitlist's routes to the API (before its catch-all)."""

    @api.post(
        "/waitlist",
        response={
            201: WaitlistCreatedOut,
            400: ErrorOut,
            403: ErrorOut,
            409: ErrorOut,
            413: ErrorOut,
            415: ErrorOut,
            422: ErrorOut,
            429: ErrorOut,
            503: ErrorOut,
        },
        tags=["waitlist"],
        summary="Leave a wish on the waitlist",
    )
    @decorate_view(content_type.require_json)
    def create_wish(
        request: HttpRequest,
        payload: WaitlistIn,
        x_altcha: str | None = Header(
            None,
            alias=proof_of_work.HEADER,
            max_length=4000,
            description=admission.PROOF_DESCRIPTION,
        ),
    ) -> Status[WaitlistCreatedOut]:
        """When nothing fits: the services, the days that suit and an e-mail address. An e-mail
        with one link goes out; the wish waits once its page's button is pressed (double
        opt-in). When a fitting time becomes free, it is held for the earliest waiting wish
        and offered by e-mail with a deadline (office setting, default 2 hours).

        403: no valid proof-of-work solution (header `X-Altcha`) and no API key. 409: the address
        already has as many open wishes at this office as it may hold appointments. 422: input
        errors, one message per field.
        """
        admission.admit_write(request, x_altcha, action="api-waitlist")
        entry, token = waitlist.waitlist_sign_up(wish=_wish(payload))
        recording.record_waitlist_signups(entry, timezone.now())
        return Status(201, WaitlistCreatedOut(token=token, status=entry.status))

    @api.get(
        "/waitlist/{token}",
        response={200: WaitlistOut, 404: ErrorOut},
        tags=["waitlist"],
        summary="A wish by its token",
    )
    def get_wish(request: HttpRequest, token: str) -> WaitlistOut:
        entry = _wish_or_404(token)
        offer = None
        if entry.offer_open(timezone.now()) and entry.offer is not None:
            zone = entry.office.zone
            assert entry.offer_expires_at is not None
            offer = OfferOut(
                start=local_isoformat(entry.offer.start, zone),
                end=local_isoformat(entry.offer.end, zone),
                expires_at=local_isoformat(entry.offer_expires_at, zone),
            )
        return WaitlistOut(status=entry.status, offer=offer)

    @api.delete(
        "/waitlist/{token}",
        response={204: None, 404: ErrorOut, 415: ErrorOut, 503: ErrorOut},
        tags=["waitlist"],
        summary="Withdraw a wish",
    )
    @decorate_view(content_type.require_json)
    def withdraw_wish(request: HttpRequest, token: str) -> Status[None]:
        """Withdraw; a time offered to it goes to the next in line. Withdrawing twice, or a
        wish that has ended, is not an error (a booking made from it stays booked)."""
        waitlist.waitlist_withdraw(entry=_wish_or_404(token))
        return Status(204, None)
