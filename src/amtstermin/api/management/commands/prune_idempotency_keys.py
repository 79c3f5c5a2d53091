from typing import Any

from django.core.management.base import BaseCommand

from amtstermin.api import idempotency


class Command(BaseCommand):
    help = "Delete Idempotency-Key records older than 24 hours (the nightly purge runs this)."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"Idempotency keys deleted: {idempotency.prune()}")
