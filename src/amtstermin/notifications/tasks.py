"""Background work of the notifications: sending e-mails and reminders.

The tasks are queued by ``notifications.outbox`` and never call it: ``queue_message`` here is
the one place a message is stored and its sending queued.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django_tasks import task

from amtstermin.booking import selectors
from amtstermin.booking.models import Appointment, AppointmentStatus, WaitlistEntry
from amtstermin.notifications import emails
from amtstermin.notifications.models import Message, MessageKind, MessageStatus, is_wanted

logger = logging.getLogger(__name__)


def retry_delay(attempt: int) -> timedelta:
    return timedelta(seconds=settings.MAIL_RETRY_BASE_SECONDS * 4 ** (attempt - 1))


def queue_message(
    appointment: Appointment | None, kind: MessageKind, *, wish: WaitlistEntry | None = None
) -> Message:
    """Store the message (about an appointment or a waitlist wish) and queue its sending, in
    the caller's transaction."""
    message = Message.objects.create(appointment=appointment, wish=wish, kind=kind)
    send_message.enqueue(message.pk)
    return message


@task()
def send_message(message_id: int) -> str:
    # Claim the message, so that a duplicate task (a resend racing a retry) sends nothing twice.
    claimed = Message.objects.filter(pk=message_id, status=MessageStatus.QUEUED).update(
        status=MessageStatus.SENDING, attempts=F("attempts") + 1, attempt_started_at=timezone.now()
    )
    if not claimed:
        return "not queued"
    message = Message.objects.select_related("appointment__office", "wish__office").get(
        pk=message_id
    )
    about = message.appointment or message.wish
    if about is None or not about.email:  # personal data erased meanwhile
        message.status = MessageStatus.SKIPPED
        message.save(update_fields=["status"])
        return "skipped"
    try:
        emails.build(message).send()
    except Exception as exc:
        # SMTP and network errors are the usual ones; a bad header or template must not leave
        # the message stuck in "sending" where nobody would see it.
        return attempt_failed(message, f"{type(exc).__name__}: {exc}")
    message.status = MessageStatus.SENT
    message.sent_at = timezone.now()
    message.save(update_fields=["status", "sent_at"])
    return "sent"


def attempt_failed(message: Message, reason: str) -> str:
    """Record a failed attempt: queue a retry after the back-off, or give up after the last one.

    Only while the message is still in this attempt, so that the worker of an attempt that was
    counted as interrupted meanwhile (``retry_interrupted``) does not count it a second time.
    """
    given_up = message.attempts >= settings.MAIL_MAX_ATTEMPTS
    status = MessageStatus.FAILED if given_up else MessageStatus.QUEUED
    with transaction.atomic():
        updated = Message.objects.filter(
            pk=message.pk,
            status=MessageStatus.SENDING,
            attempt_started_at=message.attempt_started_at,
        ).update(status=status, last_error=reason[:500])
        if not updated:
            return "superseded"
        if given_up:
            logger.warning(
                "message %s failed for good after %s tries", message.pk, message.attempts
            )
        else:
            send_message.using(run_after=timezone.now() + retry_delay(message.attempts)).enqueue(
                message.pk
            )
    return status


def retry_interrupted(now: datetime) -> int:
    """Count each attempt whose worker died mid-delivery (still "sending" past the task timeout)
    as failed, so the message is retried or, after its last attempt, shown as failed."""
    reason = (
        f"WorkerLost: the delivery did not finish within {settings.TASK_TIMEOUT_SECONDS} s;"
        " the worker stopped while sending"
    )
    interrupted = Message.objects.interrupted(now).only("pk", "attempts", "attempt_started_at")
    return sum(attempt_failed(message, reason) != "superseded" for message in interrupted)


@task()
def send_reminder(appointment_id: int, start_iso: str) -> str:
    """Queue the reminder, unless the appointment was cancelled or moved since."""
    appointment = Appointment.objects.select_related("office").filter(pk=appointment_id).first()
    if (
        appointment is None
        or appointment.status != AppointmentStatus.CONFIRMED
        or appointment.start != datetime.fromisoformat(start_iso)
    ):
        return "obsolete"
    configuration = selectors.office_configuration(appointment.office_id, include_inactive=True)
    messages_off = configuration.messages_off if configuration is not None else frozenset()
    if is_wanted(appointment, MessageKind.REMINDER, messages_off=messages_off):
        with transaction.atomic():
            queue_message(appointment, MessageKind.REMINDER)
    return "queued"
