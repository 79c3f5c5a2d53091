"""The counters of the rate limits when there is no Redis (see the package's docstring)."""

from __future__ import annotations

from django.db import models


class Counter(models.Model):
    """Requests of one client for one action in the current window.

    Written only by the plain SQL in ``amtstermin.ratelimit``; the model exists for the
    migration.
    """

    # The first 64 bits of an HMAC of action and client address: no address is stored.
    subject = models.BigIntegerField(primary_key=True)
    window_start = models.BigIntegerField(db_index=True)  # Unix time
    hits = models.PositiveIntegerField()

    class Meta:
        db_table = "ratelimit_counter"

    def __str__(self) -> str:
        return f"{self.hits} hits since {self.window_start}"


class UsedChallenge(models.Model):
    """A proof-of-work challenge that has been solved once: a second use is a replay.

    Kept until the challenge expires (the nightly purge deletes older rows). In the database,
    not a cache, so that every process of a town's server sees it."""

    digest = models.CharField(max_length=64, primary_key=True)  # SHA-256 of its signature
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return self.digest
