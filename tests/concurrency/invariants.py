"""What must hold in the database after any crash; each check lists what breaks it.

Shared by the crash test, which expects every list empty, and its control, which shows the
message check able to find something.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Exists, OuterRef
from django_tasks_db.models import DBTaskResult

from amtstermin.booking.models import ACTIVE_STATUSES, Appointment, Office
from amtstermin.notifications.models import MessageKind


def seen_but_not_active(codes: Iterable[str]) -> list[str]:
    """Codes a client was answered 201 for that are not an active appointment."""
    wanted = set(codes)
    active = Appointment.objects.filter(code__in=wanted, status__in=ACTIVE_STATUSES)
    return sorted(wanted - set(active.values_list("code", flat=True)))


def overlapping(offices: Iterable[Office]) -> list[str]:
    """Codes of active appointments that overlap another active one on the same counter."""
    active = Appointment.objects.filter(status__in=ACTIVE_STATUSES)
    other = active.filter(
        counter=OuterRef("counter"), start__lt=OuterRef("end"), end__gt=OuterRef("start")
    ).exclude(pk=OuterRef("pk"))
    clashing = active.filter(Exists(other), office__in=list(offices))
    return sorted(clashing.values_list("code", flat=True))


def without_their_message(offices: Iterable[Office]) -> list[str]:
    """Codes of bookings lacking the e-mail their booking queues ("please confirm" when the
    office asks for confirmation, else "confirmed"), or whose e-mail has no send task."""
    sent_ids = {
        task.args_kwargs["args"][0]
        for task in DBTaskResult.objects.filter(task_path__endswith=".send_message")
    }
    booked = Appointment.objects.filter(office__in=list(offices)).select_related("office")
    missing = []
    for appointment in booked.prefetch_related("messages"):
        kind = (
            MessageKind.CONFIRM_REQUEST if appointment.needs_confirmation else MessageKind.CONFIRMED
        )
        ids = {message.pk for message in appointment.messages.all() if message.kind == kind}
        if not ids & sent_ids:
            missing.append(appointment.code)
    return sorted(missing)
