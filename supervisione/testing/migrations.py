"""Testing a migration on a database of its own: ``moving_database`` (a fixture: a fresh, empty database beside
the suite's, standing in for ``default``), ``migrate`` to a state and the models of that state, ``model`` and
``rows`` to read them. Used by the tests of the migrations that move rows between apps (procurement/0001-0002,
funding/0002).

The schema a test starts from is built by the project's migrations, but not always from nothing: the schemas
that ``migrate`` built on an empty database are kept for the rest of the run (``_SNAPSHOTS``, a copy of the
database as the migrations left it, before the test wrote anything), and a later test whose target includes
every migration of one starts from a copy of it and runs the migrations that remain. Building the schema from
nothing took most of each test (about 4 of its 5 to 9 seconds of CPU, Django rendering the models of every
state); the migrations that remain, the move itself and its reversal run as before."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.apps.registry import Apps
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder
from django.db.utils import load_backend

# The database the migrations run on (a fresh one, put in place of the suite's by ``moving_database``).
ALIAS = "default"

# Schemas built from an empty database in this run, by the migrations applied: an in-memory copy on SQLite, the
# name of a template database on PostgreSQL.
_SNAPSHOTS: dict[frozenset[tuple[str, str]], Any] = {}


@pytest.fixture(scope="session")
def _migration_snapshots(django_db_blocker: Any) -> Iterator[dict[frozenset[tuple[str, str]], Any]]:
    """The kept schemas, dropped at the end of the run."""
    yield _SNAPSHOTS
    suite = connections[ALIAS]
    with django_db_blocker.unblock():
        for snapshot in _SNAPSHOTS.values():
            if isinstance(snapshot, str):
                with suite._nodb_cursor() as cursor:
                    cursor.execute(f'DROP DATABASE IF EXISTS "{snapshot}"')
            else:
                snapshot.close()
    _SNAPSHOTS.clear()


@pytest.fixture
def moving_database(
    tmp_path: Path, django_db_blocker: Any, _migration_snapshots: dict[frozenset[tuple[str, str]], Any]
) -> Iterator[BaseDatabaseWrapper]:
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
    """Migrate to ``targets`` and give the models of that state (on an empty database, from the largest schema
    kept this run that the targets include, see the module's docstring)."""
    settings.MIGRATION_MODULES = {}  # the suite runs without migrations (pyproject: --no-migrations)
    executor = MigrationExecutor(connection)
    fresh = not executor.loader.applied_migrations
    if fresh:
        wanted = {(migration.app_label, migration.name) for migration, _backwards in executor.migration_plan(targets)}
        start = max((applied for applied in _SNAPSHOTS if applied <= wanted), key=len, default=None)
        if start is not None:
            _restore(connection, _SNAPSHOTS[start])
            executor = MigrationExecutor(connection)
    executor.migrate(targets)
    if fresh:
        applied = frozenset(MigrationRecorder(connection).applied_migrations())
        if applied not in _SNAPSHOTS:
            _SNAPSHOTS[applied] = _copy(connection, len(_SNAPSHOTS))
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


def _copy(connection: BaseDatabaseWrapper, number: int) -> Any:
    """A copy of the database as it is."""
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        copy = sqlite3.connect(":memory:", check_same_thread=False)
        connection.connection.backup(copy)
        return copy
    name = connection.settings_dict["NAME"]
    template = f"{name[:50]}_schema{number}"
    connection.close()  # a template is copied with nobody connected to it
    with connection._nodb_cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{template}" TEMPLATE "{name}"')
    return template


def _restore(connection: BaseDatabaseWrapper, snapshot: Any) -> None:
    """The (empty) database becomes a copy of ``snapshot``."""
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        snapshot.backup(connection.connection)
        return
    name = connection.settings_dict["NAME"]
    connection.close()
    with connection._nodb_cursor() as cursor:
        cursor.execute(f'DROP DATABASE "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}" TEMPLATE "{snapshot}"')


def model(apps: Apps, label: str) -> Any:
    """A model of a migration state (typed loosely: the type checker knows only today's models)."""
    return apps.get_model(label)


def rows(apps: Apps, label: str) -> list[dict[str, Any]]:
    return list(model(apps, label).objects.using(ALIAS).order_by("pk").values())
