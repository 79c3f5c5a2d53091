"""``amtstermin backfill_statistics --from 2026-01-01 --to 2026-06-30 [--office ID]``: compute
the daily figures for existing data (a day computed before is replaced)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from amtstermin.booking.models import Office
from amtstermin.reports import figures


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise CommandError(f"Not a date (YYYY-MM-DD): {text!r}") from exc


class Command(BaseCommand):
    help = "Compute the anonymous daily figures for a range of days."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--from", dest="first", required=True, help="First day, YYYY-MM-DD.")
        parser.add_argument("--to", dest="last", required=True, help="Last day, YYYY-MM-DD.")
        parser.add_argument("--office", type=int, help="Only this office (its id).")

    def handle(self, *args: Any, **options: Any) -> None:
        first, last = _day(options["first"]), _day(options["last"])
        if first > last:
            raise CommandError("--from must not be after --to.")
        offices = Office.objects.all()
        if options["office"] is not None:
            offices = offices.filter(pk=options["office"])
        now = timezone.now()
        days = 0
        for office in offices:
            day = first
            while day <= last:
                figures.store_day(office, day, now=now)
                day += timedelta(days=1)
                days += 1
        self.stdout.write(f"Computed {days} office days.")
