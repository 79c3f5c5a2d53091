"""Failed logins lock out (user name, client address) pairs, and client addresses on their own.

django-axes counts the failures; ``AXES_LOCKOUT_PARAMETERS`` lists the pair first and the
address second. Nobody can lock a clerk out from elsewhere, as a lock by user name alone would
allow. An address that fails ``LOGIN_ADDRESS_FAILURE_LIMIT`` times, whatever the user names,
is locked too; that limit is higher, so one person's typos do not lock out colleagues behind
the same address. The client address is the rate limits' (``AXES_CLIENT_IP_CALLABLE``).
"""

from __future__ import annotations

import ipaddress
from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from django.conf import settings
from django.db.models import QuerySet, Sum
from django.http import HttpRequest

from amtstermin.ratelimit import client_address


def client_ip(request: HttpRequest) -> str | None:
    """``ratelimit.client_address``, or None where that is no IP address (a request without
    REMOTE_ADDR): axes keeps it in an IP address column, which PostgreSQL checks."""
    address = client_address(request)
    try:
        ipaddress.ip_address(address)
    except ValueError:
        return None
    return address


def _failures(attempts: QuerySet[Any]) -> int:
    return int(attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0)


class PairAndAddressHandler(AxesDatabaseHandler):
    def get_failures(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        """The pair's failures, or the lock-out number once the address reached its limit."""
        pair, address = self.get_user_attempts(request, credentials)
        if _failures(address) >= settings.LOGIN_ADDRESS_FAILURE_LIMIT:
            return max(_failures(pair), get_failure_limit(request, credentials))
        return _failures(pair)

    def reset_user_attempts(
        self, request: HttpRequest, credentials: dict[str, Any] | None = None
    ) -> int:
        """A successful login clears its own pair only, not the address's other failures (else
        anyone with an account could go on guessing a colleague's password in between)."""
        pair, _address = self.filter_user_attempts(request, credentials)
        deleted, _by_model = pair.delete()
        return int(deleted)
