"""Background work on appointments: tidy up lapsed holds; every night, erase personal data
and delete finished task rows, day-old Idempotency-Keys and rate-limit counters."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.core.management import call_command
from django.utils import timezone
from django_tasks import TaskResultStatus, task
from django_tasks_db.models import DBTaskResult

from amtstermin.booking import housekeeping

PURGE_AT = time(3, 0)  # local time, when the office is closed
TASK_RESULTS_KEPT_DAYS = 14  # finished background tasks stay this long for inspection


@task()
def release_lapsed(office_id: int) -> int:
    # Without waiting wishes availability treats them as free already and this only records
    # it; while wishes wait it frees their times, offered to the waitlist first.
    return housekeeping.release_lapsed(office_id=office_id)


def next_purge_time(now: datetime) -> datetime:
    local = timezone.localtime(now)
    run = local.replace(hour=PURGE_AT.hour, minute=PURGE_AT.minute, second=0, microsecond=0)
    return run if run > local else run + timedelta(days=1)


@task()
def purge_daily() -> dict[str, int]:
    counts = housekeeping.purge_personal_data()
    # Every booking leaves two or three finished task rows; without this they pile up forever.
    call_command(
        "prune_db_task_results",
        "--queue-name=*",
        f"--min-age-days={TASK_RESULTS_KEPT_DAYS}",
        verbosity=0,
    )
    # The API's Idempotency-Keys answer retries for a day only (amtstermin.api.idempotency).
    call_command("prune_idempotency_keys", verbosity=0)
    # Counters of the rate limits kept in the database (without Redis) of clients gone a day.
    call_command("prune_rate_limits", verbosity=0)
    ensure_daily_purge()
    return counts


def ensure_daily_purge() -> None:
    """Keep exactly one future purge in the queue (the worker calls this when it starts)."""
    waiting = DBTaskResult.objects.filter(
        status=TaskResultStatus.READY, task_path=purge_daily.module_path
    )
    if not waiting.exists():
        purge_daily.using(run_after=next_purge_time(timezone.now())).enqueue()
