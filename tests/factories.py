"""A small cast of data for tests: one office with two counters and three services."""

from __future__ import annotations

from datetime import date, time
from decimal import Decimal
from typing import Any

from amtstermin.booking.models import (
    Counter,
    Document,
    DocumentType,
    Office,
    OpeningHours,
    Service,
)

SmallOffice = tuple[Office, dict[str, Service], list[Counter]]
OfficeAndServices = tuple[Office, dict[str, Service]]


def make_office(**overrides: object) -> Office:
    fields: dict[str, object] = {
        "name": "Bürgerbüro Teststadt",
        "street": "Rathausplatz 2",
        "postal_code": "54321",
        "city": "Teststadt",
        "phone": "+49 1234 5678",
        "federal_state": "NW",
        "bookable_from": None,
        "horizon_days": 42,
        "lead_time_minutes": 120,
        # Confirmed at once unless a test is about the e-mail double opt-in.
        "require_email_confirmation": False,
    }
    fields.update(overrides)
    return Office.objects.create(**fields)


def make_service(
    office: Office, name: str, first: int, per_person: int = 0, **extra: Any
) -> Service:
    return Service.objects.create(
        office=office,
        name_de=name,  # German, whatever language a test has active
        name_en=extra.pop("name_en", f"{name} (en)"),
        first_person_minutes=first,
        per_person_minutes=per_person,
        max_persons=extra.pop("max_persons", 4),
        **extra,
    )


def make_document(service: Service, name: str, name_en: str = "", **extra: Any) -> Document:
    """A document the service asks for: the office's catalogue entry ``name`` (created when
    new), with the service's own counting and note in ``extra``."""
    entry, _created = DocumentType.objects.get_or_create(
        office=service.office, name_de=name, defaults={"name_en": name_en or None}
    )
    return Document.objects.create(service=service, document_type=entry, **extra)


def make_counter(
    office: Office,
    name: str,
    services: list[Service],
    hours: list[tuple[int, time, time]],
    **extra: object,
) -> Counter:
    counter = Counter.objects.create(office=office, name=name, **extra)
    counter.services.set(services)
    OpeningHours.objects.bulk_create(
        OpeningHours(counter=counter, weekday=day, start=start, end=end)
        for day, start, end in hours
    )
    return counter


WEEKDAY_MORNINGS = [(day, time(8, 0), time(12, 0)) for day in range(5)]


def small_office() -> SmallOffice:
    """Two counters open weekday mornings; ID card, registration (per person), copies."""
    office = make_office()
    id_card = make_service(
        office,
        "Personalausweis",
        15,
        15,
        fee_amount=Decimal("37.00"),
        fee_per_person=True,
        sort_order=10,
    )
    registration = make_service(office, "Anmeldung", 10, 5, max_persons=8, sort_order=20)
    copies = make_service(
        office, "Beglaubigung", 10, 0, max_persons=1, online_bookable=False, sort_order=30
    )
    make_document(id_card, "Passfoto", "Photo", per_person=True)
    make_document(id_card, "Ausweis", "ID card", per_person=True)
    make_document(registration, "Ausweis", "ID card", per_person=True)
    make_document(registration, "Wohnungsgeberbestätigung", "Landlord's confirmation")
    services = {"id_card": id_card, "registration": registration, "copies": copies}
    counters = [
        make_counter(office, "Schalter 1", list(services.values()), WEEKDAY_MORNINGS),
        make_counter(office, "Schalter 2", [id_card, registration], WEEKDAY_MORNINGS),
    ]
    return office, services, counters


A_MONDAY = date(2026, 12, 7)
