"""Tasks and e-mails whose worker died are taken up again after the task timeout.

The real crash (a worker killed mid-delivery) is in test_worker_crash.py; these tests fix the
clock and set the rows up as a killed worker leaves them.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.test import override_settings
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from pytest_django import Settings

from amtstermin.booking import services
from amtstermin.booking.demand import resolve_demand
from amtstermin.notifications import outbox
from amtstermin.notifications.models import Message, MessageKind, MessageStatus
from amtstermin.notifications.recovery import (
    MAX_RUNS,
    reclaim,
    reclaim_stale_tasks,
    stale_tasks,
    take_up,
)
from amtstermin.notifications.tasks import attempt_failed, send_message
from tests.factories import small_office

TIMEOUT = 600
STARTED = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
LATER = STARTED + timedelta(seconds=TIMEOUT + 1)
LOCMEM = override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _timeout(settings: Settings) -> None:
    settings.TASK_TIMEOUT_SECONDS = TIMEOUT


def queued_message() -> Message:
    office, svc, _counters = small_office()
    demand = resolve_demand(office=office, pairs=[(svc["id_card"].pk, 1)])
    services.appointment_book(
        demand=demand,
        start=datetime(2026, 12, 7, 7, 0, tzinfo=UTC),
        citizen=services.CitizenDetails(name="Erika Mustermann", email="erika@example.org"),
        now=STARTED - timedelta(days=1),
    )
    return Message.objects.get()


def killed_mid_delivery(message: Message, *, attempts: int = 1) -> DBTaskResult:
    """The rows as a worker killed while sending leaves them."""
    Message.objects.filter(pk=message.pk).update(
        status=MessageStatus.SENDING, attempts=attempts, attempt_started_at=STARTED
    )
    task = DBTaskResult.objects.get(task_path=send_message.module_path)
    task.status, task.started_at, task.worker_ids = TaskResultStatus.RUNNING, STARTED, ["dead"]
    task.save()
    return task


def test_a_task_running_past_the_timeout_is_queued_again_and_not_before() -> None:
    task = killed_mid_delivery(queued_message())
    assert reclaim_stale_tasks(STARTED + timedelta(seconds=TIMEOUT - 1)) == 0
    assert reclaim_stale_tasks(LATER) == 1
    task.refresh_from_db()
    assert task.status == TaskResultStatus.READY
    assert DBTaskResult.objects.ready().filter(pk=task.pk).exists()


def test_a_dead_task_is_taken_up_by_one_worker_only() -> None:
    """Two workers both read the dead task before either takes it up; one of them wins."""
    killed_mid_delivery(queued_message())
    (seen_by_first,) = stale_tasks(LATER)
    (seen_by_second,) = stale_tasks(LATER)
    assert [take_up(seen_by_first, LATER), take_up(seen_by_second, LATER)] == [True, False]


def test_a_task_claimed_again_meanwhile_is_not_taken_from_its_new_worker() -> None:
    task = killed_mid_delivery(queued_message())
    (stale,) = stale_tasks(LATER)
    assert take_up(stale, LATER)
    DBTaskResult.objects.filter(pk=task.pk).update(  # a live worker claims it again
        status=TaskResultStatus.RUNNING, started_at=LATER
    )
    assert not take_up(stale, LATER + timedelta(seconds=TIMEOUT + 1))
    task.refresh_from_db()
    assert task.status == TaskResultStatus.RUNNING


def test_a_task_whose_worker_died_each_time_is_marked_failed() -> None:
    task = killed_mid_delivery(queued_message())
    DBTaskResult.objects.filter(pk=task.pk).update(worker_ids=["dead"] * MAX_RUNS)
    assert reclaim_stale_tasks(LATER) == 1
    task.refresh_from_db()
    assert task.status == TaskResultStatus.FAILED and task.finished_at == LATER


def test_an_interrupted_delivery_counts_as_a_failed_attempt_after_the_timeout() -> None:
    message = queued_message()
    killed_mid_delivery(message)
    reclaim(STARTED + timedelta(seconds=TIMEOUT - 1))
    assert Message.objects.get().status == MessageStatus.SENDING
    reclaim(LATER)
    message.refresh_from_db()
    assert message.status == MessageStatus.QUEUED and message.attempts == 1
    assert message.last_error.startswith("WorkerLost")
    waiting = DBTaskResult.objects.filter(
        task_path=send_message.module_path, status=TaskResultStatus.READY
    )
    assert waiting.count() == 2  # the dead task again, and the retry after the back-off


def test_an_interrupted_last_attempt_fails_the_message_and_send_again_queues_it() -> None:
    message = queued_message()
    with override_settings(MAIL_MAX_ATTEMPTS=2):
        killed_mid_delivery(message, attempts=2)
        reclaim(LATER)
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED
    assert Message.objects.undelivered(LATER).filter(pk=message.pk).exists()
    assert outbox.resend(message)
    message.refresh_from_db()
    assert (message.status, message.attempts, message.last_error) == (MessageStatus.QUEUED, 0, "")


def test_an_interrupted_message_can_be_sent_again_when_no_worker_took_it_up() -> None:
    message = queued_message()
    killed_mid_delivery(message)
    assert Message.objects.undelivered(LATER).get().interrupted
    with override_settings(TASK_TIMEOUT_SECONDS=1):  # the real clock is far past STARTED
        assert outbox.resend(message)
    message.refresh_from_db()
    assert message.status == MessageStatus.QUEUED


def test_the_late_failure_of_an_attempt_already_counted_as_interrupted_changes_nothing() -> None:
    message = queued_message()
    killed_mid_delivery(message)
    stale = Message.objects.get()
    reclaim(LATER)
    assert attempt_failed(stale, "SMTPServerDisconnected: too late") == "superseded"
    message.refresh_from_db()
    assert message.last_error.startswith("WorkerLost")


@LOCMEM
def test_every_send_of_a_message_carries_its_stored_message_id() -> None:
    message = queued_message()
    assert send_message.call(message.pk) == "sent"
    assert outbox.resend(message)
    assert send_message.call(message.pk) == "sent"
    first, second = (sent.message() for sent in mail.outbox)
    assert first["Message-ID"] == second["Message-ID"] == message.message_id
    other = Message.objects.create(appointment=message.appointment, kind=MessageKind.REMINDER)
    assert other.message_id != message.message_id  # each message its own
