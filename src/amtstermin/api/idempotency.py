"""``Idempotency-Key`` on POST /appointments: a retried booking gets the first answer.

A client whose connection broke after the commit cannot know whether it booked. Sending the same
request again with the same key (a random string, e.g. a UUID) returns the appointment the first
request made instead of making a second one (as in IETF draft-ietf-httpapi-idempotency-key-header).

- Scope: the key alone. The API has no accounts, and a client's address may change between
  retries or be shared behind a proxy. Keys are random, and the stored request hash covers the
  whole body: another request under a known key is a 422, never someone else's booking.
- Stored: HMACs (SECRET_KEY) of the key and of the request, and the appointment. No personal data
  and no token: the answer is rendered again from the appointment, whose manage token is derived
  from its nonce (booking/tokens.py), so the row is worth no more than the appointment's own.
- Written by ``appointment_book(on_insert=...)`` in the booking's transaction: after a crash
  both are there or neither. A twin request that raced the first fails on the key's unique
  constraint (or finds the time taken), rolls back, and then answers with the first's booking.
- Only bookings are remembered: a refused request changed nothing and may be sent again.
- Kept 24 hours (older keys count as unused); the nightly purge deletes them.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone
from pydantic import BaseModel

from amtstermin.api.errors import InputError, error_messages
from amtstermin.api.models import IdempotencyKey
from amtstermin.booking.errors import BookingError
from amtstermin.booking.models import Appointment
from amtstermin.booking.tokens import manage_token

HEADER = "Idempotency-Key"
KEEP = timedelta(hours=24)
KEY_PATTERN = r"^[!-~]+$"  # visible ASCII: spaces at the ends would not survive HTTP
KEY_MAX_LENGTH = 255

OnInsert = Callable[[Appointment], object]
Booked = tuple[Appointment, str]


@dataclass(frozen=True)
class Key:
    key_hash: str
    request_hash: str


def _digest(purpose: str, text: str) -> str:
    message = f"amtstermin-idempotency-{purpose}:{text}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def key_of(header: str | None, payload: BaseModel) -> Key | None:
    """The request's key with the hash of its body as parsed (formatting does not matter)."""
    if header is None:
        return None
    body = json.dumps(payload.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
    return Key(key_hash=_digest("key", header), request_hash=_digest("request", body))


def earlier_booking(key: Key, *, now: datetime | None = None) -> Booked | None:
    """The appointment this key booked in the last 24 hours, with its token.

    Raises InputError (422) when the key came with another request.
    """
    now = now or timezone.now()
    row = (
        IdempotencyKey.objects.filter(key_hash=key.key_hash, created_at__gt=now - KEEP)
        .select_related("appointment__office")
        .first()
    )
    if row is None:
        return None
    if not hmac.compare_digest(row.request_hash, key.request_hash):
        raise InputError({HEADER: str(error_messages["key_reused"])})
    return row.appointment, manage_token(row.appointment.token_nonce)


def _record(key: Key, appointment: Appointment) -> None:
    now = timezone.now()
    # An expired row the nightly purge has not deleted yet must not block the key.
    IdempotencyKey.objects.filter(key_hash=key.key_hash, created_at__lte=now - KEEP).delete()
    IdempotencyKey.objects.create(
        key_hash=key.key_hash,
        request_hash=key.request_hash,
        appointment=appointment,
        created_at=now,
    )


def book_once(key: Key | None, book: Callable[[OnInsert | None], Booked]) -> Booked:
    """``book(on_insert)`` with the key recorded in its transaction; a twin request that booked
    first (and so made this one fail) wins, and its booking is the answer."""
    if key is None:
        return book(None)
    try:
        return book(lambda appointment: _record(key, appointment))
    except BookingError:
        earlier = earlier_booking(key)
        if earlier is None:
            raise
        return earlier


def prune(*, now: datetime | None = None) -> int:
    """Delete keys older than 24 hours; returns how many."""
    cutoff = (now or timezone.now()) - KEEP
    deleted, _per_model = IdempotencyKey.objects.filter(created_at__lte=cutoff).delete()
    return deleted
