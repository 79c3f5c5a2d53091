"""Booking transactions on SQLite wait in the kernel's queue, not in SQLite's busy loop.

SQLite lets one writer in at a time. A connection that finds the database locked sleeps and
tries again (1, 2, 5, 10 … 100 ms), so under a rush the waiting bookers sleep through most of
the moments the lock is free: measured with four gunicorn workers, a third of the CPU stayed
idle and bookings ran at half the rate (docs/benchmarks.md). Before its IMMEDIATE transaction
begins, every booking transaction of every process therefore takes an exclusive ``flock`` on a
file beside the database; the kernel wakes the next one the moment the previous one commits.
The IMMEDIATE transaction stays the guarantee; this only orders the waiting.

The lock is released when the transaction ends, and by the kernel if the process dies.
PostgreSQL needs none of this: its advisory lock queues waiters itself.
"""

from __future__ import annotations

import fcntl
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection

_files: dict[str, int] = {}  # lock file path -> descriptor, opened once per process
# flock excludes other processes only; threads of one process (runserver) queue here first.
_threads = threading.Lock()


def _lock_file() -> int | None:
    if connection.vendor != "sqlite":
        return None
    name = str(connection.settings_dict["NAME"])
    if name == ":memory:" or name.startswith("file:"):
        return None  # a database of this process alone: nobody else to wait for
    path = f"{name}-writers.lock"
    with _threads:
        if path not in _files:
            _files[path] = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        return _files[path]


@contextmanager
def turn() -> Iterator[None]:
    """Wait for this process's turn to write (SQLite), then hold it until the block ends."""
    descriptor = _lock_file()
    if descriptor is None:
        yield
        return
    with _threads:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(descriptor, fcntl.LOCK_UN)
