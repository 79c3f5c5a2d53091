"""Proof at scale: the hot paths with a million appointments stored, next to an empty history.

Builds two databases (``scale_data.py`` says what is in them):

- *million*: 40 offices, 500 counters, 1,000,000 appointments over three years (with their
  service lines and e-mails). Office "big" is busy (about ten appointments per counter and
  working day, 13 counters); office "empty" has the same counters and the same appointments from
  ten days ago on, but no history; the other 38 share the rest.
- *fresh*: the same offices and the same recent and future appointments, no history at all.

Then, in process (the services, selectors and the API through Django's test client, the code
path the app runs), each operation is timed as the median of ``--repeat`` runs, alternating
between the offices, in ``--turns`` turns of the two databases (figures: the median of the
turns' medians): the uncached 31-day availability (``GET .../availability``, the cache
cleared before each), a booking (``POST /api/v1/appointments``), its cancellation
(``DELETE``), the clerks' day plan of the next working day (``selectors.day_plan``), the release of
lapsed holds for the office, and the daily purge of personal data (``purge_personal_data`` for
all offices, in a transaction rolled back after each run). The goal: the big office within
1.2 x the empty office (same database: the same buffers, caches and index depth, so only the
office's own history differs), and within 1.2 x the fresh database (which would also show a
cost that grows with the whole table, e.g. a scan the empty office would pay as well). An
operation that misses the goal gets the query plans of its slowest statements (PostgreSQL:
``EXPLAIN (ANALYZE, BUFFERS)``; SQLite: ``EXPLAIN QUERY PLAN``).

Run (PostgreSQL; creates the database the URL names and ``<name>_fresh``, drops both unless
``--keep``):
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/amtstermin_scale \\
        .venv/bin/python benchmarks/bench_scale.py
SQLite, 200,000 appointments in one office (files in a temporary directory):
    .venv/bin/python benchmarks/bench_scale.py --offices 2 --counters 60 --appointments 200000
``make bench-scale`` runs SQLite, and PostgreSQL too when ``DATABASE_URL`` is set. The phases
run as child processes of this script.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
OPERATIONS = ("availability", "book", "cancel", "day_plan", "release_lapsed", "purge")
GOAL = 1.2


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--appointments", type=int, default=1_000_000)
    parser.add_argument("--offices", type=int, default=40)
    parser.add_argument("--counters", type=int, default=500)
    parser.add_argument("--busy-per-day", type=float, default=10.0)
    parser.add_argument("--repeat", type=int, default=15, help="runs per operation (median)")
    parser.add_argument("--turns", type=int, default=2, help="measurements of each database")
    parser.add_argument("--keep", action="store_true", help="keep the databases")
    parser.add_argument("--phase", choices=("generate", "measure"), help=argparse.SUPPRESS)
    parser.add_argument("--history", type=int, default=1, help=argparse.SUPPRESS)
    parser.add_argument("--now", type=float, help=argparse.SUPPRESS)
    parser.add_argument("--baseline", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        os.environ.update(
            AMTSTERMIN_HTTPS="0",
            AMTSTERMIN_API_BOOKING_LIMIT_PER_HOUR="0",
            AMTSTERMIN_API_REQUIRE_PROOF_OF_WORK="0",  # bench_bot.py measures the proof of work
            DJANGO_SETTINGS_MODULE="amtstermin.settings",
        )
        os.environ.pop("REDIS_URL", None)  # per-process cache: cleared before each availability
        import django

        django.setup()
        now = datetime.fromtimestamp(args.now, UTC)
        if args.phase == "generate":
            generate(args, now)
        else:
            baseline = None
            if args.baseline and args.baseline.exists():
                baseline = json.loads(args.baseline.read_text())["medians"]
            print(json.dumps(measure(args.repeat, baseline)))
        return
    orchestrate(args)


def orchestrate(args: argparse.Namespace) -> None:
    server = os.environ.get("DATABASE_URL", "")
    temp = Path(tempfile.mkdtemp(prefix="amtstermin-scale-"))
    if server.startswith(("postgres://", "postgresql://")):
        name = urllib.parse.urlsplit(server).path.lstrip("/") or "amtstermin_scale"
        urls = {"million": _pg_url(server, name), "fresh": _pg_url(server, f"{name}_fresh")}
    else:
        urls = {label: f"sqlite:///{temp}/{label}.sqlite3" for label in ("million", "fresh")}
    now = time.time()
    results: dict[str, Any] = {}
    try:
        for label, url in urls.items():
            if url.startswith("postgres"):
                _pg_admin(server, f'DROP DATABASE IF EXISTS "{_db_name(url)}" WITH (FORCE)')
                _pg_admin(server, f'CREATE DATABASE "{_db_name(url)}"')
            history = int(label == "million")
            print(f"== generating {label} ({url.split('@')[-1]})", flush=True)
            _phase(args, url, "generate", now, history)
        # In turns, so that the machine's drift falls on both databases alike; the fresh figures
        # tell the million run which operations miss the goal.
        baseline = temp / "fresh.json"
        for turn in range(1, args.turns + 1):
            for label in ("fresh", "million"):
                print(f"== measuring {label}, turn {turn}", flush=True)
                out = _phase(args, urls[label], "measure", now, baseline=baseline)
                results.setdefault(label, []).append(json.loads(out.splitlines()[-1]))
                baseline.write_text(json.dumps(_combined(results["fresh"])))
    finally:
        if not args.keep:
            for url in urls.values():
                if url.startswith("postgres"):
                    _pg_admin(server, f'DROP DATABASE IF EXISTS "{_db_name(url)}" WITH (FORCE)')
            shutil.rmtree(temp, ignore_errors=True)
            shutil.rmtree(
                Path(tempfile.gettempdir()) / f"amtstermin-scale-data-{os.getpid()}", True
            )
    report({label: _combined(runs) for label, runs in results.items()})


def _combined(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The last run, with each median replaced by the median over all runs."""
    medians = {
        op: {label: statistics.median(run["medians"][op][label] for run in runs) for label in by}
        for op, by in runs[-1]["medians"].items()
    }
    return {**runs[-1], "medians": medians}


def _phase(
    args: argparse.Namespace,
    url: str,
    phase: str,
    now: float,
    history: int = 1,
    baseline: Path | None = None,
) -> str:
    cmd = [sys.executable, __file__, "--phase", phase, "--now", str(now), "--history", str(history)]
    cmd += ["--baseline", str(baseline)] if baseline else []
    cmd += ["--appointments", str(args.appointments), "--offices", str(args.offices)]
    cmd += ["--counters", str(args.counters), "--busy-per-day", str(args.busy_per_day)]
    cmd += ["--repeat", str(args.repeat)]
    data_dir = Path(tempfile.gettempdir()) / f"amtstermin-scale-data-{os.getpid()}"
    env = {**os.environ, "DATABASE_URL": url, "AMTSTERMIN_DATA_DIR": str(data_dir)}
    out = subprocess.run(cmd, env=env, check=True, stdout=subprocess.PIPE, text=True).stdout
    shown = out.splitlines() if phase == "generate" else out.splitlines()[:-1]  # not the JSON
    print("".join(f"{line}\n" for line in shown), end="", flush=True)
    return out


def _pg_url(server: str, name: str) -> str:
    return urllib.parse.urlsplit(server)._replace(path=f"/{name}").geturl()


def _db_name(url: str) -> str:
    return urllib.parse.urlsplit(url).path.lstrip("/")


def _pg_admin(server: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(_pg_url(server, "postgres"), autocommit=True) as admin:
        admin.execute(sql)


def generate(args: argparse.Namespace, now: datetime) -> None:
    import scale_data
    from django.core.management import call_command
    from django.db import connection

    began = time.perf_counter()
    call_command("migrate", verbosity=0)
    offices = scale_data.build_configuration(args.offices, args.counters)
    scale_data.plan_quotas(offices, args.appointments, args.busy_per_day, now)
    configured = time.perf_counter()
    written = scale_data.write_appointments(offices, now, bool(args.history), args.appointments)
    copied = time.perf_counter()
    if connection.vendor == "postgresql":  # what autovacuum does after a bulk load, now
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    # SQLite: no ANALYZE, as the app never runs one; its planner works without statistics.
    print(
        f"{written} appointments; configuration {configured - began:.0f} s, rows "
        f"{copied - configured:.0f} s, vacuum/analyze {time.perf_counter() - copied:.0f} s"
    )


def measure(repeat: int, baseline: dict[str, Any] | None) -> dict[str, Any]:
    """Median seconds of each operation for the big and the empty office, and query counts."""
    from django.core.cache import cache
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone
    from lock_probe import locked_statements

    from amtstermin.backoffice import selectors
    from amtstermin.booking import housekeeping
    from amtstermin.booking.models import Appointment, Office

    client = Client(HTTP_HOST="127.0.0.1")
    offices = {label: Office.objects.get(name=f"Bürgerbüro {label}") for label in ("big", "empty")}
    today = timezone.now().astimezone(offices["big"].zone).date()
    plan_day = next(
        today + timedelta(days=n) for n in range(1, 5) if (today + timedelta(days=n)).weekday() < 5
    )
    requests = {label: _requests(client, office, today) for label, office in offices.items()}
    if requests["big"]["starts"] != requests["empty"]["starts"]:
        sys.exit("the offices' free times differ: the generated future is not the same")
    starts = requests["big"]["starts"]
    tokens: dict[str, str] = {}

    def availability(label: str) -> None:
        cache.clear()
        assert client.get(requests[label]["availability"]).status_code == 200

    def book(label: str) -> None:
        start = starts.pop()
        # Each booking by another person: one person may hold only a few (the per-person limit).
        person = "".join(char for char in start if char.isdigit())
        body = {**requests[label]["booking"], "start": start, "email": f"b{person}@example.org"}
        response = client.post("/api/v1/appointments", json.dumps(body), "application/json")
        assert response.status_code == 201, response.content
        tokens[label] = response.json()["token"]

    def cancel(label: str) -> None:
        assert client.delete(f"/api/v1/appointments/{tokens[label]}").status_code == 204

    def day_plan(label: str) -> None:
        selectors.day_plan(offices[label], plan_day, now=timezone.now())

    def release_lapsed(label: str) -> None:
        housekeeping.release_lapsed(office_id=offices[label].pk)

    def purge(_label: str) -> None:
        with transaction.atomic():
            housekeeping.purge_personal_data()
            transaction.set_rollback(True)

    operations = {name: fn for name, fn in locals().items() if name in OPERATIONS}
    timings: dict[str, dict[str, list[float]]] = {op: {"big": [], "empty": []} for op in operations}
    queries: dict[str, dict[str, int]] = {op: {} for op in operations}
    for label in offices:  # warm up, and count each operation's statements once
        for name, operation in operations.items():
            with CaptureQueriesContext(connection) as captured:
                operation(label)
            queries[name][label] = len(captured)
    locks = {}
    for label in offices:
        with locked_statements() as booking:
            book(label)
        with locked_statements() as cancellation:
            cancel(label)
        locks[label] = {"book": booking.counts(), "cancel": cancellation.counts()}
    for number in range(repeat):
        order = ("big", "empty") if number % 2 else ("empty", "big")
        for name, operation in operations.items():
            for label in order:
                if name == "purge" and label == "empty":
                    continue  # the purge covers every office: timed once per round
                began = time.perf_counter()
                operation(label)
                timings[name][label].append(time.perf_counter() - began)
    medians = {
        op: {label: statistics.median(v) for label, v in by.items() if v}
        for op, by in timings.items()
    }
    for name, figures in medians.items():
        slower = [figures["big"] / figures["empty"]] if "empty" in figures else []
        slower += [figures["big"] / baseline[name]["big"]] if baseline else []
        if max(slower, default=0) > GOAL:
            explain(name, operations[name], "big")
    return {
        "vendor": connection.vendor,
        "rows": {
            label: Appointment.objects.filter(office=office).count()
            for label, office in offices.items()
        },
        "total": Appointment.objects.count(),
        "medians": medians,
        "queries": queries,
        "locked": locks,
        "times": len(starts),
        "plan_day": plan_day.isoformat(),
    }


def _requests(client: Any, office: Any, today: Any) -> dict[str, Any]:
    services = {
        s["name"]: s["id"] for s in client.get(f"/api/v1/offices/{office.pk}/services").json()
    }
    id_card, registration = services["Personalausweis beantragen"], services["Anmeldung bei Zuzug"]
    availability = (
        f"/api/v1/offices/{office.pk}/availability?services={id_card}:1,{registration}:3"
        f"&from={today}&to={today + timedelta(days=30)}"
    )
    free = client.get(
        f"/api/v1/offices/{office.pk}/availability?services={id_card}:1"
        f"&from={today + timedelta(days=3)}&to={today + timedelta(days=30)}"
    ).json()["days"]
    return {
        "availability": availability,
        "starts": [f"{day['date']}T{t}" for day in free for t in day["times"][::3]],
        "booking": {
            "office_id": office.pk,
            "services": [{"service_id": id_card, "persons": 1}],
            "name": "Bench Mark",
            "email": "bench@example.org",
        },
    }


def report(results: dict[str, Any]) -> None:
    million, fresh = results["million"], results["fresh"]
    print(
        f"database {million['vendor']}: {million['total']} appointments in the million database "
        f"(big office {million['rows']['big']}, empty office {million['rows']['empty']}), "
        f"{fresh['total']} in the fresh one"
    )
    print("median ms; ratio = big office / empty office (same database), / fresh database")
    print(
        f"{'operation':15} {'empty':>8} {'big':>8} {'fresh':>8} {'ratio':>6} {'vs fresh':>8}"
        "  queries"
    )
    for op in OPERATIONS:
        ms = million["medians"][op]
        big = ms["big"] * 1000
        fresh_ms = fresh["medians"][op]["big"] * 1000
        empty = f"{ms['empty'] * 1000:8.2f}" if "empty" in ms else f"{'-':>8}"
        ratio = f"{ms['big'] / ms['empty']:6.2f}" if "empty" in ms else f"{'-':>6}"
        counts = million["queries"][op]
        print(
            f"{op:15} {empty} {big:8.2f} {fresh_ms:8.2f} {ratio} {big / fresh_ms:8.2f}  "
            f"{counts.get('big')} / {counts.get('empty')}"
        )
    print(f"statements under the office lock (big, empty): {million['locked']}")


def explain(name: str, operation: Any, label: str) -> None:
    """The plans of an operation's two slowest statements (writes rolled back)."""
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        operation(label)
    statements = [
        query
        for query in captured.captured_queries
        # Not the inserts: run again, they would repeat unique keys.
        if query["sql"].lstrip().upper().startswith(("SELECT", "UPDATE"))
    ]
    slowest = sorted(statements, key=lambda q: -float(q["time"]))[:2]
    prefix = (
        "EXPLAIN (ANALYZE, BUFFERS) "
        if connection.vendor == "postgresql"
        else "EXPLAIN QUERY PLAN "
    )
    for query in slowest:
        print(f"-- {name}, {float(query['time']) * 1000:.2f} ms: {query['sql'][:300]}")
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(prefix + query["sql"])
            for row in cursor.fetchall():
                print("   ", " ".join(str(column) for column in row))
            transaction.set_rollback(True)


if __name__ == "__main__":
    main()
