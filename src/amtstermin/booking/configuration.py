"""The office head's guided configuration: which counters offer which services, and which
counters are offered online, set in one step (the back office's "Counters and services" page).

Written under the office's lock, recorded in the audit log with the state before and after in
the same transaction, and the office's configuration version is raised, so the cached
configuration and availability follow at once.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from amtstermin.booking import audit
from amtstermin.booking.errors import InvalidDetails, error_messages
from amtstermin.booking.locking import office_lock
from amtstermin.booking.models import AuditAction, Counter, Office, Service

if TYPE_CHECKING:
    from django.contrib.auth.models import User


@dataclass(frozen=True)
class CounterOffer:
    """What one counter offers: its services (of those the page shows) and whether citizens
    can book it online (otherwise it is kept for staff: phone and counter bookings)."""

    online_bookable: bool
    service_ids: frozenset[int]


def _state(counter: Counter, online_bookable: bool, service_names: list[str]) -> dict[str, Any]:
    """What the audit log keeps of a counter's offer: flat "<counter>: <field>" keys, so that
    each reads as "field: before → after"."""
    return {
        f"{counter.name}: online_bookable": online_bookable,
        f"{counter.name}: services": ", ".join(sorted(service_names)),
    }


def counter_offers_set(
    *,
    office: Office,
    offers: Mapping[int, CounterOffer],
    staff_user: User,
    now: datetime | None = None,
) -> list[Counter]:
    """Set, for each active counter of the office in ``offers`` (by id), its active services
    and whether it is offered online. Services that are switched off stay as they were.

    Returns the counters that changed; raises ``InvalidDetails`` for a counter or service of
    another office or one that is not active.
    """
    now = now or timezone.now()
    with office_lock(office):
        counters = {
            counter.pk: counter
            for counter in Counter.objects.filter(office=office, active=True).prefetch_related(
                "services"
            )
        }
        # The audit log keeps the German names, whatever language the office head reads.
        names = dict(
            Service.objects.filter(office=office, active=True).values_list("pk", "name_de")
        )
        if not set(offers) <= set(counters):
            raise InvalidDetails(error_messages["foreign_counter"], field="counter")
        if any(not offer.service_ids <= set(names) for offer in offers.values()):
            raise InvalidDetails(error_messages["foreign_services"], field="services")
        before: dict[str, Any] = {}
        after: dict[str, Any] = {}
        changed: list[Counter] = []
        for counter_id, offer in offers.items():
            counter = counters[counter_id]
            current = {s.pk for s in counter.services.all()}
            kept = current - set(names)  # services switched off: not on the page
            old = _state(
                counter,
                counter.online_bookable,
                [names[s.pk] for s in counter.services.all() if s.pk in names],
            )
            if current & set(names) != offer.service_ids:
                counter.services.set(kept | offer.service_ids)
            if counter.online_bookable != offer.online_bookable:
                counter.online_bookable = offer.online_bookable
                counter.save(update_fields=["online_bookable"])
            new = _state(counter, offer.online_bookable, [names[pk] for pk in offer.service_ids])
            differing = [key for key in new if new[key] != old[key]]
            if differing:
                before.update((key, old[key]) for key in differing)
                after.update((key, new[key]) for key in differing)
                changed.append(counter)
        if changed:  # the counters' saves have outdated the cached configuration (signals)
            audit.record(
                staff_user=staff_user,
                action=AuditAction.COUNTER_SERVICES,
                office_id=office.pk,
                now=now,
                before=before,
                after=after,
            )
        return changed
