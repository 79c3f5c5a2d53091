"""What one visit asks of the citizen: the services, the documents to bring, the fees and the
time it takes. One summary for the booking pages, the API, the back office and the e-mails.

Names and notes are in the active language: build the summary where the text is shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from amtstermin.booking.demand import Demand, demand_of_appointment
from amtstermin.booking.models import Appointment


@dataclass(frozen=True)
class ChecklistItem:
    name: str
    count: int
    note: str


@dataclass(frozen=True)
class VisitLine:
    service_id: int
    name: str
    persons: int
    fee: Decimal | None  # for all its persons; None: the service has no fee


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
            name=item.service.display_name,
            persons=item.persons,
            fee=_line_fee(item.service.fee_amount, item.service.fee_per_person, item.persons),
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


def _checklist(demand: Demand) -> tuple[ChecklistItem, ...]:
    """One merged list of documents for the whole visit.

    A per-person document is counted by persons; a document that two services ask for is listed
    once, as often as the larger need says (the same people show the same ID card).
    """
    merged: dict[str, tuple[str, int, list[str]]] = {}
    for item in demand.items:
        for document in item.service.documents.all():
            count = item.persons if document.per_person else 1
            name, known, notes = merged.get(document.name, (document.display_name, 0, []))
            note = document.display_note
            merged[document.name] = (
                name,
                max(known, count),
                [*notes, note] if note and note not in notes else notes,
            )
    return tuple(
        ChecklistItem(name=name, count=count, note=" ".join(notes))
        for name, count, notes in merged.values()
    )
