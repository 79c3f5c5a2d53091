"""Statements and time of one poll of the live ticket page (``/t/<token>/status.json``).

An office with six counters open weekdays 07:00-18:00 and eight services; four weeks of served
walk-in numbers before the day (``--per-day`` a working day, one or two services each), and on
the day, a Tuesday at 10:00: numbers waiting and at counters, and booked appointments still to
come. The ticket page of the last number waiting is then polled through Django's test client
(no network), as ``ticket.js`` does every 20 seconds. Reported: the statements of one poll, the
first poll's time (shared cache empty) and the median of the next ones.

A fresh test database (SQLite in memory, or one beside the PostgreSQL database ``DATABASE_URL``
names); the cache is Redis with ``REDIS_URL``, otherwise the process's own.

Run: ``.venv/bin/python benchmarks/bench_ticket_poll.py [--per-day 150] [--polls 50]``.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from datetime import time as wall_time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from amtstermin.booking.models import Office, Ticket

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)  # Tuesday 10:00 in Berlin


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--per-day", type=int, default=150, help="served numbers a working day")
    parser.add_argument("--polls", type=int, default=50, help="polls measured after the first")
    parser.add_argument("--waiting", type=int, default=25, help="walk-ins waiting on the day")
    args = parser.parse_args()
    os.environ.setdefault("AMTSTERMIN_DATA_DIR", tempfile.mkdtemp(prefix="amtstermin-poll-"))
    os.environ.setdefault("AMTSTERMIN_HTTPS", "0")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "amtstermin.settings")
    import django

    django.setup()
    import time_machine
    from django.conf import settings
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["*"]
    name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        cache.clear()
        with time_machine.travel(NOW, tick=False):
            office, token, tickets = _office(args.per_day, args.waiting)
            print(
                f"{connection.vendor}, cache {settings.CACHES['default']['BACKEND'].split('.')[-1]}"
                f": {tickets} served numbers in 28 days before {NOW.date()}, "
                f"{args.waiting} waiting, office {office.pk}"
            )
            client = Client()
            url = f"/t/{token}/status.json"
            cache.clear()  # the first poll measures the service times again
            times, cpu = [], []
            for n in range(args.polls + 1):
                with CaptureQueriesContext(connection) as captured:
                    started, used = time.perf_counter(), time.process_time()
                    response = client.get(url)
                    times.append(time.perf_counter() - started)
                    cpu.append(time.process_time() - used)
                assert response.status_code == 200, response.content
                if n in (0, 1):
                    which = "first poll (shared cache empty)" if n == 0 else "every later poll"
                    print(
                        f"{which}: {len(captured)} statements, {times[-1] * 1000:.1f} ms"
                        f" (CPU {cpu[-1] * 1000:.1f} ms)"
                    )
            state = response.json()
            print(
                f"median of {args.polls} later polls: {statistics.median(times[1:]) * 1000:.1f} ms"
                f" (CPU {statistics.median(cpu[1:]) * 1000:.1f} ms; position {state['position']},"
                f" wait {state['wait_low']}-{state['wait_high']} min)"
            )
    finally:
        connection.creation.destroy_test_db(name, verbosity=0)


def _office(per_day: int, waiting: int) -> tuple[Office, str, int]:
    from amtstermin.booking import desk
    from amtstermin.booking.models import (
        Appointment,
        AppointmentStatus,
        Channel,
        Counter,
        Office,
        OpeningHours,
        Service,
        Ticket,
        TicketStatus,
    )

    rng = random.Random(13)
    office = Office.objects.create(
        name="Bench", street="x", postal_code="1", city="x", federal_state="NW"
    )
    services = [
        Service.objects.create(office=office, name=f"Service {n}", first_person_minutes=m,
                               per_person_minutes=m // 2, max_persons=3)
        for n, m in enumerate((15, 20, 30, 10, 15, 5, 10, 25), start=1)
    ]  # fmt: skip
    counters = []
    for n in range(6):
        counter = Counter.objects.create(office=office, name=f"Schalter {n + 1}")
        counter.services.set(services)
        OpeningHours.objects.bulk_create(
            OpeningHours(counter=counter, weekday=day, start=wall_time(7), end=wall_time(18))
            for day in range(5)
        )
        counters.append(counter)
    today = NOW.astimezone(office.zone).date()
    history: list[tuple[Ticket, list[Service]]] = []
    for back in range(1, 29):
        day = today - timedelta(days=back)
        if day.weekday() >= 5:
            continue
        for number in range(1, per_day + 1):
            drawn = _at(day, 7, office) + timedelta(minutes=rng.randint(0, 600))
            called = drawn + timedelta(minutes=rng.randint(1, 40))
            chosen = rng.sample(services, 1 if rng.random() < 0.85 else 2)
            minutes = sum(s.first_person_minutes for s in chosen)
            served = Ticket(
                office=office,
                day=day,
                prefix=Ticket.WALK_IN_PREFIX,
                number=number,
                status=TicketStatus.DONE,
                counter=rng.choice(counters),
                minutes=minutes,
                created_at=drawn,
                called_at=called,
                first_called_at=called,
                finished_at=called + timedelta(seconds=rng.gauss(minutes * 60, minutes * 15)),
                call_count=1,
            )
            history.append((served, chosen))
    Ticket.objects.bulk_create([served for served, _chosen in history], batch_size=2000)
    through = Ticket.services.through
    through.objects.bulk_create(
        (
            through(ticket_id=served.pk, service_id=service.pk)
            for served, chosen in history
            for service in chosen
        ),
        batch_size=2000,
    )
    # The day: booked appointments still to come, numbers at counters and waiting.
    for index, counter in enumerate(counters):
        start = _at(today, 10, office) + timedelta(minutes=20 + 5 * index)
        for n in range(10):
            Appointment.objects.create(
                office=office,
                counter=counter,
                start=start,
                end=start + timedelta(minutes=15),
                status=AppointmentStatus.CONFIRMED,
                code=f"B{index}{n:05d}",
                token_hash=f"bench-{index}-{n}",
                channel=Channel.ONLINE,
            )
            start += timedelta(minutes=60)
    ticket = None
    for n in range(len(counters) - 2 + waiting):
        ticket = desk.ticket_issue(office=office, services=rng.sample(services, 1), now=NOW)
        if n < len(counters) - 2:  # four counters are serving someone
            Ticket.objects.filter(pk=ticket.pk).update(
                status=TicketStatus.CALLED, counter=counters[n], called_at=NOW
            )
    assert ticket is not None
    return office, ticket.page_token, len(history)


def _at(day: date, hour: int, office: Office) -> datetime:
    from amtstermin.booking.localtime import instant_from_wall

    return instant_from_wall(datetime.combine(day, wall_time(hour)), office.zone)


if __name__ == "__main__":
    main()
