"""``amtstermin demo_history``: give the demo office months of invented history (once)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from amtstermin.booking.models import Office
from amtstermin.reports.demo_history import load_history


class Command(BaseCommand):
    help = "Invent months of anonymous history for the statistics of the demo office."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--weeks", type=int, default=16)

    def handle(self, *args: Any, **options: Any) -> None:
        for office in Office.objects.filter(active=True).order_by("pk")[:1]:
            if load_history(office, weeks=options["weeks"]):
                self.stdout.write(
                    f"Invented {options['weeks']} weeks of history for {office.name}."
                )
