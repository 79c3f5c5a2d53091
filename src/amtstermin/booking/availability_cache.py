"""Cache of availability answers that is never stale.

Each office has two version numbers in the database, raised in the same transaction as the
change they stand for: ``answers`` by every write that can change its free times (bookings
under ``locking.office_lock``, configuration through the handlers in ``booking.signals``), and
``configuration`` by configuration changes only. Cache keys contain the version read at request
time, so an entry computed before a change is simply never looked up again: availability
answers key on ``answers``, the office's configuration (``selectors.office_configuration``) on
``configuration``, so that a booking does not make every process reload the configuration. With
REDIS_URL the cache is shared by all processes; without it each process keeps its own, equally
exact. Bulk operations (``QuerySet.update``, ``bulk_create``) send no signals: code that changes
configuration with them calls ``bump(office_id, configuration=True)`` itself.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, TypeVar

from django.core.cache import cache
from django.db import connection

from amtstermin.booking.models import AvailabilityVersion

TTL_SECONDS = 300  # entries of old versions simply age out
T = TypeVar("T")


@dataclass(frozen=True)
class Versions:
    answers: int  # raised by every change of free times
    configuration: int  # raised by changes of the configuration only


# Plain SQL for the two statements that every availability request and every booking runs: the
# ORM would spend twenty times the query's own time on building them (docs/benchmarks.md).
_VERSIONS_SQL = "SELECT value, configuration FROM booking_availabilityversion WHERE office_id = %s"
_BUMP_SQL = {
    False: "UPDATE booking_availabilityversion SET value = value + 1 WHERE office_id = %s",
    True: "UPDATE booking_availabilityversion"
    " SET value = value + 1, configuration = configuration + 1 WHERE office_id = %s",
}


def bump(office_id: int, *, configuration: bool = False) -> None:
    """Mark every cached answer of the office as outdated, and with ``configuration`` its cached
    configuration too (call inside the writing transaction)."""
    with connection.cursor() as cursor:
        cursor.execute(_BUMP_SQL[configuration], [office_id])
        updated = cursor.rowcount
    if not updated:
        # Random starts, so an office re-created under a reused id never meets old entries.
        AvailabilityVersion.objects.get_or_create(
            office_id=office_id,
            defaults={"answers": secrets.randbits(62), "configuration": secrets.randbits(62)},
        )


def versions(office_id: int) -> Versions:
    with connection.cursor() as cursor:
        cursor.execute(_VERSIONS_SQL, [office_id])
        row = cursor.fetchone()
    return Versions(answers=row[0], configuration=row[1]) if row else Versions(0, 0)


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
    current = versions(office_id).answers if known_version is None else known_version
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
