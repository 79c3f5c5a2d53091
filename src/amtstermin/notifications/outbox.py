"""Queue e-mails inside the transaction that changes the appointment.

A task is a row in the same database (django-tasks-db), so a committed change always has its
e-mail and a rolled-back one never does. The booking services call this module; it queues the
tasks of ``notifications.tasks``, which never call back here.
"""

from __future__ import annotations

import time
from collections.abc import Collection
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from amtstermin.booking.models import Appointment, WaitlistEntry
from amtstermin.notifications import tasks
from amtstermin.notifications.models import Message, MessageKind, MessageStatus, is_wanted


def queue(
    appointment: Appointment, kind: MessageKind, *, messages_off: Collection[str]
) -> Message | None:
    """Queue one message to the citizen, unless there is no address or the office turned its
    kind off (``messages_off``, from the configuration the caller read under its lock)."""
    if not is_wanted(appointment, kind, messages_off=messages_off):
        return None
    if settings.MAIL_AFTER_COMMIT_MS:
        # TEST-ONLY CONTROL (refused without DEBUG): the wrong way, for the crash test to catch.
        transaction.on_commit(partial(_queue_late, appointment, kind))
        return None
    return tasks.queue_message(appointment, kind)


def queue_for_wish(entry: WaitlistEntry, kind: MessageKind) -> Message:
    """Queue a waitlist e-mail (opt-in or offer), in the caller's transaction. Not subject to
    the office's switches: without it the wish could not work."""
    return tasks.queue_message(None, kind, wish=entry)


def _queue_late(appointment: Appointment, kind: MessageKind) -> None:
    """After the commit and a pause, in a transaction of its own: a kill in between leaves the
    change without its e-mail."""
    time.sleep(settings.MAIL_AFTER_COMMIT_MS / 1000)
    with transaction.atomic():
        tasks.queue_message(appointment, kind)


def schedule_reminder(
    appointment: Appointment, *, now: datetime, messages_off: Collection[str]
) -> None:
    """The reminder goes out ``reminder_hours`` before; none when booked later than that."""
    due = appointment.start - timedelta(hours=appointment.office.reminder_hours)
    if due <= now or not is_wanted(appointment, MessageKind.REMINDER, messages_off=messages_off):
        return
    tasks.send_reminder.using(run_after=due).enqueue(appointment.pk, appointment.start.isoformat())


def resend(message: Message) -> bool:
    """Send a message again (staff action): one that failed, was sent, or was interrupted.
    False if it was none of these (any more)."""
    with transaction.atomic():
        updated = (
            Message.objects.filter(pk=message.pk)
            .resendable(timezone.now())
            .update(status=MessageStatus.QUEUED, attempts=0, last_error="")
        )
        if updated:
            tasks.send_message.enqueue(message.pk)
    return bool(updated)


def erase_for_wishes(wish_ids: list[int]) -> None:
    Message.objects.filter(wish_id__in=wish_ids, status=MessageStatus.QUEUED).update(
        status=MessageStatus.SKIPPED
    )
    Message.objects.filter(wish_id__in=wish_ids).exclude(last_error="").update(last_error="")


def erase_for(appointment_ids: list[int]) -> None:
    """Recipients are read from the appointment, so messages keep nothing personal, except a
    delivery error that may quote the address (``SMTPRecipientsRefused``): cleared as well."""
    Message.objects.filter(appointment_id__in=appointment_ids, status=MessageStatus.QUEUED).update(
        status=MessageStatus.SKIPPED
    )
    Message.objects.filter(appointment_id__in=appointment_ids).exclude(last_error="").update(
        last_error=""
    )
