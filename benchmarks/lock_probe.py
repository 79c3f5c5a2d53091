"""Which SQL statements a connection runs while it holds an office's write lock.

The probe watches the statements themselves, not the application's functions, so it keeps
working however the locking code is arranged: the lock begins with the statement that takes it
(PostgreSQL: ``pg_advisory_xact_lock``; SQLite: ``BEGIN IMMEDIATE``, which takes the database's
write lock) and ends with the transaction (the commit is no cursor statement, so it is counted
apart: one per lock). Statements of the lock-taking statement's own round trip are not counted.

Use: ``with locked_statements() as probe: ...`` then ``probe.locks`` is a list with one list of
SQL texts per lock taken. ``bench_booking.py`` prints the counts for one booking and one
cancellation (``--show-locked`` lists the statements).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any


def takes_lock(sql: str) -> bool:
    return "pg_advisory_xact_lock" in sql or sql.lstrip().upper().startswith("BEGIN IMMEDIATE")


class LockProbe:
    def __init__(self) -> None:
        self.locks: list[list[str]] = []
        self._current: list[str] | None = None

    def __call__(
        self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: dict
    ) -> Any:
        if takes_lock(sql):
            self._current = []
            self.locks.append(self._current)
        elif self._current is not None:
            if context["connection"].in_atomic_block:
                self._current.append(sql)
            else:
                self._current = None  # the transaction ended: the lock is gone
        return execute(sql, params, many, context)

    def counts(self) -> list[int]:
        return [len(statements) for statements in self.locks]


@contextmanager
def locked_statements(using: str = "default") -> Iterator[LockProbe]:
    from django.db import connections

    probe = LockProbe()
    with connections[using].execute_wrapper(probe):
        yield probe
