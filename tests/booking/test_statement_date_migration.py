"""Migration 0031 gives existing offices the date their accessibility statement showed when it
was in the code; new offices start without one (issue 16). The integrator may renumber it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = ("booking", "0030_audit_action_choices")
AFTER = ("booking", "0031_service_categories_and_accessibility_statement")


def _migrate_to(target: tuple[str, str]) -> Any:
    executor = MigrationExecutor(connection)
    executor.migrate([target])
    executor.loader.build_graph()
    return executor.loader.project_state([target]).apps


@pytest.fixture
def old_apps() -> Iterator[Any]:
    yield _migrate_to(BEFORE)
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_an_existing_office_keeps_the_date_its_statement_showed(old_apps: Any) -> None:
    old_apps.get_model("booking", "Office").objects.create(
        name="Nord", street="Markt 1", postal_code="12345", city="Musterstadt", federal_state="NW"
    )
    new_apps = _migrate_to(AFTER)
    office = new_apps.get_model("booking", "Office").objects.get(name="Nord")
    assert office.accessibility_reviewed_on == date(2026, 11, 23)
    assert office.accessibility_conformance == "" and office.accessibility_method == ""
