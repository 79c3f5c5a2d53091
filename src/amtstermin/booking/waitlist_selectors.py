"""Reads of the waitlist: a wish behind its link, and the lengths staff see."""

from __future__ import annotations

from django.db.models import Count

from amtstermin.booking.models import (
    SERVICE_ORDER,
    Office,
    Service,
    WaitlistEntry,
    WaitlistLine,
    WaitlistStatus,
)
from amtstermin.booking.tokens import hash_token


def wish_by_token(token: str) -> WaitlistEntry | None:
    """The wish behind a waitlist link; only the token's hash is stored."""
    if not token or len(token) > 100:
        return None
    return (
        WaitlistEntry.objects.select_related("office", "offer")
        .filter(token_hash=hash_token(token))
        .first()
    )


def waitlist_lengths(office: Office) -> dict[int, int]:
    """Waiting and offered wishes per service id (a wish of two services counts for both)."""
    rows = (
        WaitlistLine.objects.filter(
            entry__office=office,
            entry__status__in=[WaitlistStatus.ACTIVE, WaitlistStatus.OFFERED],
        )
        .values("service_id")
        .annotate(wishes=Count("entry_id"))
    )
    return {row["service_id"]: row["wishes"] for row in rows}


def has_waiting_wishes(office_id: int) -> bool:
    return WaitlistEntry.objects.filter(office_id=office_id, status=WaitlistStatus.ACTIVE).exists()


def waitlist_by_service(office: Office) -> list[tuple[Service, int]]:
    """The office's services that have waiting wishes, with how many, in the usual order."""
    lengths = waitlist_lengths(office)
    services = Service.objects.filter(pk__in=lengths).order_by(*SERVICE_ORDER)
    return [(service, lengths[service.pk]) for service in services]
