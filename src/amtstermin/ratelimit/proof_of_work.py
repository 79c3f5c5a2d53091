"""Proof of work (ALTCHA) before a citizen may hold a time or book: cheap for one person, costly
for a script that books hundreds. No puzzle, no image, nothing sent to a third party; the widget
solves it in the background (``citizen/static/citizen/proof-of-work.js``).

A challenge is signed with a secret (``ALTCHA_HMAC_SECRET``) and expires after
``CHALLENGE_MINUTES``; a solution is accepted once (``UsedChallenge``). The difficulty (the
PBKDF2 cost per try) doubles for an address with every ``POW_EASY_CHALLENGES`` challenges it
fetched in the hour, up to ``2 ** MAX_DOUBLINGS`` times the base ``POW_COST``.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any

import altcha
from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone

from amtstermin import ratelimit
from amtstermin.booking import write_queue
from amtstermin.ratelimit.models import UsedChallenge

ALGORITHM = "PBKDF2/SHA-256"
CHALLENGE_MINUTES = 30  # long enough to choose a time and fill in the form
MAX_DOUBLINGS = 5
HEADER = "X-Altcha"  # the API's header for a solution
FIELD = "altcha"  # the pages' form field (the widget's default)


class Verdict(StrEnum):
    VERIFIED = "verified"
    MISSING = "missing"  # no solution sent: a browser without JavaScript, or a script
    INVALID = "invalid"  # wrong, tampered with or not ours
    EXPIRED = "expired"
    REPLAYED = "replayed"  # solved once and sent again


def _secret() -> str:
    return str(settings.ALTCHA_HMAC_SECRET)


def new_challenge(request: HttpRequest, *, now: datetime | None = None) -> dict[str, Any]:
    """A signed challenge for this client, harder the more it has fetched this hour."""
    now = now or timezone.now()
    fetched = ratelimit.count(request, "pow-challenge", window_seconds=3600)
    doublings = min(MAX_DOUBLINGS, (fetched - 1) // settings.POW_EASY_CHALLENGES)
    challenge = altcha.create_challenge(
        algorithm=ALGORITHM,
        cost=settings.POW_COST * 2**doublings,
        expires_at=now + timedelta(minutes=CHALLENGE_MINUTES),
        hmac_secret=_secret(),
    )
    return dict(challenge.to_dict())


def verify(payload: str | None, *, now: datetime | None = None) -> Verdict:
    """Check a solution (the widget's base64 JSON) and use it up."""
    if not payload:
        return Verdict.MISSING
    result = altcha.verify_solution(payload, _secret())
    if result.expired:
        return Verdict.EXPIRED
    if not result.verified:
        return Verdict.INVALID
    try:
        challenge = json.loads(base64.b64decode(payload))["challenge"]
        expires = datetime.fromtimestamp(int(challenge["parameters"]["expiresAt"]), tz=UTC)
        digest = hashlib.sha256(str(challenge["signature"]).encode()).hexdigest()
    except (binascii.Error, ValueError, KeyError, TypeError):
        return Verdict.INVALID
    try:
        # On SQLite in the writers' queue, as every write of a rush (booking.write_queue).
        with write_queue.turn(), transaction.atomic():
            UsedChallenge.objects.create(digest=digest, expires_at=expires)
    except IntegrityError:
        return Verdict.REPLAYED
    return Verdict.VERIFIED


def trusted_server(request: HttpRequest) -> bool:
    """The request carries one of the API keys IT configured (``AMTSTERMIN_API_KEYS``): it
    comes from a server such as the town's own web site."""
    scheme, _space, key = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not key:
        return False
    return any(hmac.compare_digest(key.encode(), known.encode()) for known in settings.API_KEYS)


def prune(now: datetime) -> int:
    """Forget the used challenges that have expired (the nightly purge)."""
    deleted, _by_model = UsedChallenge.objects.filter(expires_at__lt=now).delete()
    return deleted
