"""The demo office "Bürgerbüro Musterstadt": a small town's office with 2.5 clerks.

Loading is idempotent: when the office exists, nothing is changed or added.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from amtstermin.booking import availability_cache, selectors, services
from amtstermin.booking.demand import resolve_demand
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

DEMO_OFFICE_NAME = "Bürgerbüro Musterstadt"
EXAMPLE_FEE = "Beispielgebühr; maßgeblich ist die aktuelle Gebührenordnung."
# The demo's accessibility statement: when it was last reviewed and how.
STATEMENT_REVIEWED_ON = date(2026, 11, 23)
STATEMENT_METHOD = (
    "Selbstbewertung mit automatisierten Tests (axe-core, WCAG 2.1 A und AA) und manuellen "
    "Tests mit Tastatur und Screenreader."
)
EXAMPLE_FEE_EN = "Example fee; the current fee schedule applies."


@dataclass(frozen=True)
class Doc:
    """A service asks for the catalogue entry ``name``, with its own counting and note."""

    name: str
    name_en: str
    per_person: bool = False
    note: str = ""
    note_en: str = ""


@dataclass(frozen=True)
class GeneralNote:
    """What the catalogue says about an entry, for every service that asks for it."""

    note: str
    note_en: str


@dataclass(frozen=True)
class ServiceSpec:
    name: str
    name_en: str
    description: str
    description_en: str
    first: int
    per_person: int
    max_persons: int
    fee: str | None
    fee_per_person: bool
    documents: tuple[Doc, ...]
    leika: str = ""
    online: bool = True
    fee_note: str = EXAMPLE_FEE
    fee_note_en: str = EXAMPLE_FEE_EN


ID_OF_EACH = Doc("Personalausweis oder Reisepass", "Identity card or passport", per_person=True)
# The same catalogue entry with a note of its own, so a visit for two services lists it once.
OLD_ID_OF_EACH = Doc(
    "Personalausweis oder Reisepass",
    "Identity card or passport",
    per_person=True,
    note="Das bisherige Dokument, auch wenn es abgelaufen ist.",
    note_en="The current document, even if it has expired.",
)
PHOTO = Doc("Aktuelles biometrisches Passfoto", "Recent biometric passport photo", per_person=True)
CERTIFICATE = ("Geburts- oder Heiratsurkunde", "Birth or marriage certificate")
# The catalogue's general notes; services add their own.
GENERAL_NOTES = {
    PHOTO.name: GeneralNote(
        "Nicht älter als sechs Monate; auch digital vom zertifizierten Fotografen.",
        "Not older than six months; digital photos from a certified photographer work too.",
    ),
    CERTIFICATE[0]: GeneralNote(
        "Im Original; ausländische Urkunden mit beglaubigter Übersetzung.",
        "Originals; foreign certificates with a certified translation.",
    ),
}
LANDLORD = Doc(
    "Wohnungsgeberbestätigung",
    "Landlord's confirmation of moving in (Wohnungsgeberbestätigung)",
    note="Vom Vermieter unterschrieben.",
    note_en="Signed by the landlord.",
)

SERVICES: tuple[ServiceSpec, ...] = (
    ServiceSpec(
        "Personalausweis beantragen",
        "Apply for an identity card",
        "Neuer Personalausweis, auch bei Verlust oder abgelaufenem Ausweis.",
        "A new identity card, also when the old one is lost or expired.",
        15,
        15,
        4,
        "37.00",
        True,
        (
            OLD_ID_OF_EACH,
            PHOTO,
            Doc(
                *CERTIFICATE,
                note="Nur bei der ersten Beantragung oder nach Namensänderung.",
                note_en="Only for a first application or after a change of name.",
            ),
        ),
        leika="99102013000000",
    ),
    ServiceSpec(
        "Reisepass beantragen",
        "Apply for a passport",
        "Biometrischer Reisepass (Bearbeitung etwa 4–6 Wochen).",
        "Biometric passport (takes about 4–6 weeks).",
        15,
        15,
        4,
        "70.00",
        True,
        (
            Doc("Bisheriger Reisepass", "Current passport", per_person=True),
            Doc("Personalausweis", "Identity card", per_person=True),
            PHOTO,
        ),
        leika="99102011000000",
    ),
    ServiceSpec(
        "Kinderreisepass beantragen",
        "Apply for a children's passport",
        "Für Kinder unter 12 Jahren, sofort zum Mitnehmen.",
        "For children under 12, issued on the spot.",
        10,
        10,
        4,
        "13.00",
        True,
        (
            Doc("Geburtsurkunde des Kindes", "The child's birth certificate", per_person=True),
            PHOTO,
            Doc(
                "Zustimmung beider Sorgeberechtigten",
                "Consent of both parents",
                note="Schriftlich, mit Ausweiskopie, falls ein Elternteil nicht mitkommt.",
                note_en="In writing with a copy of their ID if one parent does not come.",
            ),
            Doc("Ausweis der Eltern", "Parents' identity cards"),
        ),
    ),
    ServiceSpec(
        "Vorläufigen Personalausweis beantragen",
        "Apply for a provisional identity card",
        "Sofort ausgestellt, gültig bis zu drei Monate.",
        "Issued at once, valid for up to three months.",
        10,
        10,
        2,
        "10.00",
        True,
        (ID_OF_EACH, PHOTO),
    ),
    ServiceSpec(
        "Anmeldung bei Zuzug",
        "Register a move into town",
        "Anmeldung innerhalb von zwei Wochen nach dem Einzug; alle Personen des Haushalts "
        "können gemeinsam angemeldet werden.",
        "Register within two weeks of moving in; the whole household can register together.",
        10,
        5,
        8,
        None,
        True,
        (
            LANDLORD,
            ID_OF_EACH,
            Doc(
                *CERTIFICATE,
                per_person=True,
                note="Für Familien, die zum ersten Mal in Deutschland gemeldet werden.",
                note_en="For families registering in Germany for the first time.",
            ),
        ),
        leika="99115001000000",
    ),
    ServiceSpec(
        "Ummeldung innerhalb der Stadt",
        "Change of address within town",
        "Umzug innerhalb von Musterstadt.",
        "Moving within Musterstadt.",
        10,
        5,
        8,
        None,
        True,
        (LANDLORD, ID_OF_EACH),
    ),
    ServiceSpec(
        "Abmeldung ins Ausland",
        "Deregistration when moving abroad",
        "Abmeldung frühestens eine Woche vor dem Auszug.",
        "Deregister at the earliest one week before moving out.",
        10,
        5,
        8,
        None,
        True,
        (
            ID_OF_EACH,
            Doc(
                "Neue Anschrift im Ausland",
                "New address abroad",
                note="Falls schon bekannt.",
                note_en="If already known.",
            ),
        ),
    ),
    ServiceSpec(
        "Meldebescheinigung",
        "Certificate of registration",
        "Bescheinigung über die aktuelle Wohnanschrift.",
        "Certificate of your current address.",
        5,
        5,
        4,
        "5.00",
        True,
        (ID_OF_EACH,),
    ),
    ServiceSpec(
        "Führungszeugnis beantragen",
        "Apply for a certificate of good conduct",
        "Privat- oder Behördenführungszeugnis; Zusendung per Post.",
        "Private or official certificate of good conduct; sent by post.",
        10,
        10,
        2,
        "13.00",
        True,
        (
            ID_OF_EACH,
            Doc(
                "Nachweis für eine Gebührenbefreiung",
                "Proof of fee exemption",
                note="Falls zutreffend, z. B. für ein Ehrenamt.",
                note_en="If applicable, e.g. for voluntary work.",
            ),
        ),
    ),
    ServiceSpec(
        "Beglaubigung von Kopien",
        "Certification of copies",
        "Amtliche Beglaubigung von Abschriften und Kopien.",
        "Official certification of copies.",
        10,
        0,
        1,
        "2.00",
        False,
        (
            Doc("Originaldokumente", "Original documents"),
            Doc(
                "Kopien der Dokumente",
                "Copies of the documents",
                note="Je Seite eine Kopie; wir kopieren auch vor Ort gegen Gebühr.",
                note_en="One copy per page; we can also copy on site for a fee.",
            ),
        ),
        fee_note="Beispielgebühr je Seite; maßgeblich ist die aktuelle Gebührenordnung.",
        fee_note_en="Example fee per page; the current fee schedule applies.",
    ),
    ServiceSpec(
        "Abholung Ausweisdokument",
        "Collect a finished ID document",
        "Abholung eines fertigen Personalausweises oder Reisepasses.",
        "Collect a finished identity card or passport.",
        5,
        5,
        4,
        None,
        True,
        (
            Doc(
                "Bisheriges Dokument",
                "The old document",
                per_person=True,
                note="Es wird entwertet.",
                note_en="It will be invalidated.",
            ),
            Doc(
                "PIN-Brief (beim Personalausweis)",
                "PIN letter (for identity cards)",
                per_person=True,
            ),
            Doc(
                "Vollmacht und Ausweis des Abholenden",
                "Authorisation and ID of the collector",
                note="Nur wenn jemand anderes abholt.",
                note_en="Only if someone else collects.",
            ),
        ),
    ),
    ServiceSpec(
        "Beratung zu Auskunftssperren",
        "Advice on blocking the release of personal data",
        "Nur nach telefonischer Vereinbarung.",
        "By telephone arrangement only.",
        20,
        0,
        1,
        None,
        True,
        (ID_OF_EACH,),
        online=False,
    ),
)

# The start page's groups, in this order, with the services in each.
CATEGORIES: dict[str, tuple[str, ...]] = {
    "Ausweise und Pässe": (
        "Personalausweis beantragen",
        "Reisepass beantragen",
        "Kinderreisepass beantragen",
        "Vorläufigen Personalausweis beantragen",
        "Abholung Ausweisdokument",
    ),
    "Meldewesen": (
        "Anmeldung bei Zuzug",
        "Ummeldung innerhalb der Stadt",
        "Abmeldung ins Ausland",
        "Beratung zu Auskunftssperren",
    ),
    "Bescheinigungen": (
        "Meldebescheinigung",
        "Führungszeugnis beantragen",
        "Beglaubigung von Kopien",
    ),
}

MORNING = (time(8, 0), time(12, 30))
AFTERNOON = (time(14, 0), time(18, 0))
QUICK_SERVICES = {
    "Meldebescheinigung",
    "Beglaubigung von Kopien",
    "Abholung Ausweisdokument",
    "Ummeldung innerhalb der Stadt",
    "Anmeldung bei Zuzug",
    "Abmeldung ins Ausland",
}


class _Catalogue:
    """The demo office's document catalogue, one entry per name, in the order first asked for."""

    def __init__(self, office: Office) -> None:
        self.office = office
        self.entries: dict[str, DocumentType] = {}

    def entry(self, doc: Doc) -> DocumentType:
        if doc.name not in self.entries:
            general = GENERAL_NOTES.get(doc.name, GeneralNote("", ""))
            self.entries[doc.name] = DocumentType.objects.create(
                office=self.office,
                name=doc.name,
                name_en=doc.name_en,
                note=general.note,
                note_en=general.note_en,
                sort_order=len(self.entries) * 10 + 10,
            )
        return self.entries[doc.name]


@transaction.atomic
def _create_office(today: datetime) -> Office:
    office = Office.objects.create(
        name=DEMO_OFFICE_NAME,
        street="Marktplatz 1",
        postal_code="12345",
        city="Musterstadt",
        phone="+49 2345 678-0",
        email="buergerbuero@musterstadt.example",
        website="https://www.musterstadt.example/buergerbuero",
        imprint_url="https://www.musterstadt.example/impressum",
        federal_state="NW",
        bookable_from=today.date(),
        horizon_days=42,
        accessibility_reviewed_on=STATEMENT_REVIEWED_ON,
        accessibility_method=STATEMENT_METHOD,
    )
    catalogue = _Catalogue(office)
    services: list[Service] = []
    for order, spec in enumerate(SERVICES, start=1):
        service = Service.objects.create(
            office=office,
            name=spec.name,
            name_en=spec.name_en,
            description=spec.description,
            description_en=spec.description_en,
            first_person_minutes=spec.first,
            per_person_minutes=spec.per_person,
            max_persons=spec.max_persons,
            online_bookable=spec.online,
            fee_amount=Decimal(spec.fee) if spec.fee else None,
            fee_per_person=spec.fee_per_person,
            fee_note=spec.fee_note if spec.fee else "",
            fee_note_en=spec.fee_note_en if spec.fee else "",
            sort_order=order * 10,
            leika_key=spec.leika,
        )
        Document.objects.bulk_create(
            Document(
                service=service,
                document_type=catalogue.entry(doc),
                per_person=doc.per_person,
                note=doc.note,
                note_en=doc.note_en,
                sort_order=index * 10,
            )
            for index, doc in enumerate(spec.documents, start=1)
        )
        services.append(service)
    for position, (category_name, names) in enumerate(CATEGORIES.items(), start=1):
        category = ServiceCategory.objects.create(
            office=office, name=category_name, position=position * 10
        )
        Service.objects.filter(office=office, name__in=names).update(category=category)

    # Two full-time clerks with the long afternoons, one half-time clerk in the mornings.
    for name, afternoons, serves in (
        ("Schalter 1", True, services),
        ("Schalter 2", True, services),
        ("Schalter 3", False, [s for s in services if s.name in QUICK_SERVICES]),
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
    office = _create_office(now.astimezone(timezone.get_current_timezone()))
    _book_sample_days(office, now, random.Random(20261123))
    return office, True
