import time
from typing import Any

from django.core.management.base import BaseCommand

from amtstermin import ratelimit


class Command(BaseCommand):
    help = "Delete rate-limit counters of clients not seen for a day (the nightly purge runs this)."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"Rate-limit counters deleted: {ratelimit.prune(int(time.time()))}")
