"""The shapes of the API's answers (django-ninja schemas); the field names are a contract.

Input schemas and their checks are still in routes.py.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from ninja import Field, Schema
from pydantic.json_schema import JsonDict

from amtstermin.booking.models import AppointmentStatus

DATE_TIME: JsonDict = {"format": "date-time"}


class OfficeOut(Schema):
    id: int
    name: str
    address: str
    time_zone: str
    bookable_from: date | None
    horizon_days: int
    slot_minutes: int


class DocumentOut(Schema):
    name: str
    per_person: bool
    note: str


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
    online_bookable: bool
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


class ChecklistOut(Schema):
    name: str
    count: int = Field(description="How many to bring.")
    note: str


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
