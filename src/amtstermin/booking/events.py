"""What booking tells whoever listens, without knowing them: times may have become free, or a
wish joined the waitlist.

Every write that can free a time announces it inside its transaction
(``announce_free_times``). The writers' transactions collect the announcements
(``collecting``: ``locking.office_lock`` for the services, the planning and the housekeeping;
``booking.admin`` for configuration changes made in the admin) and, at the end of the block,
still under the office's lock and before the commit, send ``times_freed`` once per office. The
waitlist (``booking.waitlist_matching``) listens and offers the freed times to the waiting
wishes in that same transaction, so no citizen ever sees a freed time before the waitlist had
its chance (docs/decisions.md, "The waitlist comes first"). The writers stay below the
waitlist, which books through them.

An announcement outside such a block (the shell, a data migration, ``loaddata``) cannot be
offered before its commit: it is sent as ``times_freed_later`` once committed, and the waitlist
queues its pass for the worker.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone

# Sent inside the freeing transaction, under the office's lock: office_id, freed (a ``Freed``).
times_freed = Signal()
# Sent after the commit of a write that was made outside ``collecting``: office_id.
times_freed_later = Signal()


@dataclass
class Freed:
    """What one transaction may have freed in one office."""

    now: datetime
    days: set[date] | None = field(default_factory=set)  # local days; None: any day
    configuration: bool = False  # the configuration changed: read it afresh, not from the cache
    wish_ids: set[int] = field(default_factory=set)  # wishes that joined the line
    locked: bool = False  # the block holds the office's lock already

    def merge(self, *, days: set[date] | None, configuration: bool, wish_ids: set[int]) -> None:
        self.days = None if self.days is None or days is None else self.days | days
        self.configuration = self.configuration or configuration
        self.wish_ids |= wish_ids


class _State(threading.local):
    def __init__(self) -> None:
        self.depth = 0
        self.locked: set[int] = set()
        self.pending: dict[int, Freed] = {}


_state = _State()


def announce_free_times(
    office_id: int,
    *,
    days: Iterable[date] | None = None,
    now: datetime | None = None,
    configuration: bool = False,
) -> None:
    """Times of these local days (None: of any day) may be free now."""
    chosen = None if days is None else set(days)
    _announce(office_id, days=chosen, now=now, configuration=configuration, wish_ids=set())


def announce_wish(office_id: int, wish_id: int, *, now: datetime | None = None) -> None:
    """A wish joined the line: it may be offered a time that is free already."""
    _announce(office_id, days=set(), now=now, configuration=False, wish_ids={wish_id})


def _announce(
    office_id: int,
    *,
    days: set[date] | None,
    now: datetime | None,
    configuration: bool,
    wish_ids: set[int],
) -> None:
    if not _state.depth:
        transaction.on_commit(
            lambda: times_freed_later.send(sender=announce_free_times, office_id=office_id)
        )
        return
    pending = _state.pending.get(office_id)
    if pending is None:
        _state.pending[office_id] = Freed(
            now=now or timezone.now(),
            days=days,
            configuration=configuration,
            wish_ids=wish_ids,
            locked=office_id in _state.locked,
        )
    else:
        pending.merge(days=days, configuration=configuration, wish_ids=wish_ids)


@contextmanager
def collecting(*, locked_office_id: int | None = None) -> Iterator[None]:
    """Collect the announcements of the block and send them when it ends normally, still
    inside the caller's transaction (``locked_office_id``: the block holds that office's lock
    already). Nested blocks leave the sending to the outermost."""
    outermost = not _state.depth
    _state.depth += 1
    if locked_office_id is not None:
        _state.locked.add(locked_office_id)
    try:
        yield
        if outermost:
            _send_pending()
    finally:
        _state.depth -= 1
        if outermost:
            _state.pending.clear()
            _state.locked.clear()


def _send_pending() -> None:
    # A listener's own writes may announce again (rarely): send until nothing is left.
    for _round in range(5):
        if not _state.pending:
            return
        pending, _state.pending = _state.pending, {}
        for office_id, freed in sorted(pending.items()):
            times_freed.send(sender=announce_free_times, office_id=office_id, freed=freed)
