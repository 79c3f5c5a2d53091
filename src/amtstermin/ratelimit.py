"""Per-client request limits, counted in the cache (shared by all processes with Redis).

The client is the connecting address, or, behind ``AMTSTERMIN_TRUSTED_PROXIES`` reverse
proxies, the address that many hops from the right of X-Forwarded-For.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    hops = settings.TRUSTED_PROXIES
    if hops:
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        if len(forwarded) >= hops and forwarded[-hops]:
            return forwarded[-hops]
    return str(request.META.get("REMOTE_ADDR", "unknown"))


def allow(request: HttpRequest, action: str, *, limit: int, window_seconds: int) -> bool:
    """Count this request; False once the client made more than ``limit`` in the window.

    A limit of 0 switches the check off (e.g. for a town's server that books for everyone).
    """
    if limit <= 0:
        return True
    bucket = int(time.time() // window_seconds)
    key = f"ratelimit:{action}:{client_address(request)}:{bucket}"
    cache.add(key, 0, timeout=window_seconds * 2)
    try:
        count = cache.incr(key)
    except ValueError:  # evicted between add and incr
        cache.set(key, 1, timeout=window_seconds * 2)
        count = 1
    return count <= limit
