"""Cache of availability answers that is never stale.

Each office has a version number in the database. Every write that can change its free times
raises it in the same transaction (bookings through ``services``, configuration through the
signal handlers in ``booking.signals``). Cache keys contain the version read at request time,
so an answer computed before a change is simply never looked up again. With REDIS_URL the cache
is shared by all processes; without it each process keeps its own, equally exact.
"""

from __future__ import annotations

import secrets
from datetime import date, datetime
from typing import Any

from django.core.cache import cache
from django.db.models import F

from amtstermin.booking.models import AvailabilityVersion

TTL_SECONDS = 300  # entries of old versions simply age out


def bump(office_id: int) -> None:
    """Mark every cached answer of the office as outdated (call inside the writing transaction)."""
    updated = AvailabilityVersion.objects.filter(office_id=office_id).update(value=F("value") + 1)
    if not updated:
        # A random start, so an office re-created under a reused id never meets old entries.
        start = secrets.randbits(62)
        AvailabilityVersion.objects.get_or_create(office_id=office_id, defaults={"value": start})


def _version(office_id: int) -> int:
    value = (
        AvailabilityVersion.objects.filter(office_id=office_id)
        .values_list("value", flat=True)
        .first()
    )
    return value or 0


def key(
    *,
    office_id: int,
    demand_key: str,
    first_day: date,
    last_day: date,
    earliest: int,
    staff: bool,
) -> str:
    version = _version(office_id)
    who = "staff" if staff else "public"
    return f"avail:{office_id}:{version}:{who}:{demand_key}:{first_day}:{last_day}:{earliest}"


def get(cache_key: str, *, now: datetime) -> Any | None:
    entry = cache.get(cache_key)
    if entry is None:
        return None
    valid_until, value = entry
    if valid_until is not None and now >= valid_until:
        return None  # a hold has lapsed since: its time is free now
    return value


def put(cache_key: str, value: Any, *, valid_until: datetime | None) -> None:
    cache.set(cache_key, (valid_until, value), TTL_SECONDS)
