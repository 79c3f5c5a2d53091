"""Secrets of the manage link, and booking codes.

The token is derived from a random per-appointment nonce and the SECRET_KEY (HMAC-SHA256), so
the database holds no usable secret: only the nonce and the token's hash (for the lookup). The
background worker re-derives the token when an e-mail (a reminder days later) needs the link.
Rotating SECRET_KEY invalidates every manage link.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from django.conf import settings

from amtstermin.booking.models import CODE_LENGTH

NONCE_BYTES = 16
# Booking codes avoid look-alikes (0/O, 1/I/L, 2/Z, 5/S, 8/B) so they survive the phone.
CODE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"


def new_code() -> str:
    """A random booking code, not looked up first. Of 25^8 (1.5 * 10^11) codes, a million stored
    appointments take one in 150,000: the unique constraint catches that (``services._insert``)."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def new_nonce() -> str:
    return secrets.token_hex(NONCE_BYTES)


def wish_token(nonce: str) -> str:
    """A waitlist wish's secret, from its nonce (never an appointment's)."""
    return manage_token(nonce, purpose="waitlist")


def manage_token(nonce: str, *, purpose: str = "manage") -> str:
    """256 bits, URL-safe, unguessable without the SECRET_KEY. A waitlist wish's link uses
    ``purpose="waitlist"``, so that no wish's token opens an appointment or the other way."""
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"amtstermin-{purpose}:{nonce}".encode(), hashlib.sha256
    ).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
