"""Who may write through the API: a trusted server (one of the API keys IT configured) as it
likes; a public client with a fresh proof-of-work solution and within the per-address limit."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from ninja.errors import HttpError

from amtstermin import ratelimit
from amtstermin.api.errors import TooManyRequests, error_messages
from amtstermin.ratelimit import proof_of_work

PROOF_DESCRIPTION = (
    "A proof-of-work solution: the ALTCHA payload (base64 JSON) solving a challenge from "
    "`GET /api/v1/challenge`, each used once. Needed by public clients; a trusted server sends "
    "`Authorization: Bearer <API key>` instead."
)


def admit_write(request: HttpRequest, proof: str | None, *, action: str) -> None:
    """Refuse a public client without a valid solution (403) or over the hourly limit (429)."""
    if proof_of_work.trusted_server(request):
        return
    if settings.API_REQUIRE_PROOF_OF_WORK and (
        proof_of_work.verify(proof) != proof_of_work.Verdict.VERIFIED
    ):
        raise HttpError(403, str(error_messages["proof_of_work"]))
    limit = settings.API_BOOKING_LIMIT_PER_HOUR
    if not ratelimit.allow(request, action, limit=limit, window_seconds=3600):
        raise TooManyRequests(retry_after=3600)
