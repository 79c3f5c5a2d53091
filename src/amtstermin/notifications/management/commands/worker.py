"""``amtstermin worker``: run background tasks (django-tasks-db's db_worker), keep the daily
purge of personal data scheduled, and take up the tasks of workers that died
(``notifications.recovery``). Several workers may run; each task runs once, or again only after
its worker died."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils import timezone

from amtstermin.booking.tasks import ensure_daily_purge
from amtstermin.booking.waitlist_tasks import ensure_waitlist_sweep
from amtstermin.notifications.recovery import Reclaimer, reclaim
from amtstermin.reports.tasks import ensure_scheduled as ensure_statistics_scheduled


class Command(BaseCommand):
    help = "Send e-mails, remind, release lapsed holds and erase old personal data."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--interval", type=float, default=1.0, help="Seconds between polls.")
        parser.add_argument("--batch", action="store_true", help="Run what is due, then stop.")

    def handle(self, *args: Any, **options: Any) -> None:
        ensure_daily_purge()
        ensure_statistics_scheduled()
        ensure_waitlist_sweep()
        worker_args = ["--interval", str(options["interval"])]
        if options["batch"]:
            reclaim(timezone.now())
            worker_args += ["--batch", "--no-startup-delay"]
        else:
            Reclaimer().start()
        call_command("db_worker", *worker_args)
