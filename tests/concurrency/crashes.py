"""A booking rush against a live server whose master and workers are SIGKILLed and restarted.

Client processes (standard library only, as in clients.py) book in a loop until told to stop and
report every outcome with its time: an HTTP status, or ``cut`` (the connection broke mid-request:
a kill caught it in flight), ``refused`` (no server: it is being restarted) or ``timeout``.
The conductor (``rush``) waits for real work in every life of the server, kills the whole
process group at a seeded random moment after that, and starts the server again on the same port.
"""

from __future__ import annotations

import http.client
import queue
import random
import time
import urllib.error
from collections import Counter as Tally
from dataclasses import dataclass, field
from typing import Any

from tests.concurrency.clients import CONTEXT, post_json
from tests.live_server import Server, launch, wait_until_alone_in_database

CLIENTS = 30
REQUEST_SECONDS = 10.0  # a request outlasting this is given up and counted as a timeout
LIFE_SECONDS = 30.0  # longest wait for the bookings a server must make before it is killed
# The kill comes this long (uniformly, seeded) after the last of those 201s, while the next
# bookings are under way.
KILL_DELAY_SECONDS = (0.2, 0.5)
RETRY_SECONDS = 0.05  # a client's pause when the server is down
CUT, REFUSED, TIMEOUT = "cut", "refused", "timeout"

Report = tuple[float, str, str | None]  # (time.monotonic(), outcome, booking code of a 201)
Wanted = list[tuple[object, float]]  # API bodies to book, each with how often it is chosen


def _failure(exc: BaseException) -> str:
    reason = exc.reason if isinstance(exc, urllib.error.URLError) else exc
    if isinstance(reason, ConnectionRefusedError):
        return REFUSED
    if isinstance(reason, TimeoutError):
        return TIMEOUT
    if isinstance(reason, ConnectionError | http.client.HTTPException):
        return CUT  # reset, closed without an answer, broken pipe, answer cut short
    return f"error {type(exc).__name__}: {exc}"  # the test fails on it


def _book_until_stopped(
    seed: int, url: str, wanted: Wanted, up: Any, stop: Any, events: Any
) -> None:
    choices = random.Random(seed).choices
    payloads, weights = zip(*wanted, strict=True)
    while not stop.is_set():
        if not up.wait(RETRY_SECONDS):
            continue  # the server is being restarted; its readiness check needs the backlog
        code = None
        try:
            [payload] = choices(payloads, weights)
            status, body = post_json(url, payload, timeout=REQUEST_SECONDS)
            outcome = str(status)
            if status == 201:
                code = body["code"]
        except Exception as exc:
            outcome = _failure(exc)
        events.put((time.monotonic(), outcome, code))
        if outcome == REFUSED:
            time.sleep(RETRY_SECONDS)


@dataclass
class Rush:
    events: list[Report] = field(default_factory=list)
    kills: list[tuple[float, float]] = field(default_factory=list)  # (killed, up again)

    def booked(self) -> list[str]:
        """The codes of every 201 a client saw."""
        return [code for _at, outcome, code in self.events if code is not None]

    def outcomes(self) -> Tally[str]:
        return Tally(outcome for _at, outcome, _code in self.events)

    def cut_by_each_kill(self) -> list[int]:
        """Requests whose connection broke while the server was down: in flight at the kill."""
        return [
            sum(1 for at, outcome, _ in self.events if outcome == CUT and killed <= at < up)
            for killed, up in self.kills
        ]


class _Conductor:
    def __init__(self, env: dict[str, str], events: Any, rush: Rush) -> None:
        self.env = env
        self.events = events
        self.rush = rush
        self.up = CONTEXT.Event()  # clients send only while it is set
        self.server: Server | None = launch(env)
        self.base_url = self.server.base_url
        self.up.set()

    def collect(self, seconds: float) -> None:
        """Read the clients' reports for ``seconds``."""
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            try:
                self.rush.events.append(self.events.get(timeout=left))
            except queue.Empty:
                return

    def drain(self) -> None:
        """Every report left, once the clients have exited."""
        while True:
            try:
                self.rush.events.append(self.events.get(timeout=0.2))
            except queue.Empty:
                return

    def wait_for_bookings(self, count: int) -> None:
        """Until this life of the server has answered ``count`` more 201s."""
        goal = len(self.rush.booked()) + count
        deadline = time.monotonic() + LIFE_SECONDS
        while len(self.rush.booked()) < goal:
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"the server booked too little in {LIFE_SECONDS} s: {self.rush.outcomes()}"
                )
            self.collect(0.1)

    def kill_and_restart(self) -> None:
        assert self.server is not None
        self.up.clear()  # requests sent already stay in flight
        killed = time.monotonic()
        self.server.kill()
        self.stop_server()
        port = int(self.base_url.rsplit(":", 1)[1])
        self.server = launch(self.env, port=port)
        self.rush.kills.append((killed, time.monotonic()))
        self.up.set()

    def stop_server(self) -> None:
        """Stop the server; what it logged is shown if the test fails."""
        if self.server is not None:
            print(f"--- gunicorn log ({self.base_url}) ---\n{self.server.output()}")
            self.server.stop()
            self.server = None


def rush(
    env: dict[str, str],
    wanted: Wanted,
    *,
    kills: int,
    bookings_per_life: int,
    seed: int,
    clients: int = CLIENTS,
) -> Rush:
    """``clients`` processes book at random from ``wanted`` while the server is killed
    ``kills`` times. Every life of the server, the last included, must answer
    ``bookings_per_life`` 201s before it ends.
    """
    moment = random.Random(seed)
    stop = CONTEXT.Event()
    events = CONTEXT.Queue()
    result = Rush()
    conductor = _Conductor(env, events, result)
    url = conductor.base_url + "/api/v1/appointments"
    processes = [
        CONTEXT.Process(
            target=_book_until_stopped,
            args=(seed * 1000 + n, url, wanted, conductor.up, stop, events),
            daemon=True,
        )
        for n in range(clients)
    ]
    try:
        for process in processes:
            process.start()
        for _ in range(kills):
            conductor.wait_for_bookings(bookings_per_life)
            conductor.collect(moment.uniform(*KILL_DELAY_SECONDS))
            conductor.kill_and_restart()
        conductor.wait_for_bookings(bookings_per_life)
    finally:
        stop.set()
        deadline = time.monotonic() + REQUEST_SECONDS + 5
        while any(process.is_alive() for process in processes) and time.monotonic() < deadline:
            conductor.collect(0.1)  # a client cannot exit before its reports are read
        conductor.drain()
        for process in processes:
            if process.is_alive():
                process.kill()
            process.join()
        conductor.stop_server()
        wait_until_alone_in_database()
    return result
