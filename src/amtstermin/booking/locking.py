"""One office's write lock: ``with office_lock(office):``.

Every write that can change an office's free times runs inside it, so its services read top to
bottom: load, check, write. The block is one durable transaction that holds the office's lock
from its first statement to the commit:

- PostgreSQL: an advisory transaction lock on (``LOCK_NAMESPACE``, office id), taken with its
  ``lock_timeout`` in one statement;
- SQLite: the transaction begins IMMEDIATE, so it *is* the lock; before it, the process waits
  its turn in the kernel's queue (``write_queue``).

When the block ends normally, the times it freed are first offered to the waitlist
(``events.collecting``: still under the lock, before the commit), then the office's
availability version is raised, so cached answers are outdated in the same commit. A lost race
caught by the database's guard becomes ``SlotTaken``, a lock not granted in time ``Busy``. See
docs/locking.md.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import IntegrityError, OperationalError, connection, transaction

from amtstermin.booking import availability_cache, events, write_queue
from amtstermin.booking.errors import Busy, SlotTaken, error_messages

if TYPE_CHECKING:
    from amtstermin.booking.models import Office

LOCK_NAMESPACE = 4711  # first key of pg_advisory_xact_lock(namespace, office_id)


@contextmanager
def office_lock(office: Office, *, changes_times: bool = True) -> Iterator[None]:
    """Run the block in one durable transaction under the office's lock. Cached availability
    is outdated by the commit, unless the block declares it takes and frees no time
    (``changes_times=False``: walk-in numbers, devices, settings no search reads)."""
    if not settings.BOOKING_GUARD:
        with events.collecting():
            yield  # the race tests' control: no transaction, no lock
        return
    try:
        with write_queue.turn(), transaction.atomic(durable=True):
            _lock_office(office)
            with events.collecting(locked_office_id=office.pk):
                yield
            if changes_times:
                availability_cache.bump(office.pk)
    except IntegrityError as exc:
        # The exclusion constraint (PostgreSQL) caught what the lock should have prevented.
        raise SlotTaken(error_messages["slot_taken"]) from exc
    except OperationalError as exc:
        if not _is_lock_timeout(exc):
            raise  # a real fault, not contention: it must not pass for "busy"
        raise Busy(error_messages["busy"]) from exc


def _lock_office(office: Office) -> None:
    """Serialise the writes of one office. SQLite's IMMEDIATE transaction already did."""
    lock_in_transaction(office.pk)


def lock_in_transaction(office_id: int) -> None:
    """Take the office's lock inside the caller's transaction, till its end: for writes that
    do not run in ``office_lock`` (the admin's configuration changes), before their first
    write, so that the lock is always taken before any row (no deadlock with a booking). Taking
    it again in the same transaction returns at once. Outside a transaction (or in the race
    tests' control) it does nothing."""
    if not settings.BOOKING_GUARD or not connection.in_atomic_block:
        return
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # One round trip: the timeout (local to the transaction) is set before the wait.
            cursor.execute(
                "SELECT set_config('lock_timeout', '10s', true), pg_advisory_xact_lock(%s, %s)",
                [LOCK_NAMESPACE, office_id],
            )


def _is_lock_timeout(exc: OperationalError) -> bool:
    """SQLite's busy timeout ran out, or PostgreSQL's lock_timeout (SQLSTATE 55P03)."""
    cause = exc.__cause__
    if getattr(cause, "sqlstate", None) == "55P03":
        return True
    return "database is locked" in str(exc) or "database table is locked" in str(exc)


def race_window() -> None:
    """Tests widen the window between check and insert to prove the lock is what holds."""
    delay = settings.BOOKING_RACE_WINDOW_MS
    if delay:
        time.sleep(delay / 1000)
