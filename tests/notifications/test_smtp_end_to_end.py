"""E-mail end to end: a real SMTP server, a live gunicorn and a real ``amtstermin worker``.

Everything runs against the pytest-django test database (hence ``transaction=True``): the API
books, the worker sends through SMTP to an in-process aiosmtpd server, the link in the mail is
followed against the live server. Nothing is mocked between the booking and the mailbox.
When a test fails, the worker's and gunicorn's output is printed into the report.
"""

from __future__ import annotations

import itertools
import json
import logging
import re
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock
from email.message import EmailMessage
from typing import Any, TypeVar

import pytest
from django.utils import timezone, translation
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from icalendar import Calendar

from amtstermin.booking.demand import resolve_demand
from amtstermin.booking.models import Office
from amtstermin.booking.visit import visit_summary
from amtstermin.notifications.models import Message, MessageKind, MessageStatus
from tests.factories import small_office
from tests.live_server import Server, free_port, launch, wait_until_alone_in_database
from tests.notifications.live_mail import SmtpServer, Worker, environment, start_worker

DEADLINE_SECONDS = 25.0  # for any one thing to happen; each test stays well below 40 s
RETRY_SECONDS = 1  # AMTSTERMIN_MAIL_RETRY_SECONDS: retries after 1 s, 4 s, 16 s ...
CITIZEN_EMAIL = "erika@example.org"
T = TypeVar("T")


@dataclass
class Stack:
    smtp: SmtpServer
    server: Server
    worker: Worker

    @property
    def base_url(self) -> str:
        return self.server.base_url

    def logs(self) -> str:
        subjects = [subject_of(m) for m in self.smtp.mailbox.messages()]
        return (
            f"--- mails received: {subjects}\n"
            f"--- worker log (exit {self.worker.process.poll()}) ---\n{self.worker.output()}\n"
            f"--- gunicorn log ({self.base_url}) ---\n{self.server.output()}"
        )

    def wait_for(self, what: str, check: Callable[[], T | None]) -> T:
        """Poll ``check`` until it returns something true; fail with the logs at the deadline."""
        deadline = time.monotonic() + DEADLINE_SECONDS
        while True:
            value = check()
            if value:
                return value
            for name, process in (
                ("worker", self.worker.process),
                ("gunicorn", self.server.process),
            ):
                if process.poll() is not None:
                    pytest.fail(f"the {name} exited while waiting for {what}\n{self.logs()}")
            if time.monotonic() > deadline:
                pytest.fail(f"{what}: not within {DEADLINE_SECONDS:g} s\n{self.logs()}")
            time.sleep(0.05)


@pytest.fixture
def stack(transactional_db: None) -> Iterator[Stack]:
    """SMTP server (not started: each test decides), gunicorn and worker, all stopped after the
    test and before pytest-django empties the database."""
    smtp_log = logging.getLogger("mail.log")  # aiosmtpd logs every SMTP command at INFO
    smtp_log_level = smtp_log.level
    smtp_log.setLevel(logging.WARNING)
    smtp = SmtpServer(free_port())
    mail = {
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp.port),
        "EMAIL_USE_TLS": "0",
        "EMAIL_USE_SSL": "0",
        "EMAIL_TIMEOUT": "5",
        "AMTSTERMIN_MAIL_RETRY_SECONDS": str(RETRY_SECONDS),
    }
    server = launch(mail)  # the web process sends no mail itself; it gets the same settings
    worker = start_worker(environment({**mail, "AMTSTERMIN_BASE_URL": server.base_url}))
    live = Stack(smtp=smtp, server=server, worker=worker)
    try:
        yield live
    finally:
        worker.stop()
        # pytest shows this teardown output only in the report of a failed test.
        print(live.logs())
        worker.log.close()
        server.stop()
        smtp.stop()
        smtp_log.setLevel(smtp_log_level)
        wait_until_alone_in_database()  # PostgreSQL: the killed processes' sessions are gone


# --- Helpers ----------------------------------------------------------------------------------


def call_api(method: str, url: str, body: object | None = None) -> tuple[int, Any]:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(
        url,
        data=data,
        method=method,
        headers={"Content-Type": "application/json", "Accept-Language": "en"},
    )
    try:
        with urllib.request.urlopen(request, timeout=15) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def bookable_weekday(office: Office) -> date:
    """A weekday two or more days ahead that is no public holiday: inside lead time and
    horizon, by the real clock the server and the worker use."""
    day = timezone.now().astimezone(office.zone).date() + timedelta(days=2)
    closed = office.public_holidays(range(day.year, day.year + 2))
    while day.weekday() >= 5 or day in closed:
        day += timedelta(days=1)
    return day


@dataclass(frozen=True)
class Booked:
    office: Office
    start: datetime
    code: str
    token: str
    lines: list[tuple[int, int]]


def book_family_visit(base_url: str) -> Booked:
    """One ID card and a registration of four persons, booked online through the API."""
    office, svc, _counters = small_office()
    office.require_email_confirmation = True
    office.save(update_fields=["require_email_confirmation"])
    start = datetime.combine(bookable_weekday(office), clock(9, 0), tzinfo=office.zone)
    lines = [(svc["id_card"].pk, 1), (svc["registration"].pk, 4)]
    status, body = call_api(
        "POST",
        f"{base_url}/api/v1/appointments",
        {
            "office_id": office.pk,
            "services": [{"service_id": pk, "persons": persons} for pk, persons in lines],
            "start": start.strftime("%Y-%m-%dT%H:%M"),
            "name": "Erika Mustermann",
            "email": CITIZEN_EMAIL,
        },
    )
    assert status == 201, body
    assert body["status"] == "pending"
    return Booked(office=office, start=start, code=body["code"], token=body["token"], lines=lines)


def subject_of(message: EmailMessage) -> str:
    # Python folds a long encoded subject onto the next line ("Subject: \n =?utf-8?q?...");
    # the parser keeps that folding space.
    return str(message["subject"]).strip()


def mails_with_subject(smtp: SmtpServer, prefix: str) -> list[EmailMessage]:
    return [m for m in smtp.mailbox.messages() if subject_of(m).startswith(prefix)]


def text_of(message: EmailMessage) -> str:
    body = message.get_body(preferencelist=("plain",))
    assert body is not None, "no text/plain part"
    return str(body.get_content())


def calendar_parts(message: EmailMessage) -> list[EmailMessage]:
    return [part for part in message.walk() if part.get_content_type() == "text/calendar"]


def send_tasks() -> list[DBTaskResult]:
    return [
        task
        for task in DBTaskResult.objects.order_by("enqueued_at")
        if task.task_path.endswith(".send_message")
    ]


# --- The tests --------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_booking_by_api_mails_a_link_whose_click_confirms_and_mails_the_calendar_entry(
    stack: Stack,
) -> None:
    stack.smtp.start()
    booked = book_family_visit(stack.base_url)

    # 1. The worker sends the "please confirm" mail; its link is the appointment's own.
    (request,) = stack.wait_for(
        "the confirmation request", lambda: mails_with_subject(stack.smtp, "Please confirm")
    )
    assert request["to"] == CITIZEN_EMAIL
    request_text = text_of(request)
    assert "NOT booked" in request_text
    assert calendar_parts(request) == []  # nothing to put in a calendar before it is booked
    link = re.search(rf"{re.escape(stack.base_url)}/confirm/[A-Za-z0-9_-]+/", request_text)
    assert link, request_text
    assert link.group(0) == f"{stack.base_url}/confirm/{booked.token}/"

    # 2. Following the link opens the manage page and changes nothing (a mail scanner may
    # follow it); the button on that page confirms.
    browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())
    with browser.open(link.group(0), timeout=15) as response:
        assert response.status == 200
        assert response.url == f"{stack.base_url}/manage/{booked.token}/"
        page = response.read().decode()
    status, body = call_api("GET", f"{stack.base_url}/api/v1/appointments/{booked.token}")
    assert status == 200 and body["status"] == "pending"
    form = re.search(
        r'action="(/confirm/[^"]+/)".*?name="csrfmiddlewaretoken" value="([^"]+)"', page, re.S
    )
    assert form, page
    press = urllib.request.Request(
        stack.base_url + form.group(1),
        data=f"csrfmiddlewaretoken={form.group(2)}".encode(),
        headers={"Referer": response.url},
        method="POST",
    )
    with browser.open(press, timeout=15) as pressed:
        assert pressed.url == f"{stack.base_url}/manage/{booked.token}/"
    status, body = call_api("GET", f"{stack.base_url}/api/v1/appointments/{booked.token}")
    assert status == 200 and body["status"] == "confirmed"

    # 3. The booked mail carries the calendar entry and the merged checklist.
    (confirmed,) = stack.wait_for(
        "the booked mail", lambda: mails_with_subject(stack.smtp, "Your appointment is booked")
    )
    assert confirmed["to"] == CITIZEN_EMAIL
    (ics,) = calendar_parts(confirmed)
    assert ics.get_filename() == "termin.ics"
    (event,) = Calendar.from_ical(ics.get_content()).walk("VEVENT")
    assert event.decoded("dtstart").astimezone(UTC) == booked.start.astimezone(UTC)
    assert str(event["uid"]) == f"{booked.code}@amtstermin"
    assert str(event["location"]) == f"{booked.office.name}, {booked.office.address}"

    text = text_of(confirmed)
    assert booked.code in text
    assert "- 4 × ID card" in text  # the registration's four persons, merged with the ID card
    demand = resolve_demand(office=booked.office, pairs=booked.lines)
    with translation.override("en"):
        expected = [f"- {item.count} × {item.name}" for item in visit_summary(demand).checklist]
    assert [line for line in text.splitlines() if line.startswith("- ")] == expected
    qr = [p for p in confirmed.walk() if p.get_content_type() == "image/png"]
    assert [p["Content-ID"] for p in qr] == ["<booking-code>"]

    # Each mail went out once, at the first attempt. The worker records "sent" just after the
    # server took the mail, so wait until it has (under load the test can read it in between).
    stack.wait_for(
        "both mails recorded as sent",
        lambda: (
            Message.objects.filter(appointment__code=booked.code, status=MessageStatus.SENT).count()
            == 2
        ),
    )
    sent = Message.objects.filter(appointment__code=booked.code).order_by("created_at", "pk")
    assert [(m.kind, m.status, m.attempts) for m in sent] == [
        (MessageKind.CONFIRM_REQUEST, MessageStatus.SENT, 1),
        (MessageKind.CONFIRMED, MessageStatus.SENT, 1),
    ]
    assert len(stack.smtp.mailbox.messages()) == 2


@pytest.mark.django_db(transaction=True)
def test_a_mail_server_that_is_down_gets_the_mail_later_exactly_once(stack: Stack) -> None:
    # The mail server runs, then goes away before anything is booked.
    stack.smtp.start()
    stack.smtp.stop()
    booked = book_family_visit(stack.base_url)

    # The worker's first attempt fails; the failure is recorded and a retry is waiting.
    failed = stack.wait_for(
        "a failed delivery attempt",
        lambda: (
            Message.objects.filter(appointment__code=booked.code).exclude(last_error="").first()
        ),
    )
    assert failed.kind == MessageKind.CONFIRM_REQUEST
    assert failed.attempts >= 1
    assert failed.status in (MessageStatus.QUEUED, MessageStatus.SENDING)  # not given up
    assert "ConnectionRefusedError" in failed.last_error
    assert stack.smtp.mailbox.messages() == []

    # The mail server comes back on the same port: the retry delivers.
    stack.smtp.start()
    sent = stack.wait_for(
        "delivery after the mail server came back",
        lambda: Message.objects.filter(
            appointment__code=booked.code, status=MessageStatus.SENT
        ).first(),
    )
    assert sent.pk == failed.pk and sent.attempts >= 2
    # No send is left waiting or running, so nothing more can arrive ...
    stack.wait_for(
        "the last send task to finish",
        lambda: all(
            task.status not in (TaskResultStatus.READY, TaskResultStatus.RUNNING)
            for task in send_tasks()
        ),
    )
    # ... and exactly one mail arrived.
    (delivered,) = stack.smtp.mailbox.messages()
    assert subject_of(delivered).startswith("Please confirm")
    assert f"/confirm/{booked.token}/" in text_of(delivered)

    # One task per attempt; every retry waited its backoff (1 s, then 4 s, ...).
    tasks = send_tasks()
    assert len(tasks) == sent.attempts
    for attempt, (previous, retry) in enumerate(itertools.pairwise(tasks), start=1):
        assert previous.started_at is not None and retry.started_at is not None
        backoff = timedelta(seconds=RETRY_SECONDS * 4 ** (attempt - 1))
        assert retry.run_after - previous.started_at >= backoff
        assert retry.started_at >= retry.run_after
