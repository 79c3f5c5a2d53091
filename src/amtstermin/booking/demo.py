"""The demo office "Bürgerbüro Musterstadt": a small town's office with 2.5 clerks.

Loading is idempotent: when the office exists, nothing is changed or added.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation

from amtstermin.booking import availability_cache, selectors, services
from amtstermin.booking import demo_texts as texts
from amtstermin.booking.demand import resolve_demand
from amtstermin.booking.demo_service_texts import DESCRIPTIONS, NAMES
from amtstermin.booking.demo_texts import LANGUAGES, Text
from amtstermin.booking.models import (
    Channel,
    Counter,
    Document,
    DocumentType,
    Office,
    OpeningHours,
    Service,
    ServiceCategory,
    StaffOnlyTime,
)
from amtstermin.notifications.models import MessageKind, MessageSetting

DEMO_OFFICE_NAME = "Bürgerbüro Musterstadt"
# The demo's accessibility statement: when it was last reviewed and how.
STATEMENT_REVIEWED_ON = date(2026, 11, 23)


@dataclass(frozen=True)
class Doc:
    """A service asks for the catalogue entry named ``entry``, with its own counting and note."""

    entry: Text
    per_person: bool = False
    note: Text | None = None


@dataclass(frozen=True)
class ServiceSpec:
    key: str  # its name and description in demo_service_texts
    first: int
    per_person: int
    max_persons: int
    fee: str | None
    fee_per_person: bool
    documents: tuple[Doc, ...]
    leika: str = ""
    online: bool = True
    fee_note: Text = field(default_factory=lambda: texts.EXAMPLE_FEE)


ID_OF_EACH = Doc(texts.ID_OR_PASSPORT, per_person=True)
# The same catalogue entry with a note of its own, so a visit for two services lists it once.
OLD_ID_OF_EACH = Doc(texts.ID_OR_PASSPORT, per_person=True, note=texts.OLD_ID_NOTE)
PHOTO = Doc(texts.PHOTO, per_person=True)
LANDLORD = Doc(texts.LANDLORD, note=texts.LANDLORD_NOTE)

SERVICES: tuple[ServiceSpec, ...] = (
    ServiceSpec(
        "id_card",
        15,
        15,
        4,
        "37.00",
        True,
        (OLD_ID_OF_EACH, PHOTO, Doc(texts.CERTIFICATE, note=texts.FIRST_APPLICATION_NOTE)),
        leika="99102013000000",
    ),
    ServiceSpec(
        "passport",
        15,
        15,
        4,
        "70.00",
        True,
        (
            Doc(texts.OLD_PASSPORT, per_person=True),
            Doc(texts.ID_CARD, per_person=True),
            PHOTO,
        ),
        leika="99102011000000",
    ),
    ServiceSpec(
        "child_passport",
        10,
        10,
        4,
        "13.00",
        True,
        (
            Doc(texts.CHILD_BIRTH_CERTIFICATE, per_person=True),
            PHOTO,
            Doc(texts.PARENTS_CONSENT, note=texts.CONSENT_NOTE),
            Doc(texts.PARENTS_ID),
        ),
    ),
    ServiceSpec("provisional_id", 10, 10, 2, "10.00", True, (ID_OF_EACH, PHOTO)),
    ServiceSpec(
        "registration",
        10,
        5,
        8,
        None,
        True,
        (
            LANDLORD,
            ID_OF_EACH,
            Doc(texts.CERTIFICATE, per_person=True, note=texts.FIRST_REGISTRATION_NOTE),
        ),
        leika="99115001000000",
    ),
    ServiceSpec("change_of_address", 10, 5, 8, None, True, (LANDLORD, ID_OF_EACH)),
    ServiceSpec(
        "deregistration",
        10,
        5,
        8,
        None,
        True,
        (ID_OF_EACH, Doc(texts.ADDRESS_ABROAD, note=texts.IF_KNOWN_NOTE)),
    ),
    ServiceSpec("registration_certificate", 5, 5, 4, "5.00", True, (ID_OF_EACH,)),
    ServiceSpec(
        "good_conduct",
        10,
        10,
        2,
        "13.00",
        True,
        (ID_OF_EACH, Doc(texts.FEE_EXEMPTION, note=texts.IF_APPLICABLE_NOTE)),
    ),
    ServiceSpec(
        "certification",
        10,
        0,
        1,
        "2.00",
        False,
        (Doc(texts.ORIGINALS), Doc(texts.COPIES, note=texts.PER_PAGE_NOTE)),
        fee_note=texts.EXAMPLE_FEE_PER_PAGE,
    ),
    ServiceSpec(
        "collection",
        5,
        5,
        4,
        None,
        True,
        (
            Doc(texts.OLD_DOCUMENT, per_person=True, note=texts.INVALIDATED_NOTE),
            Doc(texts.PIN_LETTER, per_person=True),
            Doc(texts.AUTHORISATION, note=texts.SOMEONE_ELSE_NOTE),
        ),
    ),
    ServiceSpec("data_block", 20, 0, 1, None, True, (ID_OF_EACH,), online=False),
)

# The start page's groups, in this order (names in demo_texts.CATEGORY_NAMES), with their services.
CATEGORIES: dict[str, tuple[str, ...]] = {
    "documents": ("id_card", "passport", "child_passport", "provisional_id", "collection"),
    "registration": ("registration", "change_of_address", "deregistration", "data_block"),
    "certificates": ("registration_certificate", "good_conduct", "certification"),
}

MORNING = (time(8, 0), time(12, 30))
AFTERNOON = (time(14, 0), time(18, 0))
QUICK_SERVICES = {
    "registration_certificate",
    "certification",
    "collection",
    "change_of_address",
    "registration",
    "deregistration",
}


def _columns(field: str, text: Text | None) -> dict[str, str | None]:
    """A text's column in every language, e.g. ``name_de`` ... ``name_pl``."""
    return {f"{field}_{language}": (text or {}).get(language) or None for language in LANGUAGES}


class _Catalogue:
    """The demo office's document catalogue, one entry per name, in the order first asked for."""

    def __init__(self, office: Office) -> None:
        self.office = office
        self.entries: dict[str, DocumentType] = {}

    def entry(self, doc: Doc) -> DocumentType:
        german = doc.entry["de"]
        if german not in self.entries:
            self.entries[german] = DocumentType.objects.create(
                office=self.office,
                **_columns("name", doc.entry),
                **_columns("note", texts.GENERAL_NOTES.get(german)),
                sort_order=len(self.entries) * 10 + 10,
            )
        return self.entries[german]


@transaction.atomic
def _create_office(today: datetime) -> Office:
    office = Office.objects.create(
        name=DEMO_OFFICE_NAME,
        street="Marktplatz 1",
        postal_code="12345",
        city="Musterstadt",
        **_columns("address_note", texts.ADDRESS_NOTE),
        phone="+49 2345 678-0",
        email="buergerbuero@musterstadt.example",
        website="https://www.musterstadt.example/buergerbuero",
        imprint_url="https://www.musterstadt.example/impressum",
        **_columns("accessibility_statement", texts.ACCESSIBILITY_STATEMENT),
        federal_state="NW",
        bookable_from=today.date(),
        horizon_days=42,
        accessibility_reviewed_on=STATEMENT_REVIEWED_ON,
        **_columns("accessibility_method", texts.STATEMENT_METHOD),
    )
    MessageSetting.objects.create(
        office=office,
        kind=MessageKind.CONFIRMED,
        **_columns("paragraph", texts.CONFIRMED_PARAGRAPH),
    )
    catalogue = _Catalogue(office)
    services: dict[str, Service] = {}
    for order, spec in enumerate(SERVICES, start=1):
        service = Service.objects.create(
            office=office,
            **_columns("name", NAMES[spec.key]),
            **_columns("description", DESCRIPTIONS[spec.key]),
            first_person_minutes=spec.first,
            per_person_minutes=spec.per_person,
            max_persons=spec.max_persons,
            online_bookable=spec.online,
            fee_amount=Decimal(spec.fee) if spec.fee else None,
            fee_per_person=spec.fee_per_person,
            **_columns("fee_note", spec.fee_note if spec.fee else None),
            sort_order=order * 10,
            leika_key=spec.leika,
        )
        Document.objects.bulk_create(
            Document(
                service=service,
                document_type=catalogue.entry(doc),
                per_person=doc.per_person,
                **_columns("note", doc.note),
                sort_order=index * 10,
            )
            for index, doc in enumerate(spec.documents, start=1)
        )
        services[spec.key] = service
    for position, (category_name, keys) in enumerate(CATEGORIES.items(), start=1):
        category = ServiceCategory.objects.create(
            office=office,
            **_columns("name", texts.CATEGORY_NAMES[category_name]),
            position=position * 10,
        )
        Service.objects.filter(pk__in=[services[key].pk for key in keys]).update(category=category)

    # Two full-time clerks with the long afternoons, one half-time clerk in the mornings.
    every = list(services.values())
    quick = [service for key, service in services.items() if key in QUICK_SERVICES]
    for name, afternoons, serves in (
        ("Schalter 1", True, every),
        ("Schalter 2", True, every),
        ("Schalter 3", False, quick),
    ):
        counter = Counter.objects.create(office=office, name=name)
        counter.services.set(serves)
        hours = [
            OpeningHours(counter=counter, weekday=day, start=MORNING[0], end=MORNING[1])
            for day in range(5)
        ]
        if afternoons:
            hours += [
                OpeningHours(counter=counter, weekday=day, start=AFTERNOON[0], end=AFTERNOON[1])
                for day in (1, 3)
            ]
        OpeningHours.objects.bulk_create(hours)
    # Staff-only time: Schalter 1 keeps Wednesday's first hour for callers and walk-ins.
    StaffOnlyTime.objects.create(
        counter=office.counters.get(name="Schalter 1"), weekday=2, start=time(8), end=time(9)
    )
    # bulk_create sends no signals: outdate the cached configuration here.
    availability_cache.bump(office.pk, configuration=True)
    return office


SAMPLE_BOOKINGS = 60
SAMPLE_DAYS = 8
FIRST_NAMES = [
    "Anna",
    "Ben",
    "Clara",
    "Deniz",
    "Elif",
    "Felix",
    "Greta",
    "Hannah",
    "Jonas",
    "Lena",
    "Mehmet",
    "Nina",
    "Olga",
    "Paul",
    "Sofia",
    "Tim",
]
LAST_NAMES = [
    "Becker",
    "Fischer",
    "Hoffmann",
    "Kaya",
    "Koch",
    "Meyer",
    "Nowak",
    "Richter",
    "Schäfer",
    "Schmidt",
    "Schneider",
    "Wagner",
    "Weber",
    "Yılmaz",
]


def _book_sample_days(office: Office, now: datetime, rng: random.Random) -> int:
    """Book random demands at random free times of the first days of the window."""
    online = list(Service.objects.filter(office=office, online_bookable=True))
    window = selectors.booking_window(office, now=now)
    contacts = random.Random(7)  # its own sequence: the bookings stay as they were
    booked = 0
    for _attempt in range(SAMPLE_BOOKINGS):
        picks = rng.sample(online, k=rng.choice([1, 1, 1, 2]))
        pairs = [(s.pk, min(rng.choice([1, 1, 1, 2, 4]), s.max_persons)) for s in picks]
        demand = resolve_demand(office=office, pairs=pairs)
        free = selectors.availability(
            demand,
            first_day=window.first_day,
            last_day=window.first_day + timedelta(days=SAMPLE_DAYS),
            now=now,
        )
        if not free:
            continue
        # Booked by staff for callers and at the counter, each with a phone number; about half
        # with an e-mail address too (the demo's mails go to files), the others only a phone
        # number, so an absence shows its call list.
        email = f"buerger{booked + 1}@example.org" if contacts.random() < 0.5 else ""
        services.appointment_book(
            demand=demand,
            start=datetime.fromtimestamp(rng.choice(rng.choice(free).starts), tz=UTC),
            citizen=services.CitizenDetails(
                name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                email=email,
                phone=f"0234 {contacts.randrange(100000, 999999)}",
            ),
            channel=rng.choice([Channel.PHONE, Channel.PHONE, Channel.COUNTER]),
            now=now,
        )
        booked += 1
    return booked


def load_demo(*, now: datetime | None = None) -> tuple[Office, bool]:
    """Create the demo office with sample bookings; returns (office, created)."""
    existing = Office.objects.filter(name=DEMO_OFFICE_NAME).first()
    if existing is not None:
        return existing, False
    now = now or timezone.now()
    # German active: the texts' original columns (bulk_create writes them) get the German text.
    with translation.override(settings.LANGUAGE_CODE):
        office = _create_office(now.astimezone(timezone.get_current_timezone()))
        _book_sample_days(office, now, random.Random(20261123))
    return office, True
