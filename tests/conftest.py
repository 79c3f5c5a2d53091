"""Test set-up shared by every test: environment, database choice, a small cast of data.

The suite runs on SQLite by default and on PostgreSQL when DATABASE_URL names one.
AMTSTERMIN_REQUIRE_POSTGRES=1 (set by CI) fails the run unless it really is on PostgreSQL.
"""

from __future__ import annotations

import os

import pytest


def pytest_report_header(config: pytest.Config) -> str:
    from django.conf import settings

    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    return f"amtstermin: database {engine}"


def pytest_sessionstart(session: pytest.Session) -> None:
    from django.conf import settings

    engine = settings.DATABASES["default"]["ENGINE"]
    if os.environ.get("AMTSTERMIN_REQUIRE_POSTGRES") == "1" and "postgresql" not in engine:
        raise pytest.UsageError(
            "AMTSTERMIN_REQUIRE_POSTGRES=1 but DATABASE_URL does not name a PostgreSQL database"
        )


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    """Tests roll back the database, so ids repeat; cached answers must not outlive a test."""
    from django.core.cache import cache

    cache.clear()
