"""Cache of availability answers that is never stale.

Each office has a version number in the database. Every write that can change its free times
raises it in the same transaction (bookings through ``services``, configuration through the
signal handlers in ``booking.signals``). Cache keys contain the version read at request time,
so an answer computed before a change is simply never looked up again. With REDIS_URL the cache
is shared by all processes; without it each process keeps its own, equally exact.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import date, datetime
from typing import Any, TypeVar

from django.core.cache import cache
from django.db.models import F

from amtstermin.booking.models import AvailabilityVersion

TTL_SECONDS = 300  # entries of old versions simply age out
T = TypeVar("T")


def bump(office_id: int) -> None:
    """Mark every cached answer of the office as outdated (call inside the writing transaction)."""
    updated = AvailabilityVersion.objects.filter(office_id=office_id).update(value=F("value") + 1)
    if not updated:
        # A random start, so an office re-created under a reused id never meets old entries.
        start = secrets.randbits(62)
        AvailabilityVersion.objects.get_or_create(office_id=office_id, defaults={"value": start})


def version(office_id: int) -> int:
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
    known_version: int | None = None,
) -> str:
    current = version(office_id) if known_version is None else known_version
    who = "staff" if staff else "public"
    return f"avail:{office_id}:{current}:{who}:{demand_key}:{first_day}:{last_day}:{earliest}"


def remember(
    cache_key: str, *, now: datetime, compute: Callable[[], tuple[T, datetime | None]]
) -> tuple[T, datetime | None]:
    """The cached ``(value, valid_until)``, or ``compute()``'s, stored until ``valid_until``
    (the moment the next hold lapses and frees its time without any write)."""
    entry = _memo.get(cache_key) or cache.get(cache_key)
    if entry is not None:
        value, valid_until = entry
        if valid_until is None or now < valid_until:
            _keep(cache_key, entry)
            return value, valid_until
    value, valid_until = compute()
    cache.set(cache_key, (value, valid_until), TTL_SECONDS)
    _keep(cache_key, (value, valid_until))
    return value, valid_until


# Each process also keeps recent entries unpickled. Exact as well: every key holds the version
# just read from the database, and validity is checked on every hit.
_memo: dict[str, tuple[Any, datetime | None]] = {}
MEMO_SIZE = 512


def _keep(cache_key: str, entry: tuple[Any, datetime | None]) -> None:
    if cache_key not in _memo and len(_memo) >= MEMO_SIZE:
        _memo.clear()
    _memo[cache_key] = entry
