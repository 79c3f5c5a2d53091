"""The waitlist's background work: the sweep, the safety net of the matching that every freeing
transaction runs itself (``booking.events``, ``waitlist_matching``). It sees a released day
``release.WAITLIST_LEAD`` before citizens do, and runs more often than that, so the waiting
wishes are offered a new day's times before it opens; it also ends wishes past their last day
and catches what a write outside the application's writers freed (the shell, a data migration:
``events.times_freed_later``)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone
from django_tasks import TaskResultStatus, task
from django_tasks_db.models import DBTaskResult

from amtstermin.booking import events, release, waitlist_matching
from amtstermin.booking.models import OPEN_WISH_STATUSES, WaitlistEntry
from amtstermin.booking.waitlist_selectors import has_waiting_wishes

SWEEP_MINUTES = 10
# Every released day must meet a sweep before citizens see it.
assert timedelta(minutes=SWEEP_MINUTES) < release.WAITLIST_LEAD


@task()
def offer_free_times(office_id: int) -> int:
    return waitlist_matching.offer_free_times(office_id=office_id)


@task()
def waitlist_sweep() -> int:
    offices = (
        WaitlistEntry.objects.filter(status__in=OPEN_WISH_STATUSES)
        .values_list("office_id", flat=True)
        .distinct()
    )
    offers = sum(
        waitlist_matching.offer_free_times(office_id=office_id) for office_id in list(offices)
    )
    waitlist_sweep.using(run_after=timezone.now() + timedelta(minutes=SWEEP_MINUTES)).enqueue()
    return offers


def ensure_waitlist_sweep() -> None:
    """Keep exactly one future sweep in the queue (the worker calls this when it starts)."""
    waiting = DBTaskResult.objects.filter(
        status=TaskResultStatus.READY, task_path=waitlist_sweep.module_path
    )
    if not waiting.exists():
        waitlist_sweep.enqueue()


def _on_times_freed_later(sender: Any, office_id: int, **kwargs: Any) -> None:
    # A write outside the application's writers, committed already: the worker's pass.
    if has_waiting_wishes(office_id):
        offer_free_times.enqueue(office_id)


def connect() -> None:
    events.times_freed.connect(
        waitlist_matching.on_times_freed, dispatch_uid="waitlist-offer-in-transaction"
    )
    events.times_freed_later.connect(_on_times_freed_later, dispatch_uid="waitlist-offer-later")
