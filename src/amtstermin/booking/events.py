"""What booking tells whoever listens, without knowing them: a time may have become free.

The services, the housekeeping and the configuration signals send ``times_freed`` inside the
transaction that frees the time; the waitlist (``booking.waitlist_tasks``) listens and queues
its matching in that same transaction. So the writers stay below the waitlist, which books
through them."""

from __future__ import annotations

from django.dispatch import Signal

times_freed = Signal()  # keyword argument: office_id


def announce_free_times(office_id: int) -> None:
    times_freed.send(sender=announce_free_times, office_id=office_id)
