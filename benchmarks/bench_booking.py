"""Time and queries of one booking and one cancellation through the API, in process.

A fresh data directory with the demo office (SQLite, or the database ``DATABASE_URL`` names,
which must be empty), Django's test client, no network: the figures show what the code costs,
apart from gunicorn and wrk. ``bench_http.py`` measures the served API.

For scale, the same rows are then written with no rule checked and no HTTP ("rows only": the
appointment, its line, the e-mail, its task, the expiry task and the version bump in one
transaction, then the cancellation, its e-mail and task): the least a booking can cost with
Django's ORM and django-tasks' ``enqueue``. One office's bookings are written one at a time (the
SQLite write lock, the PostgreSQL office lock), so 1 / (its mean time) bounds their rate.

``--history N`` first stores N past appointments on the office's counters (an office after a few
years: 50 a day for five years is about 60,000), to show that a booking and the release of lapsed
holds do not slow down as they accumulate.

It also counts the SQL statements run while the office's write lock is held, for one booking and
one cancellation (``lock_probe.py``: from the statement that takes the lock to the commit);
``--show-locked`` lists them.

Run: ``.venv/bin/python benchmarks/bench_booking.py [--count 100] [--history 60000]
[--show-locked]``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=100, help="bookings (and cancellations)")
    parser.add_argument("--history", type=int, default=0, help="past appointments stored first")
    parser.add_argument(
        "--show-locked", action="store_true", help="list the statements run under the lock"
    )
    args = parser.parse_args()
    os.environ.update(
        AMTSTERMIN_DATA_DIR=tempfile.mkdtemp(prefix="amtstermin-bench-"),
        AMTSTERMIN_HTTPS="0",
        AMTSTERMIN_API_BOOKING_LIMIT_PER_HOUR="0",
        AMTSTERMIN_API_REQUIRE_PROOF_OF_WORK="0",  # bench_bot.py measures the proof of work
        DJANGO_SETTINGS_MODULE="amtstermin.settings",
    )
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    call_command("migrate", verbosity=0)
    call_command("load_demo", verbosity=0)
    store_history(args.history)
    client = Client(HTTP_HOST="127.0.0.1")
    office = client.get("/api/v1/offices").json()[0]["id"]
    service = client.get(f"/api/v1/offices/{office}/services").json()[0]["id"]
    today = datetime.now(ZoneInfo("Europe/Berlin")).date()  # the demo office's zone
    days = client.get(
        f"/api/v1/offices/{office}/availability?services={service}:1"
        f"&from={today + timedelta(days=3)}&to={today + timedelta(days=30)}"
    ).json()["days"]
    starts = [f"{day['date']}T{t}" for day in days for t in day["times"][::4]]
    if len(starts) < args.count + 2:
        sys.exit(f"only {len(starts)} free times; ask for fewer")

    def book(start: str) -> str:
        body = {
            "office_id": office,
            "services": [{"service_id": service, "persons": 1}],
            "start": start,
            "name": "Bench Mark",
            # Another person each time: one person may hold only a few (the per-person limit).
            "email": "b" + "".join(char for char in start if char.isdigit()) + "@example.org",
        }
        response = client.post("/api/v1/appointments", json.dumps(body), "application/json")
        assert response.status_code == 201, response.content
        return str(response.json()["token"])

    def cancel(token: str) -> None:
        assert client.delete(f"/api/v1/appointments/{token}").status_code == 204

    cancel(book(starts[-1]))  # warm: the configuration and e-mail settings are cached now
    # Queries counted apart: capturing them slows every query down.
    queries: dict[str, int] = {"healthz": 1}
    with CaptureQueriesContext(connection) as captured:
        token = book(starts[-2])
    queries["book"] = len(captured)
    with CaptureQueriesContext(connection) as captured:
        cancel(token)
    queries["cancel"] = len(captured)
    locked = count_locked_statements(book, cancel, starts[-3], show=args.show_locked)

    timings: dict[str, list[float]] = {"healthz": [], "book": [], "cancel": []}
    tokens = []
    for start in starts[: args.count]:
        began = time.perf_counter()
        client.get("/healthz")
        timings["healthz"].append(time.perf_counter() - began)
        began = time.perf_counter()
        tokens.append(book(start))
        timings["book"].append(time.perf_counter() - began)
    for token in tokens:
        began = time.perf_counter()
        cancel(token)
        timings["cancel"].append(time.perf_counter() - began)
    print(
        f"database {connection.vendor}, {args.history} past appointments, {args.count} each,"
        " median ms (queries per request)"
    )
    for name, values in timings.items():
        print(f"{name:8} {statistics.median(values) * 1000:7.2f} ({queries.get(name, 1)})")
    print(f"under the office lock: {locked} statements between taking it and the commit")
    release_lapsed(args.count)
    rows_only(args.count)


def count_locked_statements(
    book: Callable[[str], str], cancel: Callable[[str], None], start: str, *, show: bool
) -> str:
    """Statements run under the office's write lock by one booking and its cancellation."""
    from lock_probe import locked_statements

    with locked_statements() as booking:
        token = book(start)
    with locked_statements() as cancellation:
        cancel(token)
    if show:
        for name, probe in (("book", booking), ("cancel", cancellation)):
            for number, statements in enumerate(probe.locks, 1):
                print(f"{name}, lock {number}: {len(statements)} statements, then the commit")
                for sql in statements:
                    print(f"    {' '.join(sql.split())[:150]}")
    return f"book {booking.counts()}, cancel {cancellation.counts()}"


def release_lapsed(count: int) -> None:
    """The expiry task's work, queued for every hold and unconfirmed booking."""
    from amtstermin.booking import housekeeping
    from amtstermin.booking.models import Office

    office_id = Office.objects.get().pk
    timings = []
    for _ in range(count):
        began = time.perf_counter()
        housekeeping.release_lapsed(office_id=office_id)
        timings.append(time.perf_counter() - began)
    print(f"release lapsed holds: {statistics.median(timings) * 1000:.2f} (1)")


def rows_only(count: int) -> None:
    """Write a booking's and a cancellation's rows ``count`` times, as ``booking.services`` does
    but with no rule checked; print the medians and the rate they allow under one lock."""
    import secrets

    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from amtstermin.booking import availability_cache, write_queue
    from amtstermin.booking.locking import _lock_office
    from amtstermin.booking.models import (
        Appointment,
        AppointmentLine,
        AppointmentStatus,
        Channel,
        Office,
    )
    from amtstermin.booking.tasks import release_lapsed
    from amtstermin.notifications.models import Message, MessageKind
    from amtstermin.notifications.tasks import send_message

    office = Office.objects.get()
    counter = office.counters.first()
    service = office.services.first()
    now = timezone.now()
    first = now + timedelta(days=500)  # beyond any booking, so nothing clashes

    def book(number: int) -> Appointment:
        start = first + timedelta(minutes=10 * number)
        with write_queue.turn(), transaction.atomic(durable=True):
            _lock_office(office)
            appointment = Appointment(
                office=office,
                counter=counter,
                start=start,
                end=start + timedelta(minutes=10),
                status=AppointmentStatus.PENDING,
                code=secrets.token_hex(4).upper(),
                token_hash=secrets.token_hex(32),
                channel=Channel.ONLINE,
                citizen_name="Bench Mark",
                email="bench@example.org",
                pending_until=now + timedelta(hours=1),
            )
            appointment.save(force_insert=True)
            AppointmentLine.objects.bulk_create(
                [AppointmentLine(appointment=appointment, service=service, persons=1)]
            )
            message = Message.objects.create(
                appointment=appointment, kind=MessageKind.CONFIRM_REQUEST
            )
            send_message.enqueue(message.pk)
            release_lapsed.using(run_after=appointment.pending_until).enqueue(office.pk)
            availability_cache.bump(office.pk)
        return appointment

    def cancel(appointment: Appointment) -> None:
        with write_queue.turn(), transaction.atomic(durable=True):
            _lock_office(office)
            Appointment.objects.filter(pk=appointment.pk, status=AppointmentStatus.PENDING).update(
                status=AppointmentStatus.CANCELLED, cancelled_at=now
            )
            message = Message.objects.create(appointment=appointment, kind=MessageKind.CANCELLED)
            send_message.enqueue(message.pk)
            availability_cache.bump(office.pk)

    with CaptureQueriesContext(connection) as captured:
        cancel(book(count))
    timings: dict[str, list[float]] = {"book": [], "cancel": []}
    for number in range(count):
        began = time.perf_counter()
        appointment = book(number)
        timings["book"].append(time.perf_counter() - began)
        began = time.perf_counter()
        cancel(appointment)
        timings["cancel"].append(time.perf_counter() - began)
    book_ms, cancel_ms = (statistics.median(timings[name]) * 1000 for name in ("book", "cancel"))
    print(
        f"rows only ({len(captured)} queries for both): book {book_ms:.2f}, cancel {cancel_ms:.2f}"
    )
    print(f"  at most {2000 / (book_ms + cancel_ms):.0f} such writes per second for one office")


def store_history(count: int) -> None:
    """``count`` completed appointments before today, spread over the demo office's counters."""
    from django.utils import timezone

    from amtstermin.booking.models import Appointment, AppointmentStatus, Channel, Counter

    counters = list(Counter.objects.all())
    latest = timezone.now().replace(microsecond=0) - timedelta(days=1)
    rows = []
    for number in range(count):
        start = latest - timedelta(minutes=30 * (number // len(counters)))
        rows.append(
            Appointment(
                office_id=counters[0].office_id,
                counter=counters[number % len(counters)],
                start=start,
                end=start + timedelta(minutes=20),
                status=AppointmentStatus.COMPLETED,
                code=f"H{number:07d}",
                token_hash=f"history-{number}",
                channel=Channel.ONLINE,
            )
        )
    Appointment.objects.bulk_create(rows, batch_size=2000)


if __name__ == "__main__":
    main()
