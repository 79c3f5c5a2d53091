"""Tasks whose worker died are taken up again.

django-tasks-db marks a task RUNNING when a worker claims it and finished when the task ends; a
worker killed in between (SIGKILL, out of memory, power cut) leaves the row RUNNING for ever,
and the library (0.13) has no heartbeat to notice. So every worker looks, every so often, for
tasks that have been running longer than ``AMTSTERMIN_TASK_TIMEOUT_SECONDS`` and puts them back
in the queue, each by a conditional UPDATE whose row count says whether this worker won it: two
workers never both take up one task. A task that was taken up ``MAX_RUNS`` times already is
more likely to kill its worker than to have been unlucky, and is marked failed instead.

A message the dead worker was sending stays "sending"; ``tasks.retry_interrupted`` counts it as
a failed attempt, so it is retried with the usual back-off or, after its last attempt, shown as
failed with "send again".
"""

from __future__ import annotations

import logging
import threading
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import connection
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from amtstermin.notifications.tasks import retry_interrupted

logger = logging.getLogger(__name__)

MAX_RUNS = 3  # claims of one task row, counting the first
WORKER_LOST = "amtstermin.notifications.recovery.WorkerLost"


StaleTask = tuple[Any, datetime | None, Any, str]  # pk, started_at, worker_ids, task_path


def reclaim_stale_tasks(now: datetime) -> int:
    """Queue again (or fail) every task running past the timeout; how many this call took."""
    return sum(take_up(task, now) for task in stale_tasks(now))


def stale_tasks(now: datetime) -> list[StaleTask]:
    cutoff = now - timedelta(seconds=settings.TASK_TIMEOUT_SECONDS)
    return list(
        DBTaskResult.objects.filter(
            status=TaskResultStatus.RUNNING, started_at__lt=cutoff
        ).values_list("pk", "started_at", "worker_ids", "task_path")
    )


def take_up(task: StaleTask, now: datetime) -> bool:
    """Queue one stale task again, or fail it after MAX_RUNS; False if another worker was first
    (the row is no longer the run that was read: finished, or reclaimed and claimed again)."""
    pk, started_at, worker_ids, task_path = task
    same_run = DBTaskResult.objects.filter(
        pk=pk, status=TaskResultStatus.RUNNING, started_at=started_at
    )
    if len(worker_ids) >= MAX_RUNS:
        won = same_run.update(
            status=TaskResultStatus.FAILED,
            finished_at=now,
            exception_class_path=WORKER_LOST,
            traceback=f"The worker running this task stopped {len(worker_ids)} times.",
        )
        if won:
            logger.error("task %s (%s) failed: its worker died each time", pk, task_path)
    else:
        won = same_run.update(status=TaskResultStatus.READY)
        if won:
            logger.warning(
                "task %s (%s) ran longer than %s s: its worker is presumed dead; queued again",
                pk,
                task_path,
                settings.TASK_TIMEOUT_SECONDS,
            )
    return bool(won)


def reclaim(now: datetime) -> None:
    reclaim_stale_tasks(now)
    retry_interrupted(now)


def check_every() -> float:
    """Seconds between two looks: a quarter of the timeout, at most a minute."""
    return min(60.0, settings.TASK_TIMEOUT_SECONDS / 4)


class Reclaimer(threading.Thread):
    """Runs ``reclaim`` beside the worker's task loop, which offers no hook of its own."""

    def __init__(self) -> None:
        super().__init__(name="reclaim-dead-tasks", daemon=True)
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.is_set():
            try:
                reclaim(timezone.now())
            except Exception:  # e.g. the database is away for a moment: try again next time
                logger.exception("reclaiming the tasks of dead workers failed")
            finally:
                connection.close()  # this thread's own connection
            self.stopped.wait(check_every())
