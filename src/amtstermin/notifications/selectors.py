"""Reads of the outbox, for staff."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils import timezone

from amtstermin.booking.models import Office
from amtstermin.notifications.models import Message


def undelivered_messages(office: Office) -> QuerySet[Message]:
    """Failed for good, still being retried after a failed try, or interrupted: newest first.
    The office's messages about appointments and about waitlist wishes."""
    return (
        Message.objects.filter(of_office(office))
        .undelivered(timezone.now())
        .select_related("appointment", "wish__offer")
        .order_by("-created_at")
    )


def of_office(office: Office | QuerySet[Office]) -> Q:
    """The messages of an office (or of any of several): about its appointments or its wishes."""
    if isinstance(office, Office):
        return Q(appointment__office=office) | Q(wish__office=office)
    return Q(appointment__office__in=office) | Q(wish__office__in=office)
