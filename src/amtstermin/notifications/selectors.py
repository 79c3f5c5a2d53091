"""Reads of the outbox, for staff."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone

from amtstermin.booking.models import Office
from amtstermin.notifications.models import Message


def undelivered_messages(office: Office) -> QuerySet[Message]:
    """Failed for good, still being retried after a failed try, or interrupted: newest first."""
    return (
        Message.objects.filter(appointment__office=office)
        .undelivered(timezone.now())
        .select_related("appointment")
        .order_by("-created_at")
    )
