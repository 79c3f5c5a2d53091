"""The waitlist's background work: match when a time may have become free, and a periodic
sweep as the safety net (a release at its published time, an offer's deadline, a wish's last
day pass without any write that would announce them)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone
from django_tasks import TaskResultStatus, task
from django_tasks_db.models import DBTaskResult

from amtstermin.booking import events, waitlist
from amtstermin.booking.models import OPEN_WISH_STATUSES, WaitlistEntry
from amtstermin.booking.waitlist_selectors import has_waiting_wishes

SWEEP_MINUTES = 10


@task()
def offer_free_times(office_id: int) -> int:
    return waitlist.offer_free_times(office_id=office_id)


@task()
def waitlist_sweep() -> int:
    offices = (
        WaitlistEntry.objects.filter(status__in=OPEN_WISH_STATUSES)
        .values_list("office_id", flat=True)
        .distinct()
    )
    offers = sum(waitlist.offer_free_times(office_id=office_id) for office_id in list(offices))
    waitlist_sweep.using(run_after=timezone.now() + timedelta(minutes=SWEEP_MINUTES)).enqueue()
    return offers


def ensure_waitlist_sweep() -> None:
    """Keep exactly one future sweep in the queue (the worker calls this when it starts)."""
    waiting = DBTaskResult.objects.filter(
        status=TaskResultStatus.READY, task_path=waitlist_sweep.module_path
    )
    if not waiting.exists():
        waitlist_sweep.enqueue()


def _on_times_freed(sender: Any, office_id: int, at: datetime | None = None, **kwargs: Any) -> None:
    # In the transaction that freed the time: the matching runs once it is committed (or at
    # ``at``, when an offer's deadline passes).
    if at is not None:
        offer_free_times.using(run_after=at).enqueue(office_id)
    elif has_waiting_wishes(office_id):
        offer_free_times.enqueue(office_id)


def connect() -> None:
    events.times_freed.connect(_on_times_freed, dispatch_uid="waitlist-offer-free-times")
