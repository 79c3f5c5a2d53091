"""HTTP throughput of the API next to /healthz, on one server in one run.

Starts gunicorn (several worker processes) on a fresh data directory with the demo office, then
drives it with wrk (Debian package ``wrk``) on loopback:

1. ``/healthz`` (one database query): the yardstick.
2. 31-day availability for ID card x1 + registration x3 (cached answers, exact: see
   booking/availability_cache.py).
3. Booking followed by cancelling through the API (``POST`` then ``DELETE``), so capacity stays.
4. For scale, a booking refused at once (``POST`` naming a service the office does not have:
   JSON parsing, schema validation, one query, a 422 answer): what the endpoint costs before it
   does any work.

The three run in turn for ``--rounds`` rounds, and each ratio is taken within its round: on a
shared machine the speed drifts by a factor of two within a minute, and /healthz measured next
to the endpoint drifts with it. The median of the rounds' ratios is the figure.

Run: ``make bench-http`` (SQLite) or with ``DATABASE_URL=postgres://user@host:5432/any`` and
``REDIS_URL=...``: on PostgreSQL a fresh database ``amtstermin_bench_<pid>`` is created on that
server and dropped afterwards. Bounded: each wrk run lasts ``--seconds``; only 127.0.0.1 and
the given servers are addressed.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import psycopg

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable

REFUSED_BOOKING_LUA = r"""
request = function()
  return wrk.format("POST", "/api/v1/appointments", {["Content-Type"] = "application/json"},
    '{"office_id": {OFFICE}, "services": [{"service_id": 999999999, "persons": 1}],'
    .. ' "start": "2030-01-07T09:00", "name": "Bench Mark", "email": "bench@example.org"}')
end
"""

BOOK_AND_CANCEL_LUA = r"""
-- Each thread books its own list of times and cancels each booking right after.
local starts = {STARTS}
local to_cancel = {}
local next_index = 0
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("offset", counter)
end

function init(args)
  next_index = offset
end

request = function()
  local token = table.remove(to_cancel)
  if token then
    return wrk.format("DELETE", "/api/v1/appointments/" .. token)
  end
  next_index = next_index % #starts + 1
  local body = string.format(
    '{"office_id": {OFFICE}, "services": [{"service_id": {SERVICE}, "persons": 1}],'
    .. ' "start": "%s", "name": "Bench Mark", "email": "bench%d-%d@example.org"}',
    starts[next_index], offset, next_index)
  return wrk.format("POST", "/api/v1/appointments",
                    {["Content-Type"] = "application/json"}, body)
end

response = function(status, headers, body)
  if status == 201 then
    local token = string.match(body, '"token": ?"([^"]+)"')
    if token then table.insert(to_cancel, token) end
  end
end

"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def run(cmd: list[str], env: dict[str, str]) -> str:
    return subprocess.run(cmd, env=env, check=True, capture_output=True, text=True).stdout


def worker_cpu_seconds(server_pid: int) -> float:
    """User and system CPU of the gunicorn workers so far (Linux /proc; 0 elsewhere)."""
    try:
        children = Path(f"/proc/{server_pid}/task/{server_pid}/children").read_text().split()
        total = 0
        for pid in children:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime in clock ticks
        return total / os.sysconf("SC_CLK_TCK")
    except OSError:
        return 0.0


def wrk(
    url: str, seconds: int, connections: int, script: Path | None, server_pid: int
) -> dict[str, float]:
    cmd = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", url]
    if script:
        cmd += ["-s", str(script)]
    cpu_before = worker_cpu_seconds(server_pid)
    out = subprocess.run(cmd, check=True, capture_output=True, text=True, timeout=seconds + 60)
    cpu = worker_cpu_seconds(server_pid) - cpu_before
    text = out.stdout
    requests_line = re.search(r"(\d+) requests in", text)
    rps_line = re.search(r"Requests/sec:\s+([\d.]+)", text)
    assert requests_line and rps_line, text
    requests, rps = int(requests_line.group(1)), float(rps_line.group(1))
    p50 = re.search(r"50%\s+([\d.]+)(us|ms|s)", text)
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    return {
        "rps": rps,
        "p50_ms": float(p50.group(1)) * scale[p50.group(2)] if p50 else float("nan"),
        "non_2xx": float(non2xx.group(1)) if non2xx else 0.0,
        "cpu_ms": cpu * 1000 / requests if requests else float("nan"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install wrk")

    data_dir = Path(tempfile.mkdtemp(prefix="amtstermin-bench-"))
    env = {
        **os.environ,
        "AMTSTERMIN_DATA_DIR": str(data_dir),
        "AMTSTERMIN_HTTPS": "0",
        "DEBUG": "0",
        "AMTSTERMIN_LOGIN_LOCKOUT": "0",
        "AMTSTERMIN_API_BOOKING_LIMIT_PER_HOUR": "0",  # wrk books from one address
        "AMTSTERMIN_API_REQUIRE_PROOF_OF_WORK": "0",  # wrk solves no challenges
    }
    server_url = os.environ.get("DATABASE_URL", "")
    if server_url.startswith(("postgres://", "postgresql://")):
        env["DATABASE_URL"] = fresh_postgres_database(server_url)
    try:
        measure(args, env, data_dir)
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)
        if env.get("DATABASE_URL", "") != server_url:
            drop_postgres_database(server_url, env["DATABASE_URL"])


def _admin_connection(server_url: str) -> psycopg.Connection[tuple[object, ...]]:
    parts = urllib.parse.urlsplit(server_url)
    return psycopg.connect(parts._replace(path="/postgres").geturl(), autocommit=True)


def fresh_postgres_database(server_url: str) -> str:
    name = f"amtstermin_bench_{os.getpid()}"
    with _admin_connection(server_url) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    return urllib.parse.urlsplit(server_url)._replace(path=f"/{name}").geturl()


def drop_postgres_database(server_url: str, database_url: str) -> None:
    name = urllib.parse.urlsplit(database_url).path.lstrip("/")
    with _admin_connection(server_url) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def measure(args: argparse.Namespace, env: dict[str, str], data_dir: Path) -> None:
    amtstermin = str(Path(PYTHON).parent / "amtstermin")
    run([amtstermin, "migrate", "--no-input"], env)
    run([amtstermin, "load_demo"], env)

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [
            PYTHON,
            "-m",
            "gunicorn",
            "amtstermin.wsgi",
            "--workers",
            str(args.workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        env=env,
    )
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        offices = json.load(urllib.request.urlopen(f"{base}/api/v1/offices"))
        office_id = offices[0]["id"]
        services = json.load(urllib.request.urlopen(f"{base}/api/v1/offices/{office_id}/services"))
        by_name = {s["name"]: s["id"] for s in services}
        id_card = by_name["Personalausweis beantragen"]
        registration = by_name["Anmeldung bei Zuzug"]
        today = datetime.now(ZoneInfo(offices[0]["time_zone"])).date()
        first, last = today, today + timedelta(days=30)
        availability = (
            f"{base}/api/v1/offices/{office_id}/availability?services={id_card}:1,"
            f"{registration}:3&from={first}&to={last}"
        )
        body = json.load(urllib.request.urlopen(availability))
        times = sum(len(day["times"]) for day in body["days"])

        # Times at least two days ahead, so the cancellation deadline has not passed.
        book_days = json.load(
            urllib.request.urlopen(
                f"{base}/api/v1/offices/{office_id}/availability?services={id_card}:1"
                f"&from={today + timedelta(days=3)}&to={today + timedelta(days=30)}"
            )
        )["days"]
        starts = [f"{d['date']}T{t}" for d in book_days for t in d["times"][::4]][:400]
        script = data_dir / "book_and_cancel.lua"
        script.write_text(
            BOOK_AND_CANCEL_LUA.replace("{STARTS}", "{" + ",".join(f'"{s}"' for s in starts) + "}")
            .replace("{OFFICE}", str(office_id))
            .replace("{SERVICE}", str(id_card))
        )
        refused = data_dir / "refused_booking.lua"
        refused.write_text(REFUSED_BOOKING_LUA.replace("{OFFICE}", str(office_id)))

        endpoints = {
            "healthz": (f"{base}/healthz", None),
            "availability_31_days": (availability, None),
            "book_then_cancel": (base, script),
            "booking_refused_422": (base, refused),
        }
        rounds = [
            {
                name: wrk(url, args.seconds, args.connections, lua, server.pid)
                for name, (url, lua) in endpoints.items()
            }
            for _round in range(args.rounds)
        ]
    finally:
        server.terminate()
        server.wait(timeout=30)

    database = "PostgreSQL" if "postgres" in env.get("DATABASE_URL", "") else "SQLite"
    cache = "Redis" if env.get("REDIS_URL") else "per-process memory"
    print(
        f"database {database}, cache {cache}, gunicorn workers {args.workers}, "
        f"wrk -t2 -c{args.connections} -d{args.seconds}s, {args.rounds} rounds, "
        f"nproc {os.cpu_count()}"
    )
    print(f"availability answer: {len(body['days'])} days, {times} times")
    print("cpu ms: user and system CPU of the gunicorn workers per request (not the database's)")
    print(
        f"{'round':>5} {'endpoint':24} {'req/s':>9} {'p50 ms':>8} {'non-2xx':>8} "
        f"{'cpu ms':>7} {'vs healthz':>10}"
    )
    ratios: dict[str, list[float]] = {name: [] for name in endpoints}
    for number, results in enumerate(rounds, 1):
        health = results["healthz"]["rps"]
        for name, figures in results.items():
            ratios[name].append(figures["rps"] / health)
            print(
                f"{number:5} {name:24} {figures['rps']:9.0f} {figures['p50_ms']:8.2f} "
                f"{figures['non_2xx']:8.0f} {figures['cpu_ms']:7.2f} "
                f"{figures['rps'] / health:10.2f}"
            )
    for name in ("availability_31_days", "book_then_cancel", "booking_refused_422"):
        values = ", ".join(f"{value:.2f}" for value in ratios[name])
        print(f"median ratio {name}: {statistics.median(ratios[name]):.2f} (rounds: {values})")


if __name__ == "__main__":
    main()
