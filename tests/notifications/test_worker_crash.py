"""A worker killed in the middle of a delivery loses no e-mail.

A real ``amtstermin worker`` sends to an aiosmtpd server that holds the first DATA unanswered;
while it waits, the worker is killed with SIGKILL. A second worker, with a short task timeout,
takes the dead worker's task and message up again. Everything runs on the test database
(hence ``transaction=True``); nothing is mocked.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import TypeVar

import pytest
from django.db.models import QuerySet
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from amtstermin.booking import services
from amtstermin.booking.demand import resolve_demand
from amtstermin.notifications import outbox
from amtstermin.notifications.models import Message, MessageStatus
from amtstermin.notifications.tasks import send_message
from tests.factories import small_office
from tests.live_server import free_port, wait_until_alone_in_database
from tests.notifications.live_mail import SmtpServer, Worker, environment, start_worker

DEADLINE_SECONDS = 20.0  # for any one thing to happen
SHORT_TIMEOUT = {"AMTSTERMIN_TASK_TIMEOUT_SECONDS": "3", "EMAIL_TIMEOUT": "1"}
T = TypeVar("T")


class Crash:
    """The mail server and the workers of one test; their logs go into a failure's report."""

    def __init__(self) -> None:
        self.smtp = SmtpServer(free_port())
        self.workers: list[Worker] = []

    def start_worker(self, **overrides: str) -> Worker:
        mail = {
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(self.smtp.port),
            "EMAIL_USE_TLS": "0",
            "EMAIL_USE_SSL": "0",
            "AMTSTERMIN_MAIL_RETRY_SECONDS": "1",
        }
        worker = start_worker(environment({**mail, **overrides}))
        self.workers.append(worker)
        return worker

    def wait_for(self, what: str, check: Callable[[], T | None]) -> T:
        deadline = time.monotonic() + DEADLINE_SECONDS
        while not (value := check()):
            if time.monotonic() > deadline:
                logs = "\n".join(
                    f"--- worker {i} ---\n{w.output()}" for i, w in enumerate(self.workers)
                )
                pytest.fail(f"{what}: not within {DEADLINE_SECONDS:g} s\n{logs}")
            time.sleep(0.05)
        return value

    def kill_worker_mid_delivery(self, message: Message) -> None:
        """A worker starts sending ``message``, the server holds the DATA, the worker is killed."""
        self.smtp.mailbox.stall_next()
        first = self.start_worker()
        self.wait_for(
            "the delivery to hang in DATA",
            lambda: (
                self.smtp.mailbox.stalled is not None
                and Message.objects.filter(pk=message.pk, status=MessageStatus.SENDING).exists()
            ),
        )
        first.kill()
        self.smtp.mailbox.release()  # refused, not kept: the server never took that copy

    def all_send_tasks_finished(self) -> bool:
        return not send_tasks().filter(
            status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING]
        )


@pytest.fixture
def crash(transactional_db: None) -> Iterator[Crash]:
    smtp_log = logging.getLogger("mail.log")  # aiosmtpd logs every SMTP command at INFO
    level = smtp_log.level
    smtp_log.setLevel(logging.WARNING)
    harness = Crash()
    harness.smtp.start()
    try:
        yield harness
    finally:
        for worker in harness.workers:
            worker.stop()
            worker.log.close()
        harness.smtp.mailbox.release()  # a held DATA would keep the server from stopping
        harness.smtp.stop()
        smtp_log.setLevel(level)
        wait_until_alone_in_database()  # PostgreSQL: the killed worker's session is gone


def queued_message() -> Message:
    office, svc, _counters = small_office()
    demand = resolve_demand(office=office, pairs=[(svc["id_card"].pk, 1)])
    services.appointment_book(
        demand=demand,
        start=datetime(2026, 12, 7, 7, 0, tzinfo=UTC),
        citizen=services.CitizenDetails(name="Erika Mustermann", email="erika@example.org"),
        now=datetime(2026, 12, 1, 9, 0, tzinfo=UTC),
    )
    return Message.objects.get()


def send_tasks() -> QuerySet[DBTaskResult]:
    return DBTaskResult.objects.filter(task_path=send_message.module_path).order_by("enqueued_at")


@pytest.mark.django_db(transaction=True)
def test_the_mail_of_a_killed_worker_is_delivered_once_by_the_next_worker(crash: Crash) -> None:
    message = queued_message()
    crash.kill_worker_mid_delivery(message)

    crash.start_worker(**SHORT_TIMEOUT)
    crash.wait_for(
        "delivery by the next worker",
        lambda: Message.objects.filter(pk=message.pk, status=MessageStatus.SENT).exists(),
    )
    crash.wait_for("every send task to finish", crash.all_send_tasks_finished)
    (delivered,) = crash.smtp.mailbox.messages()
    held = crash.smtp.mailbox.stalled
    assert held is not None
    assert delivered["Message-ID"] == held["Message-ID"] == message.message_id
    dead_workers_task = send_tasks().first()
    assert dead_workers_task is not None
    assert dead_workers_task.status == TaskResultStatus.SUCCESSFUL
    assert len(dead_workers_task.worker_ids) == 2  # taken up again by the second worker


@pytest.mark.django_db(transaction=True)
def test_a_killed_last_attempt_shows_the_mail_as_failed_and_send_again_delivers_it(
    crash: Crash,
) -> None:
    message = queued_message()
    crash.kill_worker_mid_delivery(message)

    crash.start_worker(**SHORT_TIMEOUT, AMTSTERMIN_MAIL_MAX_ATTEMPTS="1")
    crash.wait_for(
        "the mail to show as failed",
        lambda: Message.objects.filter(pk=message.pk, status=MessageStatus.FAILED).exists(),
    )
    crash.wait_for("every send task to finish", crash.all_send_tasks_finished)
    assert crash.smtp.mailbox.messages() == []

    assert outbox.resend(message)
    crash.wait_for(
        "delivery after 'send again'",
        lambda: Message.objects.filter(pk=message.pk, status=MessageStatus.SENT).exists(),
    )
    crash.wait_for("every send task to finish", crash.all_send_tasks_finished)
    (delivered,) = crash.smtp.mailbox.messages()
    assert delivered["Message-ID"] == message.message_id
