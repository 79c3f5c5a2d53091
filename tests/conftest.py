"""Test set-up shared by every test: environment, database choice, a small cast of data.

The suite runs on SQLite by default and on PostgreSQL when DATABASE_URL names one.
AMTSTERMIN_REQUIRE_POSTGRES=1 (set by CI) fails the run unless it really is on PostgreSQL.
"""

from __future__ import annotations

import os
from collections.abc import Generator, Iterator
from typing import Any

import pytest

from tests.live_server import Server, StartServer, launch, wait_until_alone_in_database


def pytest_report_header(config: pytest.Config) -> str:
    from django.conf import settings

    engine = settings.DATABASES["default"]["ENGINE"]
    assert isinstance(engine, str)
    return f"amtstermin: database {engine.rsplit('.', 1)[-1]}"


def pytest_sessionstart(session: pytest.Session) -> None:
    from django.conf import settings

    engine = settings.DATABASES["default"]["ENGINE"]
    assert isinstance(engine, str)
    if os.environ.get("AMTSTERMIN_REQUIRE_POSTGRES") == "1" and "postgresql" not in engine:
        raise pytest.UsageError(
            "AMTSTERMIN_REQUIRE_POSTGRES=1 but DATABASE_URL does not name a PostgreSQL database"
        )


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    """Tests roll back the database, so ids repeat; cached answers must not outlive a test."""
    from django.core.cache import cache

    from amtstermin.booking import availability_cache, selectors

    cache.clear()
    availability_cache._memo.clear()
    selectors._configurations.clear()


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    """A request through the test client leaves its language active in the thread; each test
    starts in the site's default language instead of the previous test's."""
    from django.utils import translation

    with translation.override(None):
        yield


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
            wait_until_alone_in_database()


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
            server = launch(dict(key))
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
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report
