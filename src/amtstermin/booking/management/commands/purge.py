from typing import Any

from django.core.management.base import BaseCommand

from amtstermin.booking.housekeeping import purge_personal_data


class Command(BaseCommand):
    help = "Erase personal data of past and cancelled appointments now (the worker does it daily)."

    def handle(self, *args: Any, **options: Any) -> None:
        counts = purge_personal_data()
        for office, count in counts.items():
            self.stdout.write(f"{office}: personal data of {count} appointment(s) erased")
        self.stdout.write(f"Total: {sum(counts.values())}")
