"""Background work of the notifications: sending e-mails and reminders."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django_tasks import task

from amtstermin.booking.models import Appointment, Status
from amtstermin.notifications import emails, outbox
from amtstermin.notifications.models import Kind, Message, MessageStatus

logger = logging.getLogger(__name__)


def retry_delay(attempt: int) -> timedelta:
    return timedelta(seconds=settings.MAIL_RETRY_BASE_SECONDS * 4 ** (attempt - 1))


@task()
def send_message(message_id: int) -> str:
    # Claim the message, so that a duplicate task (a resend racing a retry) sends nothing twice.
    claimed = Message.objects.filter(pk=message_id, status=MessageStatus.QUEUED).update(
        status=MessageStatus.SENDING, attempts=F("attempts") + 1
    )
    if not claimed:
        return "not queued"
    message = Message.objects.select_related("appointment__office").get(pk=message_id)
    if not message.appointment.email:  # personal data erased meanwhile
        message.status = MessageStatus.SKIPPED
        message.save(update_fields=["status"])
        return "skipped"
    try:
        emails.build(message).send()
    except Exception as exc:
        # SMTP and network errors are the usual ones; a bad header or template must not leave
        # the message stuck in "sending" where nobody would see it.
        reason = f"{type(exc).__name__}: {exc}"[:500]
        with transaction.atomic():
            message.last_error = reason
            if message.attempts >= settings.MAIL_MAX_ATTEMPTS:
                message.status = MessageStatus.FAILED
                logger.warning(
                    "message %s failed for good after %s tries", message.pk, message.attempts
                )
            else:
                message.status = MessageStatus.QUEUED
                send_message.using(
                    run_after=timezone.now() + retry_delay(message.attempts)
                ).enqueue(message.pk)
            message.save(update_fields=["status", "last_error"])
        return message.status
    message.status = MessageStatus.SENT
    message.sent_at = timezone.now()
    message.save(update_fields=["status", "sent_at"])
    return "sent"


@task()
def send_reminder(appointment_id: int, start_iso: str) -> str:
    """Queue the reminder, unless the appointment was cancelled or moved since."""
    appointment = Appointment.objects.select_related("office").filter(pk=appointment_id).first()
    if (
        appointment is None
        or appointment.status != Status.CONFIRMED
        or appointment.start != datetime.fromisoformat(start_iso)
    ):
        return "obsolete"
    with transaction.atomic():
        outbox.queue(appointment, Kind.REMINDER)
    return "queued"
