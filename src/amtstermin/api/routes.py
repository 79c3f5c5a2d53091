"""Public JSON API v1 (django-ninja). A thin layer over the booking selectors and services.

The field names are a contract for the towns' own web sites: add fields, never rename them.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.http import HttpRequest
from ninja import NinjaAPI, Schema
from ninja.errors import HttpError

from amtstermin.booking import selectors
from amtstermin.booking.models import Office, Service

api = NinjaAPI(
    title="Amtstermin API",
    version="1",
    description="Appointments at citizens' offices. Texts follow the Accept-Language header "
    "(German by default, English).",
    urls_namespace="api-v1",
)


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


def _office_out(office: Office) -> OfficeOut:
    return OfficeOut(
        id=office.pk,
        name=office.name,
        address=office.address,
        time_zone=office.time_zone,
        bookable_from=office.bookable_from,
        horizon_days=office.horizon_days,
        slot_minutes=office.slot_minutes,
    )


def _service_out(service: Service) -> ServiceOut:
    fee = None
    if service.fee_amount is not None:
        fee = FeeOut(
            amount=service.fee_amount,
            per_person=service.fee_per_person,
            note=service.display_fee_note,
        )
    return ServiceOut(
        id=service.pk,
        name=service.display_name,
        description=service.display_description,
        first_person_minutes=service.first_person_minutes,
        per_person_minutes=service.per_person_minutes,
        max_persons=service.max_persons,
        online_bookable=service.online_bookable,
        fee=fee,
        documents=[
            DocumentOut(name=d.display_name, per_person=d.per_person, note=d.display_note)
            for d in service.documents.all()
        ],
    )


def _office_or_404(office_id: int) -> Office:
    office = selectors.office_get(office_id)
    if office is None:
        raise HttpError(404, "No such office.")
    return office


@api.get("/offices", response=list[OfficeOut], tags=["offices"])
def list_offices(request: HttpRequest) -> list[OfficeOut]:
    return [_office_out(office) for office in selectors.office_list()]


@api.get("/offices/{office_id}/services", response=list[ServiceOut], tags=["offices"])
def list_services(request: HttpRequest, office_id: int) -> list[ServiceOut]:
    office = _office_or_404(office_id)
    return [_service_out(service) for service in selectors.service_list(office=office)]
