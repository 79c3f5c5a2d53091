"""What one visit asks of the citizen: the services, the documents to bring, the fees and the
time it takes. One summary for the booking pages, the API, the back office and the e-mails.

Names and notes are in the active language: build the summary where the text is shown.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from amtstermin.booking.demand import Demand, demand_of_appointment
from amtstermin.booking.models import Appointment
from amtstermin.booking.models.documents import join_notes


@dataclass(frozen=True)
class ChecklistItem:
    """One entry of the office's document catalogue, as often as the visit needs it."""

    name: str
    count: int
    notes: tuple[str, ...] = ()  # every distinct note of the entry and the services asking
    per_person: bool = False  # some service counts it by persons

    @property
    def note(self) -> str:
        return join_notes(self.notes)


@dataclass(frozen=True)
class VisitLine:
    service_id: int
    name: str
    persons: int
    fee: Decimal | None  # for all its persons; None: the service has no fee
    fee_each: Decimal | None = None  # the fee per person, when the service counts by persons
    fee_note: str = ""


@dataclass(frozen=True)
class VisitSummary:
    lines: tuple[VisitLine, ...]
    checklist: tuple[ChecklistItem, ...]
    fee_total: Decimal
    duration_minutes: int

    @property
    def has_fee(self) -> bool:
        return self.fee_total > 0


def visit_summary(visit: Demand | Appointment) -> VisitSummary:
    """The summary of a demand, or of a booked appointment (which keeps the duration it was
    booked with, even if the office has changed the services' durations since)."""
    if isinstance(visit, Appointment):
        demand = demand_of_appointment(visit)
        minutes = int((visit.end - visit.start).total_seconds() // 60)
    else:
        demand = visit
        minutes = demand.duration_minutes
    lines = tuple(
        VisitLine(
            service_id=item.service.pk,
            name=item.service.name,
            persons=item.persons,
            fee=_line_fee(item.service.fee_amount, item.service.fee_per_person, item.persons),
            fee_each=item.service.fee_amount if item.service.fee_per_person else None,
            fee_note=item.service.fee_note if item.service.fee_amount is not None else "",
        )
        for item in demand.items
    )
    return VisitSummary(
        lines=lines,
        checklist=_checklist(demand),
        fee_total=sum((line.fee for line in lines if line.fee is not None), Decimal("0.00")),
        duration_minutes=minutes,
    )


def _line_fee(amount: Decimal | None, per_person: bool, persons: int) -> Decimal | None:
    if amount is None:
        return None
    return amount * persons if per_person else amount


@dataclass
class _Entry:
    name: str
    count: int = 0
    per_person: bool = False
    notes: list[str] = field(default_factory=list)


def _checklist(demand: Demand) -> tuple[ChecklistItem, ...]:
    """One merged list of documents for the whole visit, one item per catalogue entry.

    A per-person document is counted by the persons of the service asking for it, a per-visit
    document once. An entry that several services ask for is listed once, as often as the
    largest of their needs says: the same people show the same ID card to every service.
    Every note stays, each distinct note once.
    """
    merged: dict[int, _Entry] = {}
    for item in demand.items:
        for document in item.service.documents.all():
            entry = merged.setdefault(document.document_type_id, _Entry(document.name))
            entry.count = max(entry.count, item.persons if document.per_person else 1)
            entry.per_person = entry.per_person or document.per_person
            entry.notes.extend(note for note in document.notes if note not in entry.notes)
    return tuple(
        ChecklistItem(
            name=entry.name,
            count=entry.count,
            notes=tuple(entry.notes),
            per_person=entry.per_person,
        )
        for entry in merged.values()
    )
