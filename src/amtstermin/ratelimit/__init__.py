"""Per-client request limits, counted in a store that every process shares.

With REDIS_URL the counters live in Redis (``cache.add`` and ``cache.incr``, an atomic INCR).
Without it, in the database: one row per action and client, counted up by a single
``INSERT ... ON CONFLICT DO UPDATE ... RETURNING`` statement, which is atomic on PostgreSQL and
SQLite alike (a per-process cache would let each process count on its own, and Django's
database cache increments by read and write, which loses counts under concurrency). The row
keeps an HMAC of the client address, never the address, and the nightly purge deletes the rows
of clients not seen for a day.

The client is the connecting address, or, behind ``AMTSTERMIN_TRUSTED_PROXIES`` reverse
proxies, the address that many hops from the right of X-Forwarded-For.
"""

from __future__ import annotations

import ipaddress
import time

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest
from django.utils.crypto import salted_hmac

from amtstermin.booking import write_queue

KEPT_SECONDS = 24 * 3600  # the longest window; older rows are deleted


def client_address(request: HttpRequest) -> str:
    """The client, as limits and the login lock-out count it.

    An IPv6 client is its /64 network (one host or household is given a whole /64, and could
    otherwise step around every limit by changing addresses), written as the network address;
    an IPv4 address written as IPv6 (``::ffff:a.b.c.d``) is that IPv4 address.
    """
    hops = settings.TRUSTED_PROXIES
    address = str(request.META.get("REMOTE_ADDR", "unknown"))
    if hops:
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        if len(forwarded) >= hops and forwarded[-hops]:
            address = forwarded[-hops]
    return _counted_as(address)


def _counted_as(address: str) -> str:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network((ip, 64), strict=False).network_address)
    return str(ip)


def allow(request: HttpRequest, action: str, *, limit: int, window_seconds: int) -> bool:
    """Count this request; False once the client made more than ``limit`` in the window.

    A limit of 0 switches the check off (e.g. for a town's server that books for everyone).
    """
    if limit <= 0:
        return True
    return count(request, action, window_seconds=window_seconds) <= limit


def count(request: HttpRequest, action: str, *, window_seconds: int) -> int:
    """Count this request; how many the client has made in the window, this one included."""
    if window_seconds > KEPT_SECONDS:
        raise ValueError(f"windows longer than {KEPT_SECONDS} s are not kept")
    now = int(time.time())
    window_start = now - now % window_seconds
    client = client_address(request)
    if settings.REDIS_URL:
        return _count_in_cache(f"ratelimit:{action}:{client}:{window_start}", window_seconds)
    return _count_in_database(f"{action}:{client}", window_start)


def _count_in_cache(key: str, window_seconds: int) -> int:
    cache.add(key, 0, timeout=window_seconds * 2)
    try:
        return int(cache.incr(key))
    except ValueError:  # evicted between add and incr
        cache.set(key, 1, timeout=window_seconds * 2)
        return 1


_COUNT_SQL = (
    "INSERT INTO ratelimit_counter (subject, window_start, hits) VALUES (%s, %s, 1)"
    " ON CONFLICT (subject) DO UPDATE SET"
    " hits = CASE WHEN ratelimit_counter.window_start = excluded.window_start"
    " THEN ratelimit_counter.hits + 1 ELSE 1 END,"
    " window_start = excluded.window_start"
    " RETURNING hits"
)
_FORGET_SQL = "DELETE FROM ratelimit_counter WHERE window_start < %s"


def _count_in_database(subject: str, window_start: int) -> int:
    digest = salted_hmac("amtstermin.ratelimit", subject, algorithm="sha256").digest()
    hashed = int.from_bytes(digest[:8], "big", signed=True)
    # On SQLite writers queue in the kernel (write_queue): one busy-waiting here could starve
    # behind a rush of bookings that hand the lock on to each other.
    with write_queue.turn(), connection.cursor() as cursor:
        cursor.execute(_COUNT_SQL, [hashed, window_start])
        return int(cursor.fetchone()[0])


def prune(now: int) -> int:
    """Delete the counters of clients not seen for a day (the nightly purge calls this, so no
    request scans the table under the write lock); how many were deleted."""
    with write_queue.turn(), connection.cursor() as cursor:
        cursor.execute(_FORGET_SQL, [now - KEPT_SECONDS])
        return int(cursor.rowcount)
