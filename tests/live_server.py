"""A real multi-process server on the pytest-django test database.

``launch(env)`` runs gunicorn with four worker processes on a free loopback port, pointed at the
test database, and returns once /healthz answers and every worker is warm (gunicorn_warm.py).
Tests that use it must be ``@pytest.mark.django_db(transaction=True)`` so their rows are
committed and the server sees them. The ``start_server`` fixture (tests/conftest.py) shares
servers between tests and prints their logs into failure reports.
"""

from __future__ import annotations

import contextlib
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
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Protocol

from django.db import connection

WORKERS = 4
START_SECONDS = 30.0
STOP_SECONDS = 1.0  # then SIGKILL: every answer is committed, nothing needs finishing
# Variables of the test run that must not leak into a server unless a test asks for them.
SERVER_ONLY = (
    "AMTSTERMIN_RACE_WINDOW_MS",
    "AMTSTERMIN_UNSAFE_NO_BOOKING_GUARD",
    "AMTSTERMIN_UNSAFE_NO_WAITLIST_GUARD",
    "AMTSTERMIN_UNSAFE_MAIL_AFTER_COMMIT_MS",
    "DEBUG",
)


def free_port() -> int:
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
    raise RuntimeError(f"no live server for database vendor {connection.vendor}")


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
        self.kill()
        self.log.close()
        shutil.rmtree(self.ready_dir, ignore_errors=True)

    def kill(self) -> None:
        """SIGKILL the master and every worker at once (the group is this server's alone)."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()


def wait_ready(server: Server) -> None:
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


def launch(env_overrides: dict[str, str], port: int | None = None) -> Server:
    """gunicorn with WORKERS processes on ``port`` (default: a free one), on the test database."""
    port = port or free_port()
    ready_dir = Path(tempfile.mkdtemp(prefix="live-ready-"))
    env = {key: value for key, value in os.environ.items() if key not in SERVER_ONLY}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "amtstermin.settings",
            "DATABASE_URL": url_of_the_test_database(),
            "AMTSTERMIN_HTTPS": "0",
            "AMTSTERMIN_LIVE_READY_DIR": str(ready_dir),
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
        wait_ready(server)
    except BaseException:
        server.stop()
        raise
    return server


class StartServer(Protocol):
    def __call__(
        self, env_overrides: dict[str, str] | None = None, *, share: bool = True
    ) -> str: ...


def wait_until_alone_in_database() -> None:
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
