"""The shapes of the API's input and answers (django-ninja schemas), and the answers built
from the models. The field names are a contract: add fields, never rename them.

The input's checks are the booking pages' own (``booking.contact``, ``booking.parsing``);
what the OpenAPI document states about them comes from ``constraints``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest
from django.urls import reverse
from ninja import Field, Schema
from pydantic import field_validator
from pydantic.json_schema import JsonDict
from pydantic_core import PydanticCustomError

from amtstermin.api import errors
from amtstermin.api.constraints import ID, WholeNumber, anchored, name_schema
from amtstermin.booking import contact
from amtstermin.booking.demand import MAX_SERVICES, Demand
from amtstermin.booking.localtime import local_isoformat
from amtstermin.booking.models import MAX_PERSONS, Appointment, AppointmentStatus, Office, Service
from amtstermin.booking.parsing import START, parse_start
from amtstermin.booking.visit import visit_summary

DATE_TIME: JsonDict = {"format": "date-time"}


class OfficeOut(Schema):
    id: int
    name: str
    address: str
    address_note: str = Field(
        description="How to find the office (entrance, floor, step-free access), in the "
        "language of the answer; empty if the office gives none."
    )
    time_zone: str
    bookable_from: date | None
    horizon_days: int
    slot_minutes: int


class DocumentOut(Schema):
    name: str
    per_person: bool
    note: str
    document_id: int = Field(
        description="The office's catalogue entry; services asking for the same id ask for the "
        "same document."
    )


class FeeOut(Schema):
    amount: Decimal
    per_person: bool
    note: str


class ServiceOut(Schema):
    id: int
    name: str
    description: str
    first_person_minutes: int
    per_person_minutes: int
    max_persons: int
    online_bookable: bool = Field(
        description="True when citizens can book the service online: it is meant for online "
        "booking and an active counter that is offered online offers it. Services only staff "
        "can book (by phone or at the counter), or that no such counter offers, are listed "
        "with false; availability and booking refuse them."
    )
    fee: FeeOut | None
    documents: list[DocumentOut]


class AvailabilityDayOut(Schema):
    date: str = Field(
        description="Office-local date, YYYY-MM-DD.",
        examples=["2026-12-01"],
        json_schema_extra={"format": "date"},
    )
    times: list[str] = Field(
        description="Free office-local start times, HH:MM, ascending.",
        examples=[["08:00", "08:05"]],
        json_schema_extra={"items": {"type": "string", "pattern": "^[0-9]{2}:[0-9]{2}$"}},
    )


class AvailabilityOut(Schema):
    duration_minutes: int = Field(description="How long the appointment for this demand is.")
    days: list[AvailabilityDayOut] = Field(description="Only days with at least one time.")


class ServiceLineOut(Schema):
    service_id: int
    name: str
    persons: int
    fee: str | None = Field(
        description="This service's fee in EUR for all its persons; null: no fee.",
        examples=["74.00"],
    )
    fee_per_person: str | None = Field(
        description="What one person pays, when the fee is counted by persons; else null.",
        examples=["37.00"],
    )


class ChecklistOut(Schema):
    name: str
    count: int = Field(description="How many to bring.")
    note: str = Field(description="All notes in one text, separated by semicolons.")
    notes: list[str] = Field(
        description="Every distinct note: the catalogue's, then each service's own."
    )
    per_person: bool = Field(description="Some service asks for it once per person.")


class AppointmentOut(Schema):
    code: str = Field(description="Booking code for the counter and the phone.")
    token: str = Field(description="Secret of the manage link; keep it private.")
    status: str = Field(
        description="Where the appointment stands now.",
        json_schema_extra={"enum": list(AppointmentStatus.values)},
    )
    start: str = Field(
        description="Office-local ISO 8601 with UTC offset.",
        examples=["2026-12-01T08:00:00+01:00"],
        json_schema_extra=DATE_TIME,
    )
    end: str = Field(
        description="Office-local ISO 8601 with UTC offset.",
        examples=["2026-12-01T08:35:00+01:00"],
        json_schema_extra=DATE_TIME,
    )
    cancellable_until: str = Field(
        description="Online cancellation is possible until then: the start (ISO 8601 with "
        "offset). Moving online closes earlier, at the office's deadline.",
        json_schema_extra=DATE_TIME,
    )
    office_id: int
    services: list[ServiceLineOut]
    documents: list[ChecklistOut] = Field(description="What to bring, merged for the visit.")
    fee_total: str = Field(
        description="Fees in EUR as a decimal string.",
        examples=["74.00"],
        json_schema_extra={"pattern": "^[0-9]+\\.[0-9]{2}$"},
    )
    manage_url: str = Field(
        description="The citizen's page to view or cancel the appointment.",
        json_schema_extra={"format": "uri"},
    )


# --- Input ----------------------------------------------------------------------------------


def _invalid(message: str) -> PydanticCustomError:
    return PydanticCustomError(errors.CUSTOM_ERROR, message)


def _checked(clean: Callable[[], str]) -> str:
    """The value as ``booking.contact`` cleans it, or its message as a field error (422)."""
    try:
        return clean()
    except DjangoValidationError as exc:
        raise _invalid(exc.messages[0]) from None


# The documented limits (json_schema_extra) are checked by resolve_demand and the validators
# below, which give clearer messages than pydantic's own constraints would.
class ServiceIn(Schema):
    service_id: WholeNumber = Field(
        description="A service ID of the office (see its services).",
        json_schema_extra=ID,
    )
    persons: WholeNumber = Field(
        1,
        description="How many persons need this service (at most what the service allows).",
        json_schema_extra={"minimum": 1, "maximum": MAX_PERSONS},
    )


class AppointmentIn(Schema):
    office_id: WholeNumber = Field(json_schema_extra=ID)
    services: list[ServiceIn] = Field(
        description="One entry per service, each service once.",
        json_schema_extra={"minItems": 1, "maxItems": MAX_SERVICES},
    )
    start: str = Field(
        description="Office-local wall time YYYY-MM-DDTHH:MM (a time from the availability). "
        "A time that does not exist or occurs twice on a day the clocks change is refused; "
        "add an explicit UTC offset (e.g. +02:00) to pick one of two.",
        examples=["2026-12-01T08:00"],
        json_schema_extra={"pattern": anchored(START)},
    )
    name: str = Field(
        description=f"1 to {contact.NAME_MAX} characters, one line, at least one letter.",
        examples=["Erika"],
        json_schema_extra=name_schema,
    )
    email: str = Field(
        description=f"A valid address, at most {contact.EMAIL_MAX} characters.",
        json_schema_extra={"format": "email", "maxLength": contact.EMAIL_MAX},
    )
    phone: str | None = Field(
        None,
        description=f"Optional; at most {contact.PHONE_MAX} of digits, spaces and + - / ( ), "
        f"at least {contact.PHONE_MIN_DIGITS} digits.",
        json_schema_extra={
            "anyOf": [
                {
                    "type": "string",
                    "maxLength": contact.PHONE_MAX,
                    "pattern": anchored(contact.PHONE_PATTERN),
                },
                {"type": "null"},
            ]
        },
    )

    @field_validator("start")
    @classmethod
    def _check_start(cls, value: str) -> str:
        value = value.strip()
        try:
            parse_start(value)
        except ValueError as exc:
            raise _invalid(str(exc)) from None
        return value

    @field_validator("name")
    @classmethod
    def _check_name(cls, value: str) -> str:
        return _checked(lambda: contact.clean_name(value))

    @field_validator("email")
    @classmethod
    def _check_email(cls, value: str) -> str:
        return _checked(lambda: contact.clean_email(value))

    @field_validator("phone")
    @classmethod
    def _check_phone(cls, value: str | None) -> str:
        return _checked(lambda: contact.clean_phone(value or ""))


# --- Answers from the models -----------------------------------------------------------------


def office_out(office: Office) -> OfficeOut:
    return OfficeOut(
        id=office.pk,
        name=office.name,
        address=office.address,
        address_note=office.address_note,
        time_zone=office.time_zone,
        bookable_from=office.bookable_from,
        horizon_days=office.horizon_days,
        slot_minutes=office.slot_minutes,
    )


def service_out(service: Service) -> ServiceOut:
    fee = None
    if service.fee_amount is not None:
        fee = FeeOut(
            amount=service.fee_amount,
            per_person=service.fee_per_person,
            note=service.fee_note,
        )
    return ServiceOut(
        id=service.pk,
        name=service.name,
        description=service.description,
        first_person_minutes=service.first_person_minutes,
        per_person_minutes=service.per_person_minutes,
        max_persons=service.max_persons,
        online_bookable=service.bookable_online,
        fee=fee,
        documents=[
            DocumentOut(
                name=d.name,
                per_person=d.per_person,
                note=d.display_note,
                document_id=d.document_type_id,
            )
            for d in service.documents.all()
        ],
    )


def _money(amount: Decimal | None) -> str | None:
    return None if amount is None else f"{amount:.2f}"


def appointment_out(
    request: HttpRequest, appointment: Appointment, token: str, demand: Demand | None = None
) -> AppointmentOut:
    """The answer for an appointment; ``demand``, if the caller has it, saves two queries."""
    tz = appointment.office.zone
    visit = visit_summary(demand or appointment)
    return AppointmentOut(
        code=appointment.code,
        token=token,
        status=appointment.status,
        start=local_isoformat(appointment.start, tz),
        end=local_isoformat(appointment.end, tz),
        cancellable_until=local_isoformat(appointment.cancel_deadline(), tz),
        office_id=appointment.office_id,
        services=[
            ServiceLineOut(
                service_id=line.service_id,
                name=line.name,
                persons=line.persons,
                fee=_money(line.fee),
                fee_per_person=_money(line.fee_each),
            )
            for line in visit.lines
        ],
        documents=[
            ChecklistOut(
                name=item.name,
                count=item.count,
                note=item.note,
                notes=list(item.notes),
                per_person=item.per_person,
            )
            for item in visit.checklist
        ],
        fee_total=f"{visit.fee_total:.2f}",
        manage_url=request.build_absolute_uri(reverse("citizen:manage", args=[token])),
    )
