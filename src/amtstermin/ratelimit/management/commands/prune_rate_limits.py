import time
from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from amtstermin import ratelimit
from amtstermin.ratelimit import proof_of_work


class Command(BaseCommand):
    help = (
        "Delete rate-limit counters of clients not seen for a day and the used proof-of-work "
        "challenges that have expired (the nightly purge runs this)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"Rate-limit counters deleted: {ratelimit.prune(int(time.time()))}")
        self.stdout.write(f"Used challenges deleted: {proof_of_work.prune(timezone.now())}")
