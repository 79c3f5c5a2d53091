"""What booking tells whoever listens, without knowing them: a time may have become free.

The services, the housekeeping and the configuration signals send ``times_freed`` inside the
transaction that frees the time; the waitlist (``booking.waitlist_tasks``) listens and queues
its matching in that same transaction. So the writers stay below the waitlist, which books
through them."""

from __future__ import annotations

from datetime import datetime

from django.dispatch import Signal

times_freed = Signal()  # keyword arguments: office_id, at (None: now)


def announce_free_times(office_id: int, *, at: datetime | None = None) -> None:
    """A time may be free now (or, with ``at``, then: an offer's deadline)."""
    times_freed.send(sender=announce_free_times, office_id=office_id, at=at)
