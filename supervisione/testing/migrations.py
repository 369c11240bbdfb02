"""Testing a migration on a database of its own: ``moving_database`` (a fixture: a fresh, empty database beside
the suite's, standing in for ``default``), ``migrate`` to a state and the models of that state, ``model`` and
``rows`` to read them. Used by the tests of the migrations that move rows between apps (procurement/0001-0002,
funding/0002)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.apps.registry import Apps
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.executor import MigrationExecutor
from django.db.utils import load_backend

# The database the migrations run on (a fresh one, put in place of the suite's by ``moving_database``).
ALIAS = "default"


@pytest.fixture
def moving_database(tmp_path: Path, django_db_blocker: Any) -> Iterator[BaseDatabaseWrapper]:
    """A fresh, empty database beside the suite's, standing in for ``default`` during the test (migrations'
    data functions read and write the default database), dropped afterwards."""
    suite = connections[ALIAS]
    settings = dict(suite.settings_dict)
    with django_db_blocker.unblock():
        if suite.vendor == "sqlite":
            settings["NAME"] = str(tmp_path / "move.sqlite3")
        else:
            settings["NAME"] = f"{settings['NAME']}_move"[:63]
            with suite._nodb_cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{settings["NAME"]}"')
                cursor.execute(f'CREATE DATABASE "{settings["NAME"]}"')
        connection = load_backend(settings["ENGINE"]).DatabaseWrapper(settings, ALIAS)
        connections[ALIAS] = connection
        try:
            yield connection
        finally:
            connection.close()
            connections[ALIAS] = suite
            if suite.vendor != "sqlite":
                with suite._nodb_cursor() as cursor:
                    cursor.execute(f'DROP DATABASE "{settings["NAME"]}"')


def migrate(connection: BaseDatabaseWrapper, targets: list[tuple[str, str]], settings: Any) -> Apps:
    """Migrate to ``targets`` and give the models of that state."""
    settings.MIGRATION_MODULES = {}  # the suite runs without migrations (pyproject: --no-migrations)
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


def model(apps: Apps, label: str) -> Any:
    """A model of a migration state (typed loosely: the type checker knows only today's models)."""
    return apps.get_model(label)


def rows(apps: Apps, label: str) -> list[dict[str, Any]]:
    return list(model(apps, label).objects.using(ALIAS).order_by("pk").values())
