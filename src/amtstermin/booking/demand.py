"""What a citizen asks for: services and the number of persons for each."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

from amtstermin import scheduling
from amtstermin.booking.models import (
    Appointment,
    Office,
    Service,
    documents_prefetch,
    service_order,
)

MAX_ID = 2**63 - 1  # the largest primary key the databases can hold
MAX_SERVICES = 10  # services in one appointment


class DemandError(ValueError):
    """The demand cannot be booked as asked; the message is for people."""


@dataclass(frozen=True)
class DemandItem:
    service: Service
    persons: int


@dataclass(frozen=True)
class Demand:
    office: Office
    items: tuple[DemandItem, ...]

    @property
    def service_ids(self) -> frozenset[int]:
        return frozenset(item.service.pk for item in self.items)

    def engine_lines(self) -> list[scheduling.DemandLine]:
        return [
            scheduling.DemandLine(
                service_id=item.service.pk,
                first_person_minutes=item.service.first_person_minutes,
                per_person_minutes=item.service.per_person_minutes,
                persons=item.persons,
            )
            for item in self.items
        ]

    @property
    def duration_minutes(self) -> int:
        return scheduling.duration_minutes(self.engine_lines(), self.office.slot_minutes)

    def key(self) -> str:
        """A stable text form, e.g. for cache keys and links: ``3:1,7:4``."""
        return ",".join(f"{item.service.pk}:{item.persons}" for item in self.items)


def parse_demand_text(text: str) -> list[tuple[int, int]]:
    """Parse ``ID:PERSONS[,ID:PERSONS...]``; ``ID`` alone means one person."""
    pairs: list[tuple[int, int]] = []
    for part in text.split(","):
        part = part.strip()
        if not part:
            continue
        service_text, _sep, persons_text = part.partition(":")
        try:
            pairs.append((int(service_text), int(persons_text) if persons_text else 1))
        except ValueError:
            raise DemandError(
                _("“%(part)s” is not of the form SERVICE:PERSONS.") % {"part": part[:40]}
            ) from None
    return pairs


def resolve_demand(
    *,
    office: Office,
    pairs: Iterable[tuple[int, int]],
    staff: bool = False,
    services: Mapping[int, Service] | None = None,
) -> Demand:
    """Check each (service id, persons) against the office's services.

    ``services`` (active services by id, e.g. from the cached configuration) saves the query.

    Raises DemandError for an unknown or inactive service, a service asked for twice, persons
    out of range, or (for citizens) a service that cannot be booked online
    (``Service.bookable_online``: only staff may book it, or no counter offered online offers
    it).
    """
    wanted: Sequence[tuple[int, int]] = list(pairs)
    if not wanted:
        raise DemandError(_("Please choose at least one service."))
    if len(wanted) > MAX_SERVICES:
        raise DemandError(_("Please choose at most ten services for one appointment."))
    if services is None:
        services = {
            service.pk: service
            for service in Service.objects.filter(
                office=office,
                active=True,
                # An id outside the database's integer range is simply not offered.
                pk__in=[service_id for service_id, _p in wanted if 0 < service_id <= MAX_ID],
            )
            .with_counter_offer()
            .prefetch_related(documents_prefetch())
        }
    items: list[DemandItem] = []
    seen: set[int] = set()
    for service_id, persons in wanted:
        service = services.get(service_id)
        if service is None:
            raise DemandError(_("Service %(id)s is not offered here.") % {"id": service_id})
        if service_id in seen:
            raise DemandError(
                _("“%(service)s” is listed twice; give the number of persons once.")
                % {"service": service.name}
            )
        seen.add(service_id)
        if not staff and not service.bookable_online:
            raise DemandError(
                _("“%(service)s” cannot be booked online; please call the office.")
                % {"service": service.name}
            )
        if not 1 <= persons <= service.max_persons:
            raise DemandError(
                _("“%(service)s” can be booked for 1 to %(max)d persons.")
                % {"service": service.name, "max": service.max_persons}
            )
        items.append(DemandItem(service=service, persons=persons))
    items.sort(key=lambda item: service_order(item.service))
    return Demand(office=office, items=tuple(items))


def demand_of_appointment(appointment: Appointment) -> Demand:
    """The demand an appointment was booked for, as it is configured now."""
    lines = appointment.lines.select_related("service").prefetch_related(
        documents_prefetch("service__documents")
    )
    items = [DemandItem(service=line.service, persons=line.persons) for line in lines]
    items.sort(key=lambda item: service_order(item.service))
    return Demand(office=appointment.office, items=tuple(items))
