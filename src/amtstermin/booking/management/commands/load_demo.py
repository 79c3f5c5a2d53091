from typing import Any

from django.core.management.base import BaseCommand

from amtstermin.booking.demo import load_demo


class Command(BaseCommand):
    help = "Load the demo office 'Bürgerbüro Musterstadt' (does nothing if it exists)."

    def handle(self, *args: Any, **options: Any) -> None:
        office, created = load_demo()
        verb = "Loaded" if created else "Already there:"
        self.stdout.write(f"{verb} {office.name} (id {office.pk}).")
