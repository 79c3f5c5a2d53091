"""What an office's configuration lacks: the warnings shown where the office head works (the
back office's "Counters and services" page and the admin's service and counter pages).

One read, one list: a service that no active counter offers, or none offered online (citizens
then do not see it, ``Service.shown_to_citizens``); a counter without opening hours valid
today, or without services; a service without documents to bring.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from amtstermin.booking.models import SERVICE_ORDER, Counter, Office, OpeningHours, Service


class Problem(StrEnum):
    SERVICE_NOT_OFFERED = "service_not_offered"
    SERVICE_NOT_ONLINE = "service_not_online"
    SERVICE_WITHOUT_DOCUMENTS = "service_without_documents"
    COUNTER_WITHOUT_HOURS = "counter_without_hours"
    COUNTER_WITHOUT_SERVICES = "counter_without_services"


@dataclass(frozen=True)
class ConfigurationWarning:
    problem: Problem
    message: str  # in the active language
    office_id: int
    service_id: int | None = None
    counter_id: int | None = None


def configuration_warnings(
    office: Office, *, today: date | None = None
) -> list[ConfigurationWarning]:
    """The office's warnings: services first (in their order), then counters (by name)."""
    today = today or timezone.now().astimezone(office.zone).date()
    warnings: list[ConfigurationWarning] = []
    services = (
        Service.objects.filter(office=office, active=True)
        .with_counter_offer()
        .order_by(*SERVICE_ORDER)
    )
    for service in services:
        name = service.name
        if not service.shown_to_citizens:
            if service.offered_at_a_counter:
                problem = Problem.SERVICE_NOT_ONLINE
                text = _(
                    "“%(service)s” is offered by no counter that is bookable online: citizens "
                    "cannot book it online and do not see it."
                )
            else:
                problem = Problem.SERVICE_NOT_OFFERED
                text = _(
                    "“%(service)s” is offered by no active counter: nobody can book it, and "
                    "citizens do not see it."
                )
            warnings.append(
                ConfigurationWarning(
                    problem, text % {"service": name}, office.pk, service_id=service.pk
                )
            )
        if not service.documents.exists():
            warnings.append(
                ConfigurationWarning(
                    Problem.SERVICE_WITHOUT_DOCUMENTS,
                    _("“%(service)s” lists no documents to bring.") % {"service": name},
                    office.pk,
                    service_id=service.pk,
                )
            )
    valid_today = OpeningHours.objects.filter(counter=OuterRef("pk")).filter(
        Q(valid_from__isnull=True) | Q(valid_from__lte=today),
        Q(valid_until__isnull=True) | Q(valid_until__gte=today),
    )
    counters = (
        Counter.objects.filter(office=office, active=True)
        .annotate(
            has_hours=Exists(valid_today),
            has_services=Exists(Service.objects.filter(counters=OuterRef("pk"), active=True)),
        )
        .order_by("name")
    )
    for counter in counters:
        if not counter.has_hours:
            warnings.append(
                ConfigurationWarning(
                    Problem.COUNTER_WITHOUT_HOURS,
                    _("“%(counter)s” has no opening hours valid today: it offers no times.")
                    % {"counter": counter.name},
                    office.pk,
                    counter_id=counter.pk,
                )
            )
        if not counter.has_services:
            warnings.append(
                ConfigurationWarning(
                    Problem.COUNTER_WITHOUT_SERVICES,
                    _("“%(counter)s” offers no active service.") % {"counter": counter.name},
                    office.pk,
                    counter_id=counter.pk,
                )
            )
    return warnings
