"""A real mail server and real ``amtstermin worker`` processes, on the test database.

``SmtpServer`` is an in-process aiosmtpd server on a fixed loopback port that can go away and
come back, and whose next DATA can be made to stall; ``start_worker`` runs the worker as its own
process (and process group) with ``environment`` pointing it at the test database.
"""

from __future__ import annotations

import asyncio
import email
import os
import signal
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass
from email.message import EmailMessage
from email.policy import default as default_policy
from pathlib import Path
from typing import IO, Any

from aiosmtpd.controller import Controller

from tests.live_server import SERVER_ONLY, url_of_the_test_database

STOP_SECONDS = 10.0


# --- The mail server --------------------------------------------------------------------------


class Mailbox:
    """aiosmtpd handler: keeps every message it accepts, parsed.

    After ``stall_next()`` the next DATA is held (the client waits for the answer) until
    ``release()``, then refused with a temporary error and not kept: the server never took it.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._messages: list[EmailMessage] = []
        self._stall = False
        self.stalled: EmailMessage | None = None  # the held message, once it arrived
        self._released = threading.Event()

    def stall_next(self) -> None:
        self._stall, self.stalled = True, None
        self._released.clear()

    def release(self) -> None:
        self._released.set()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        parsed = email.message_from_bytes(envelope.original_content, policy=default_policy)
        if self._stall:
            self._stall, self.stalled = False, parsed
            while not self._released.is_set():  # asleep, so other connections are served
                await asyncio.sleep(0.02)
            return "451 4.3.0 Try again later"
        with self._lock:
            self._messages.append(parsed)
        return "250 Message accepted for delivery"

    def messages(self) -> list[EmailMessage]:
        with self._lock:
            return list(self._messages)


class SmtpServer:
    """An SMTP server on a fixed loopback port that can go away and come back on that port."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.mailbox = Mailbox()
        self._controller: Controller | None = None

    def start(self) -> None:
        if self._controller is None:
            controller = Controller(self.mailbox, hostname="127.0.0.1", port=self.port)
            controller.start()
            self._controller = controller

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None


# --- The live stack: gunicorn and a worker on the test database -------------------------------


def environment(overrides: dict[str, str]) -> dict[str, str]:
    """The same environment the concurrency harness gives gunicorn, plus ``overrides``."""
    env = {key: value for key, value in os.environ.items() if key not in SERVER_ONLY}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "amtstermin.settings",
            "DATABASE_URL": url_of_the_test_database(),
            "AMTSTERMIN_HTTPS": "0",
            "PYTHONUNBUFFERED": "1",
        }
    )
    env.update(overrides)
    return env


@dataclass
class Worker:
    process: subprocess.Popen[bytes]
    log: IO[bytes]

    def output(self) -> str:
        self.log.flush()
        self.log.seek(0)
        text = self.log.read().decode("utf-8", "replace")
        self.log.seek(0, os.SEEK_END)
        return text[-8000:]

    def kill(self) -> None:
        """SIGKILL, as the kernel's out-of-memory killer or a power cut would end it."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)  # db_worker: graceful stop
            try:
                self.process.wait(STOP_SECONDS)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


def start_worker(env: dict[str, str]) -> Worker:
    command = [str(Path(sys.executable).with_name("amtstermin")), "worker", "--interval", "0.2"]
    log = tempfile.TemporaryFile()  # noqa: SIM115 - lives as long as the worker
    process = subprocess.Popen(
        command, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    return Worker(process=process, log=log)
