"""A real multi-process server on the test database, and offices to race for.

``start_server(env)`` runs gunicorn with four worker processes on a free loopback port, pointed
at the pytest-django test database, and returns its base URL once /healthz answers and every
worker is warm. Tests that use it must be ``@pytest.mark.django_db(transaction=True)`` so their
rows are committed and the server sees them. ``without_database_guard`` drops the overlap
constraint / triggers for the control test and restores them afterwards.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from datetime import time as clock
from pathlib import Path
from typing import IO, Any, Protocol

import pytest
from django.db import connection
from django.utils import timezone

from amtstermin.booking import db_guard
from amtstermin.booking.models import Appointment, Counter, Office, Service
from tests.factories import make_counter, make_office, make_service

WORKERS = 4
START_SECONDS = 30.0
STOP_SECONDS = 1.0  # then SIGKILL: the race is over, nothing needs finishing
# Variables of the test run that must not leak into a server unless a test asks for them.
SERVER_ONLY = ("AMTSTERMIN_RACE_WINDOW_MS", "AMTSTERMIN_UNSAFE_NO_BOOKING_GUARD", "DEBUG")

# The database's last guard against overlaps, as the project creates it: PostgreSQL's exclusion
# constraint in migration 0002; SQLite's triggers in booking.db_guard (re-created after every
# migrate, because SQLite drops them whenever a migration rebuilds the table).
postgres_guard = importlib.import_module(
    "amtstermin.booking.migrations.0002_appointment_no_overlap"
)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def url_of_the_test_database() -> str:
    """The database the running test uses, as a DATABASE_URL for another process."""
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        path = Path(str(settings["NAME"])).resolve()
        if not path.is_file():
            raise RuntimeError(f"the SQLite test database is not a file: {settings['NAME']}")
        return f"sqlite:///{path}"
    if connection.vendor == "postgresql":
        user = urllib.parse.quote(settings.get("USER") or "", safe="")
        password = settings.get("PASSWORD") or ""
        credentials = user + (":" + urllib.parse.quote(password, safe="") if password else "")
        host = settings.get("HOST") or "127.0.0.1"
        port = settings.get("PORT") or 5432
        name = urllib.parse.quote(str(settings["NAME"]), safe="")
        return f"postgres://{credentials}@{host}:{port}/{name}"
    raise RuntimeError(f"no race tests for database vendor {connection.vendor}")


@dataclass
class Server:
    base_url: str
    process: subprocess.Popen[bytes]
    log: IO[bytes]
    ready_dir: Path

    def output(self, since: int = 0) -> str:
        self.log.flush()
        self.log.seek(since)
        text = self.log.read().decode("utf-8", "replace")
        self.log.seek(0, os.SEEK_END)
        return text[-8000:]

    def log_size(self) -> int:
        self.log.flush()
        return self.log.seek(0, os.SEEK_END)

    def stop(self) -> None:
        """Quick stop, then kill what is left of the server's own process group.

        The race is over and every answer committed; nothing in flight needs finishing.
        """
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGQUIT)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(STOP_SECONDS)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)  # the group is this server's alone
        self.process.wait()
        self.log.close()
        shutil.rmtree(self.ready_dir, ignore_errors=True)


def _wait_ready(server: Server) -> None:
    """Until /healthz answers 200 and every worker has warmed up (see gunicorn_warm.py)."""
    deadline = time.monotonic() + START_SECONDS
    last = "no answer"
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(
                f"gunicorn exited with {server.process.returncode}:\n{server.output()}"
            )
        try:
            with urllib.request.urlopen(server.base_url + "/healthz", timeout=2) as response:
                warm = len(list(server.ready_dir.iterdir()))
                if response.status == 200 and warm >= WORKERS:
                    return
                last = f"status {response.status}, {warm} of {WORKERS} workers warm"
        except urllib.error.HTTPError as error:
            last = f"status {error.code}"
        except OSError as error:
            last = str(error)
        time.sleep(0.1)
    raise RuntimeError(f"gunicorn did not get ready in time ({last}):\n{server.output()}")


def _launch(env_overrides: dict[str, str]) -> Server:
    """gunicorn with WORKERS processes on a free loopback port, on the test database."""
    port = _free_port()
    ready_dir = Path(tempfile.mkdtemp(prefix="race-ready-"))
    env = {key: value for key, value in os.environ.items() if key not in SERVER_ONLY}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "amtstermin.settings",
            "DATABASE_URL": url_of_the_test_database(),
            "AMTSTERMIN_HTTPS": "0",
            "AMTSTERMIN_RACE_READY_DIR": str(ready_dir),
            "PYTHONUNBUFFERED": "1",
        }
    )
    env.update(env_overrides)
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "amtstermin.wsgi",
        "--config",
        str(Path(__file__).with_name("gunicorn_warm.py")),
        "--workers",
        str(WORKERS),
        "--bind",
        f"127.0.0.1:{port}",
        "--preload",  # import Django once, then fork
        "--timeout",
        "120",  # far above any race window: no worker is killed mid-request
        "--no-control-socket",  # its default path is one per user, shared by every server
        "--log-level",
        "warning",
    ]
    log = tempfile.TemporaryFile()  # noqa: SIM115 - lives as long as the server
    process = subprocess.Popen(
        command, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    server = Server(
        base_url=f"http://127.0.0.1:{port}", process=process, log=log, ready_dir=ready_dir
    )
    try:
        _wait_ready(server)
    except BaseException:
        server.stop()
        raise
    return server


class StartServer(Protocol):
    def __call__(
        self, env_overrides: dict[str, str] | None = None, *, share: bool = True
    ) -> str: ...


def _wait_until_alone_in_database() -> None:
    """PostgreSQL refuses to drop a database while killed servers' sessions are still ending."""
    if connection.vendor != "postgresql":
        return
    query = (
        "SELECT count(*) FROM pg_stat_activity"
        " WHERE datname = current_database() AND pid <> pg_backend_pid()"
    )
    deadline = time.monotonic() + STOP_SECONDS * 10
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(query)
            if cursor.fetchone()[0] == 0:
                return
            time.sleep(0.05)


@pytest.fixture(scope="module")
def _server_pool(
    django_db_setup: None, django_db_blocker: Any
) -> Iterator[dict[tuple[tuple[str, str], ...], Server]]:
    """Servers by environment, shared by the module's tests that need the same one.

    Stopped when the module is done, so no idle server holds database sessions while the rest
    of the suite runs (and before pytest-django destroys the test database).
    """
    pool: dict[tuple[tuple[str, str], ...], Server] = {}
    yield pool
    for server in pool.values():
        server.stop()
    if pool:
        with django_db_blocker.unblock():
            _wait_until_alone_in_database()


@pytest.fixture
def start_server(
    transactional_db: None,
    _server_pool: dict[tuple[tuple[str, str], ...], Server],
    request: pytest.FixtureRequest,
) -> Iterator[StartServer]:
    """A factory: ``start_server({"AMTSTERMIN_RACE_WINDOW_MS": "300"})`` -> base URL.

    A shared server runs until the module is done: its tests asking for the same environment
    share it, and pytest-django empties the database between them. ``share=False`` starts one
    for this test alone, stopped at its teardown. When a test fails, what the server logged
    during it (gunicorn and Django, on stderr) is printed into the report.
    """
    used: list[tuple[Server, int]] = []
    own: list[Server] = []

    def start(env_overrides: dict[str, str] | None = None, *, share: bool = True) -> str:
        key = tuple(sorted((env_overrides or {}).items()))
        server = _server_pool.get(key) if share else None
        if server is None or server.process.poll() is not None:
            server = _launch(dict(key))
            if share:
                _server_pool[key] = server
            else:
                own.append(server)
        used.append((server, server.log_size()))
        return server.base_url

    yield start

    report = getattr(request.node, "rep_call", None)
    for server, since in used:
        if report is None or report.failed or server.process.poll() is not None:
            print(f"--- gunicorn log ({server.base_url}) ---\n{server.output(since)}")
    for server in own:
        server.stop()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):  # type: ignore[no-untyped-def]
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


def _guard_statements(*, create: bool) -> list[str]:
    if connection.vendor == "postgresql":
        return [postgres_guard.POSTGRES_CREATE if create else postgres_guard.POSTGRES_DROP]
    return list(db_guard.SQLITE_CREATE if create else db_guard.SQLITE_DROP)


def database_guard_parts() -> int:
    """How many pieces of the overlap guard the database has (PostgreSQL 1, SQLite 2)."""
    if connection.vendor == "postgresql":
        query = "SELECT count(*) FROM pg_constraint WHERE conname = 'appointment_no_overlap'"
    else:
        query = (
            "SELECT count(*) FROM sqlite_master"
            " WHERE type = 'trigger' AND name LIKE 'appointment_no_overlap%'"
        )
    with connection.cursor() as cursor:
        cursor.execute(query)
        return int(cursor.fetchone()[0])


@pytest.fixture
def without_database_guard(transactional_db: None) -> Iterator[None]:
    """The control: drop the overlap constraint (PostgreSQL) or triggers (SQLite) for one test.

    Request it *before* ``start_server`` so an unshared server stops first. Teardown removes
    the double bookings the control made (the constraint could not be added over them) and
    restores the guard with the project's own SQL.
    """
    present = database_guard_parts()
    assert present, "the overlap guard is missing before the control even starts"
    with connection.schema_editor() as editor:
        for statement in _guard_statements(create=False):
            editor.execute(statement)
    assert database_guard_parts() == 0, "the control could not remove the overlap guard"
    try:
        yield
    finally:
        Appointment.objects.all().delete()
        with connection.schema_editor() as editor:
            for statement in _guard_statements(create=True):
                editor.execute(statement)
        assert database_guard_parts() == present


# --- Offices to race for ----------------------------------------------------------------------

EVERY_DAY_8_TO_18 = [(weekday, clock(8, 0), clock(18, 0)) for weekday in range(7)]


@dataclass(frozen=True)
class RaceOffice:
    office: Office
    service: Service
    counters: list[Counter]
    day: date  # a bookable local day a few days ahead, not a public holiday

    def at(self, hour: int, minute: int = 0, *, days_later: int = 0) -> datetime:
        """An aware datetime at this local wall time on ``day`` (+ ``days_later``)."""
        day = self.day + timedelta(days=days_later)
        return datetime.combine(day, clock(hour, minute), tzinfo=self.office.zone)

    def payload(self, start: datetime, n: int) -> dict[str, object]:
        """The API body booking one person for the service at ``start`` (office-local)."""
        return {
            "office_id": self.office.pk,
            "services": [{"service_id": self.service.pk, "persons": 1}],
            "start": start.astimezone(self.office.zone).strftime("%Y-%m-%dT%H:%M"),
            "name": f"Client {n:02d}",
            "email": f"client{n:02d}@example.org",
        }


def race_office(counter_count: int) -> RaceOffice:
    """An office whose ``counter_count`` counters all serve one 15-minute service, 8-18 daily.

    Real time applies (the server books against its own clock), so the day is picked from
    today: three days ahead, past any public holiday, well inside lead time and horizon.
    """
    office = make_office(name=f"Bürgerbüro Wettlauf {counter_count}", slot_minutes=15)
    service = make_service(office, "Personalausweis", 15, 15)
    counters = [
        make_counter(office, f"Schalter {n}", [service], EVERY_DAY_8_TO_18)
        for n in range(1, counter_count + 1)
    ]
    today = timezone.now().astimezone(office.zone).date()
    day = today + timedelta(days=3)
    closed = office.public_holidays(range(day.year, day.year + 2))
    while day in closed or day + timedelta(days=1) in closed:
        day += timedelta(days=1)
    return RaceOffice(office=office, service=service, counters=counters, day=day)
