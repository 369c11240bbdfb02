"""`make run` serves the demo as the browser journeys do: DEBUG off, so a wrong address gets the product's own
Italian 404 page rather than Django's English technical page (issue 17.5), with the static files still served."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run_commands() -> list[str]:
    make = shutil.which("make")
    if make is None:
        pytest.fail("make is not installed: the README's two commands need it")
    dry_run = subprocess.run(  # noqa: S603  (make from PATH, fixed arguments)
        [make, "-n", "run"], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return [line for line in dry_run.stdout.splitlines() if not line.lstrip().startswith("#")]


def test_the_server_runs_without_debug_and_serves_its_static_files() -> None:
    server = [line for line in run_commands() if "manage.py runserver" in line]
    assert len(server) == 1, server
    assert "DEBUG=0 " in server[0]
    assert "--insecure" in server[0]


def test_the_worker_runs_with_the_same_settings() -> None:
    worker = [line for line in run_commands() if "manage.py db_worker" in line]
    assert len(worker) == 1, worker
    assert "DEBUG=0 " in worker[0]


def test_the_scheduler_runs_beside_the_server() -> None:
    scheduler = [line for line in run_commands() if "manage.py run_scheduled --continuo" in line]
    assert len(scheduler) == 1, scheduler
    assert "DEBUG=0 " in scheduler[0]
