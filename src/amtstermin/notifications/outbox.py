"""Queue e-mails inside the transaction that changes the appointment.

A task is a row in the same database (django-tasks-db), so a committed change always has its
e-mail and a rolled-back one never does.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction

from amtstermin.booking import availability_cache
from amtstermin.booking.models import Appointment
from amtstermin.notifications.models import Kind, Message, MessageSetting, MessageStatus

# The kinds each office turned off, by (office, configuration version): exact, because every
# change of a setting raises that version (notifications.apps), and read on every booking.
_turned_off: dict[tuple[int, int], frozenset[str]] = {}


def enabled(appointment: Appointment, kind: Kind) -> bool:
    office_id = appointment.office_id
    key = (office_id, availability_cache.versions(office_id).configuration)
    turned_off = _turned_off.get(key)
    if turned_off is None:
        turned_off = frozenset(
            MessageSetting.objects.filter(office_id=office_id, enabled=False).values_list(
                "kind", flat=True
            )
        )
        if len(_turned_off) > 256:
            _turned_off.clear()
        _turned_off[key] = turned_off
    return kind not in turned_off


def queue(appointment: Appointment, kind: Kind) -> Message | None:
    """Queue one message to the citizen, unless there is no address or the office turned it off."""
    from amtstermin.notifications.tasks import send_message

    if not appointment.email or not enabled(appointment, kind):
        return None
    message = Message.objects.create(appointment=appointment, kind=kind)
    send_message.enqueue(message.pk)
    return message


def schedule_reminder(appointment: Appointment, *, now: datetime) -> None:
    """The reminder goes out ``reminder_hours`` before; none when booked later than that."""
    from amtstermin.notifications.tasks import send_reminder

    due = appointment.start - timedelta(hours=appointment.office.reminder_hours)
    if due <= now or not appointment.email or not enabled(appointment, Kind.REMINDER):
        return
    send_reminder.using(run_after=due).enqueue(appointment.pk, appointment.start.isoformat())


def resend(message: Message) -> None:
    """Send a failed message again (staff action)."""
    from amtstermin.notifications.tasks import send_message

    with transaction.atomic():
        updated = Message.objects.filter(
            pk=message.pk, status__in=[MessageStatus.FAILED, MessageStatus.SENT]
        ).update(status=MessageStatus.QUEUED, attempts=0, last_error="")
        if updated:
            send_message.enqueue(message.pk)


def erase_for(appointment_ids: list[int]) -> None:
    """Recipients are read from the appointment, so messages keep nothing personal, except a
    delivery error that may quote the address (``SMTPRecipientsRefused``): cleared as well."""
    Message.objects.filter(appointment_id__in=appointment_ids, status=MessageStatus.QUEUED).update(
        status=MessageStatus.SKIPPED
    )
    Message.objects.filter(appointment_id__in=appointment_ids).exclude(last_error="").update(
        last_error=""
    )
