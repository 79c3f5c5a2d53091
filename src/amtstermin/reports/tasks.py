"""The worker's statistics work: yesterday's figures every night, before the purge, and the
time to the next free appointment several times a day.

The figures run at ``FIGURES_AT`` (01:30), the purge of personal data at 03:00
(``booking.tasks.PURGE_AT``). The figures need no personal data (only statuses, times,
channels, services and counters, which the purge keeps), so even a late run finds what it
needs; running first keeps it so should the purge ever delete more. Booking's purge cannot call
the figures itself: booking must not import the statistics (an import-linter contract).
Each night also recomputes the two days before yesterday, which makes up for a night the
worker missed and for appointments completed after midnight.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.utils import timezone
from django_tasks import TaskResultStatus, task
from django_tasks.base import Task
from django_tasks_db.models import DBTaskResult

from amtstermin.booking.models import Office
from amtstermin.reports import figures, next_free

FIGURES_AT = time(1, 30)  # local time, before the purge at 03:00
DAYS_RECOMPUTED = 3  # yesterday and the two days before
SAMPLE_EVERY = timedelta(hours=3)


def next_figures_time(now: datetime) -> datetime:
    local = timezone.localtime(now)
    run = local.replace(hour=FIGURES_AT.hour, minute=FIGURES_AT.minute, second=0, microsecond=0)
    return run if run > local else run + timedelta(days=1)


def compute_recent_figures(now: datetime | None = None) -> int:
    """Yesterday's figures (and the days before) for every office; returns the days stored."""
    now = now or timezone.now()
    stored = 0
    for office in Office.objects.all():
        today = now.astimezone(office.zone).date()
        for back in range(DAYS_RECOMPUTED, 0, -1):
            figures.store_day(office, today - timedelta(days=back), now=now)
            stored += 1
    return stored


@task()
def daily_figures() -> int:
    stored = compute_recent_figures()
    _ensure(daily_figures, next_figures_time(timezone.now()))
    return stored


@task()
def sample_next_free() -> int:
    taken = next_free.sample_all(now=timezone.now())
    _ensure(sample_next_free, timezone.now() + SAMPLE_EVERY)
    return taken


def _ensure(job: Task[[], int], run_after: datetime) -> None:
    waiting = DBTaskResult.objects.filter(
        status=TaskResultStatus.READY,
        task_path=job.module_path,
    )
    if not waiting.exists():
        job.using(run_after=run_after).enqueue()


def ensure_scheduled() -> None:
    """Keep one future run of each in the queue (the worker calls this when it starts)."""
    now = timezone.now()
    _ensure(daily_figures, next_figures_time(now))
    _ensure(sample_next_free, now)
