"""``manage.py import_census`` killed midway (SIGKILL: no clean-up, no exception handler, no ``finally``) leaves
the census exactly as it was, and running it again imports the whole file.

The command runs as a real process on a real database: a copy of this run's test database (an SQLite file, or
a PostgreSQL database made from it as a template), since a process cannot see the in-memory SQLite database
nor this test's open transaction. The process is killed once it has said, on standard error, that it has
written part of the positions and not all: the rows it inserted are in the database, inside its open
transaction. Were the import to commit in pieces (per row, per batch), those rows would survive the kill and
this test would find them.
"""

from __future__ import annotations

import datetime
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

import pytest
from django.db import connection, connections
from django.db.utils import load_backend

from supervisione.audit.models import AuditEntry
from supervisione.census.models import Census, CensusCampaign, Person, Position
from supervisione.census.tests.factories import csv_file, row, tax_code
from supervisione.territory.models import Ambito, Organisation, Partnership

ROOT = Path(__file__).resolve().parents[3]
ALIAS = "import_killed"
ROWS = 3000  # six batches of positions: killed after the first, five are still to come
EMPLOYER = "Comune di Prova dell'importazione interrotta"
FIRST = 70_000  # people numbered from here: no other test uses these codici fiscali


def _file_rows() -> list[dict[str, str]]:
    return [row(FIRST + number, **{"Ente datore di lavoro": EMPLOYER}) for number in range(ROWS)]


@contextmanager
def _database_copy(tmp_path: Path) -> Iterator[str]:
    """A copy of the test database, reachable through the alias ``ALIAS`` here and through the returned
    DATABASE_URL by a child process; removed afterwards."""
    source = connection.settings_dict
    vendor = connection.vendor
    if vendor == "sqlite":
        target = tmp_path / "import-killed.sqlite3"
        connection.ensure_connection()
        # The dump is read through this test's own connection, inside its transaction (a backup would wait for
        # that transaction to end).
        copy = sqlite3.connect(target)
        copy.executescript("\n".join(connection.connection.iterdump()))
        copy.close()
        settings = {**source, "NAME": str(target)}
        url = f"sqlite:///{target}"
    elif vendor == "postgresql":
        name = f"{source['NAME']}_import_killed"[:63]
        # CREATE DATABASE ... TEMPLATE needs nobody connected to the template: this worker's own database.
        connection.close()
        with connection._nodb_cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
            cursor.execute(f'CREATE DATABASE "{name}" TEMPLATE "{source["NAME"]}"')
        settings = {**source, "NAME": name}
        credentials = urllib.parse.quote(source["USER"] or "", safe="")
        if source["PASSWORD"]:
            credentials += ":" + urllib.parse.quote(source["PASSWORD"], safe="")
        host = urllib.parse.quote(source["HOST"] or "", safe="")
        port = f":{source['PORT']}" if source["PORT"] else ""
        url = f"postgres://{credentials}@{host}{port}/{name}"
    else:  # pragma: no cover - the settings accept only SQLite and PostgreSQL
        pytest.skip(f"no way to copy a {vendor} test database for a child process")
    # A connection made here rather than configured: the test case refuses configured databases it was not
    # declared to use, and this one did not exist when it started.
    copy_connection = load_backend(settings["ENGINE"]).DatabaseWrapper(settings, ALIAS)
    connections[ALIAS] = copy_connection
    try:
        yield url
    finally:
        copy_connection.close()
        del connections[ALIAS]
        if vendor == "postgresql":
            with connection._nodb_cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{settings["NAME"]}" WITH (FORCE)')


def _import(path: Path, url: str) -> subprocess.Popen[str]:
    env = {**os.environ, "DATABASE_URL": url, "PYTHONUNBUFFERED": "1"}
    command = [sys.executable, str(ROOT / "manage.py"), "import_census", str(path), "--ambito", "PUG_MAGLIE"]
    return subprocess.Popen(  # noqa: S603  (this interpreter, manage.py and a file this test wrote)
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def _wait_for_line(stream: IO[str], starts: str, process: subprocess.Popen[str], timeout: float = 120) -> list[str]:
    """The lines up to the first that starts with ``starts``; a process silent for too long is killed, which ends
    the reading."""
    watchdog = threading.Timer(timeout, process.kill)
    watchdog.start()
    lines: list[str] = []
    try:
        for line in stream:
            lines.append(line.rstrip("\n"))
            if line.startswith(starts):
                return lines
    finally:
        watchdog.cancel()
    _out, err = process.communicate()
    raise AssertionError(f"the import never printed {starts!r}; it printed {lines} and then:\n{err}")


def _state(census_pk: int) -> dict[str, Any]:
    """What the file could have left in the copy."""
    codes = [tax_code(FIRST + number) for number in range(ROWS)]
    people = sum(
        Person.objects.using(ALIAS).filter(tax_code__in=codes[start : start + 500]).count()
        for start in range(0, ROWS, 500)
    )
    return {
        "people": people,
        "positions": Position.objects.using(ALIAS).filter(census_id=census_pk).count(),
        "employers": Organisation.objects.using(ALIAS).filter(name=EMPLOYER).count(),
        "import records": AuditEntry.objects.using(ALIAS)
        .filter(message__startswith="Importato il file", object_id=str(census_pk))
        .count(),
    }


@pytest.mark.django_db
def test_it_leaves_nothing_behind_when_killed_midway_and_imports_all_on_a_second_run(tmp_path: Path) -> None:
    path = tmp_path / "maglie.csv"
    path.write_bytes(csv_file(_file_rows()))
    with _database_copy(tmp_path) as url:
        partnership = Partnership.objects.using(ALIAS).get(code="POGGIARDO-114")
        campaign = CensusCampaign.objects.using(ALIAS).create(
            partnership=partnership,
            title="Ricognizione interrotta",
            reference_date=datetime.date(2024, 9, 30),
            deadline=datetime.date(2024, 10, 31),
        )
        census = Census.objects.using(ALIAS).create(
            campaign=campaign, ambito=Ambito.objects.using(ALIAS).get(code="PUG_MAGLIE")
        )
        nothing = {"people": 0, "positions": 0, "employers": 0, "import records": 0}
        assert _state(census.pk) == nothing

        process = _import(path, url)
        assert process.stderr is not None
        seen = _wait_for_line(process.stderr, "Posizioni nuove scritte:", process)
        process.send_signal(signal.SIGKILL)
        _out, rest = process.communicate(timeout=60)
        assert process.returncode == -signal.SIGKILL
        assert seen[-1] == f"Posizioni nuove scritte: 500 di {ROWS:,}.".replace(",", "."), seen
        # Had the import finished before the signal arrived, this would prove nothing: make sure it had not.
        assert "Comuni di servizio scritti" not in rest, "the import finished before it was killed"

        assert _state(census.pk) == nothing
        assert Census.objects.using(ALIAS).get(pk=census.pk).status == census.status

        process = _import(path, url)
        out, err = process.communicate(timeout=300)
        assert process.returncode == 0, err
        assert f"Posizioni create: {ROWS}" in out
        assert "Importazione eseguita." in out
        assert _state(census.pk) == {"people": ROWS, "positions": ROWS, "employers": 1, "import records": 1}
