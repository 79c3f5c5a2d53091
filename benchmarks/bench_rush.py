"""The release rush: 500 booking attempts at one office within one second.

When a town opens a new month, hundreds of citizens press "book" in the same second. This
benchmark builds an office whose newly opened day has an exactly known capacity: ``--counters``
counters open 08:00-14:00, a 30-minute grid and one 30-minute service, so the day has
``counters x 12`` bookable (counter, start) pairs (120 by default) and no booking can block more
or less than one of them. It serves the office with gunicorn (``--workers`` sync workers, warmed
up first), then ``--processes`` client processes fire ``--attempts`` pre-built
``POST /api/v1/appointments`` requests at it, one every ``1 / attempts`` seconds from a common
start time, spread round-robin over the day's twelve start times, each from its own connection
and without waiting for earlier answers. Rate limits are off
(``AMTSTERMIN_API_BOOKING_LIMIT_PER_HOUR=0``).

It reports the latency of every attempt (from its send to the end of its answer: p50, p99, max),
the answers (201, 409, anything else, 5xx), timeouts (``--timeout`` seconds), and checks in the
database that the active appointments of the day equal the 201 answers and the capacity, and
that none overlap on a counter. Each round rushes a day of its own. Goal: p99 under 2 s.

Run (SQLite, files in a temporary directory):
    .venv/bin/python benchmarks/bench_rush.py
PostgreSQL and Redis (creates and drops the database the URL names):
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/amtstermin_rush \\
    REDIS_URL=redis://127.0.0.1:6379/5 .venv/bin/python benchmarks/bench_rush.py
``make bench-rush`` runs SQLite, and PostgreSQL too when ``DATABASE_URL`` is set. Only
127.0.0.1 is addressed; every run is bounded in count and time.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from collections import Counter
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

FIRST_START, LAST_START = 8 * 60, 13 * 60 + 30  # twelve 30-minute starts, 08:00 to 13:30
STARTS = [f"{m // 60:02d}:{m % 60:02d}" for m in range(FIRST_START, LAST_START + 1, 30)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--attempts", type=int, default=500)
    parser.add_argument("--counters", type=int, default=10)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--processes", type=int, default=16, help="client processes")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=30.0)
    args = parser.parse_args()
    temp = Path(tempfile.mkdtemp(prefix="amtstermin-rush-"))
    server_url = os.environ.get("DATABASE_URL", "")
    database_url = f"sqlite:///{temp}/rush.sqlite3"
    if server_url.startswith(("postgres://", "postgresql://")):
        database_url = server_url
        _pg_admin(server_url, "DROP DATABASE IF EXISTS {} WITH (FORCE)")
        _pg_admin(server_url, "CREATE DATABASE {}")
    os.environ.update(
        DATABASE_URL=database_url,
        AMTSTERMIN_DATA_DIR=str(temp),
        AMTSTERMIN_HTTPS="0",
        AMTSTERMIN_API_BOOKING_LIMIT_PER_HOUR="0",
        AMTSTERMIN_API_REQUIRE_PROOF_OF_WORK="0",  # bench_bot.py measures the proof of work
        DEBUG="0",
        DJANGO_SETTINGS_MODULE="amtstermin.settings",
    )
    try:
        rush(args, temp)
    finally:
        shutil.rmtree(temp, ignore_errors=True)
        if database_url == server_url:
            _pg_admin(server_url, "DROP DATABASE IF EXISTS {} WITH (FORCE)")


def _pg_admin(url: str, sql: str) -> None:
    import psycopg

    name = urllib.parse.urlsplit(url).path.lstrip("/")
    admin = urllib.parse.urlsplit(url)._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(sql.format(f'"{name}"'))


def rush(args: argparse.Namespace, temp: Path) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    call_command("migrate", verbosity=0)
    office_id, service_id, days = create_office(args.counters, args.rounds)
    capacity = args.counters * len(STARTS)
    connections.close_all()  # before gunicorn and the client processes fork
    port = _free_port()
    server = subprocess.Popen(
        [
            *(sys.executable, "-m", "gunicorn", "amtstermin.wsgi", "--workers", str(args.workers)),
            *("--bind", f"127.0.0.1:{port}", "--preload", "--timeout", "120"),
            *("--no-control-socket", "--log-level", "warning"),
        ],
        env=os.environ.copy(),
        start_new_session=True,
    )
    try:
        warm_up(port, office_id, service_id, days[0], args.workers)
        database = "PostgreSQL + Redis" if "postgres" in os.environ["DATABASE_URL"] else "SQLite"
        if database.startswith("PostgreSQL") and not os.environ.get("REDIS_URL"):
            database = "PostgreSQL"
        print(
            f"{database}, gunicorn {args.workers} sync workers, {args.processes} client "
            f"processes, {args.attempts} attempts in 1 s over {capacity} free (counter, start) "
            f"pairs of one day; nproc {os.cpu_count()}, load average "
            f"{', '.join(f'{x:.1f}' for x in os.getloadavg())}"
        )
        # Attempts go round-robin over the starts; each start takes one booking per counter.
        per_start = Counter(n % len(STARTS) for n in range(args.attempts))
        expected = sum(min(n, args.counters) for n in per_start.values())
        for number, day in enumerate(days, 1):
            requests = build_requests(args.attempts, office_id, service_id, day)
            before = _cpu_seconds(_worker_pids(server.pid)), _backend_cpu_seconds()
            results = fire(port, requests, args.processes, args.timeout)
            workers = _cpu_seconds(_worker_pids(server.pid)) - before[0]
            backends = _backend_cpu_seconds() - before[1]
            report(number, results, capacity, expected, verify(office_id, day))
            print(
                f"  CPU per attempt: gunicorn workers {workers * 1000 / args.attempts:.1f} ms"
                + (f", PostgreSQL {backends * 1000 / args.attempts:.1f} ms" if backends else "")
            )
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, 9)


def create_office(counters: int, rounds: int) -> tuple[int, int, list[date]]:
    """The rush office; returns its id, its service's and the days to rush (one per round)."""
    from datetime import time as clock

    from django.utils import timezone

    from amtstermin.booking import availability_cache
    from amtstermin.booking.models import Counter as Desk
    from amtstermin.booking.models import Office, OpeningHours, Service

    office = Office.objects.create(
        name="Bürgerbüro Rush",
        street="Marktplatz 1",
        postal_code="12345",
        city="Musterstadt",
        federal_state="NW",
        slot_minutes=30,
        horizon_days=60,
        lead_time_minutes=0,
    )
    service = Service.objects.create(
        office=office, name="Personalausweis beantragen", first_person_minutes=30
    )
    hours = []
    for number in range(counters):
        desk = Desk.objects.create(office=office, name=f"Schalter {number + 1:02d}")
        desk.services.set([service])
        hours += [
            OpeningHours(
                counter=desk,
                weekday=weekday,
                start=clock(FIRST_START // 60, FIRST_START % 60),
                end=clock(14, 0),
            )
            for weekday in range(5)
        ]
    OpeningHours.objects.bulk_create(hours)
    availability_cache.bump(office.pk, configuration=True)  # bulk_create sends no signals
    today = timezone.now().astimezone(office.zone).date()
    holidays = office.public_holidays(range(today.year, today.year + 2))
    candidates = (today + timedelta(days=n) for n in range(7, 60))
    days = [day for day in candidates if day.weekday() < 5 and day not in holidays]
    return office.pk, service.pk, days[:rounds]


def build_requests(attempts: int, office_id: int, service_id: int, day: date) -> list[bytes]:
    starts = [f"{day}T{start}" for start in STARTS]
    requests = []
    for number in range(attempts):
        body = json.dumps(
            {
                "office_id": office_id,
                "services": [{"service_id": service_id, "persons": 1}],
                "start": starts[number % len(starts)],
                "name": f"Rush {number}",
                "email": f"rush{number}@example.org",
            }
        ).encode()
        head = (
            "POST /api/v1/appointments HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            "Content-Type: application/json\r\nConnection: close\r\n"
            f"Content-Length: {len(body)}\r\n\r\n"
        )
        requests.append(head.encode() + body)
    return requests


def warm_up(port: int, office_id: int, service_id: int, day: date, workers: int) -> None:
    """Until /healthz answers, then enough parallel requests that every worker has served some
    (a cold worker's first request loads URL configuration, schemas, translations)."""
    base = f"http://127.0.0.1:{port}"
    for _ in range(150):
        try:
            urllib.request.urlopen(f"{base}/healthz", timeout=2)
            break
        except OSError:
            time.sleep(0.2)
    else:
        sys.exit("gunicorn did not answer")
    paths = [
        f"/api/v1/offices/{office_id}/availability?services={service_id}:1&from={day}&to={day}",
        f"/api/v1/offices/{office_id}/services",
    ]
    invalid = build_requests(1, office_id, 999_999_999, day)[0]  # a 422: parsing and schemas
    gets = [
        f"GET {p} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode() for p in paths
    ]
    for _ in range(5):
        asyncio.run(_burst(port, [*gets, invalid] * workers * 2, 0.0, 30.0))


def fire(port: int, requests: list[bytes], processes: int, timeout: float) -> list[dict[str, Any]]:
    """Attempt ``n`` is sent at start + n / len(requests) seconds, by process ``n % processes``."""
    start = time.time() + 1.0 + processes * 0.05  # every process is waiting by then
    spacing = 1.0 / len(requests)
    jobs = [
        (
            port,
            [(n, requests[n]) for n in range(p, len(requests), processes)],
            start,
            spacing,
            timeout,
        )
        for p in range(processes)
    ]
    with multiprocessing.get_context("fork").Pool(processes) as pool:
        return [result for part in pool.starmap(_client, jobs) for result in part]


def _client(
    port: int, numbered: list[tuple[int, bytes]], start: float, spacing: float, timeout: float
) -> list[dict[str, Any]]:
    async def attempt(number: int, request: bytes) -> dict[str, Any]:
        await asyncio.sleep(max(0.0, start + number * spacing - time.time()))
        sent = time.time()
        status: int | str
        try:
            status = await asyncio.wait_for(_exchange(port, request), timeout)
        except TimeoutError:
            status = "timeout"
        except OSError as error:
            status = f"error {error.__class__.__name__}"
        return {"n": number, "sent": sent - start, "latency": time.time() - sent, "status": status}

    async def run() -> list[dict[str, Any]]:
        return list(await asyncio.gather(*(attempt(n, r) for n, r in numbered)))

    return asyncio.run(run())


async def _exchange(port: int, request: bytes) -> int:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(request)
        await writer.drain()
        answer = await reader.read()  # Connection: close, so until the end of the answer
    finally:
        writer.close()
    return int(answer.split(b" ", 2)[1])


async def _burst(port: int, requests: list[bytes], spacing: float, timeout: float) -> None:
    await asyncio.gather(*(asyncio.wait_for(_exchange(port, r), timeout) for r in requests))


def verify(office_id: int, day: date) -> dict[str, int]:
    """Active appointments of the day, and pairs of them that overlap on one counter."""
    from django.db import connections

    from amtstermin import scheduling
    from amtstermin.booking.models import ACTIVE_STATUSES, Appointment, Office

    office = Office.objects.get(pk=office_id)
    bounds = scheduling.day_bounds(day, office.zone)
    active = list(
        Appointment.objects.filter(
            office=office,
            status__in=ACTIVE_STATUSES,
            start__gte=datetime.fromtimestamp(bounds.start, office.zone),
            start__lt=datetime.fromtimestamp(bounds.end, office.zone),
        ).order_by("counter_id", "start")
    )
    overlaps, latest_end = 0, dict[int, datetime]()
    for appointment in active:  # by counter, then start
        previous = latest_end.get(appointment.counter_id)
        overlaps += previous is not None and appointment.start < previous
        latest_end[appointment.counter_id] = max(previous or appointment.end, appointment.end)
    connections.close_all()
    return {"active": len(active), "overlaps": overlaps}


def report(
    number: int, results: list[dict[str, Any]], capacity: int, expected: int, db: dict[str, int]
) -> None:
    answered = [r for r in results if isinstance(r["status"], int)]
    latencies = sorted(r["latency"] for r in answered)
    counts = Counter(r["status"] for r in results)
    created, conflicts = counts.pop(201, 0), counts.pop(409, 0)
    server_errors = sum(
        n for status, n in counts.items() if isinstance(status, int) and status >= 500
    )
    timeouts = counts.pop("timeout", 0)
    spread = max(r["sent"] for r in results) - min(r["sent"] for r in results)
    p99 = statistics.quantiles(latencies, n=100)[98] if len(latencies) > 1 else float("nan")
    finished = max(r["sent"] + r["latency"] for r in results)
    by_answer = {
        status: statistics.median(r["latency"] for r in results if r["status"] == status)
        for status in (201, 409)
        if any(r["status"] == status for r in results)
    }
    print(
        f"round {number}: sent over {spread:.3f} s, all answered after {finished:.2f} s; latency "
        f"p50 {statistics.median(latencies) * 1000:.0f} ms, p99 {p99 * 1000:.0f} ms, "
        f"max {latencies[-1] * 1000:.0f} ms (p50 of "
        + ", ".join(f"{status}s {ms * 1000:.0f} ms" for status, ms in by_answer.items())
        + ")"
    )
    others = ", ".join(f"{status}: {n}" for status, n in sorted(counts.items(), key=str)) or "none"
    ok = created == db["active"] == expected and not db["overlaps"]
    print(
        f"  201: {created}, 409: {conflicts}, other: {others}; 5xx: {server_errors}, timeouts: "
        f"{timeouts}; in the database {db['active']} active (capacity {capacity}, expected "
        f"{expected}), overlaps "
        f"{db['overlaps']}: {'as expected' if ok else 'NOT AS EXPECTED'}"
    )


def _worker_pids(server_pid: int) -> list[str]:
    return Path(f"/proc/{server_pid}/task/{server_pid}/children").read_text().split()


def _backend_cpu_seconds() -> float:
    """CPU of the PostgreSQL server processes serving this database (they outlive requests)."""
    from django.db import connection, connections

    if connection.vendor != "postgresql":
        return 0.0
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        pids = [str(row[0]) for row in cursor.fetchall()]
    connections.close_all()
    return _cpu_seconds(pids)


def _cpu_seconds(pids: list[str]) -> float:
    """User and system CPU of these processes so far (Linux /proc; root reads every one)."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # ended meanwhile
        total += int(fields[11]) + int(fields[12])  # utime, stime in clock ticks
    return total / os.sysconf("SC_CLK_TCK")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


if __name__ == "__main__":
    main()
