"""Reads of the outbox, for staff."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from amtstermin.booking.models import Office
from amtstermin.notifications.models import Message, MessageStatus


def undelivered_messages(office: Office) -> QuerySet[Message]:
    """Failed for good, or still being retried after a failed try: newest first."""
    return (
        Message.objects.filter(appointment__office=office)
        .filter(Q(status=MessageStatus.FAILED) | Q(status=MessageStatus.QUEUED, attempts__gt=0))
        .select_related("appointment")
        .order_by("-created_at")
    )
