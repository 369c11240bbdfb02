"""Throughput and latency under load: gunicorn (2 workers) on loopback, driven by locust headless.

Each locust user holds its own logged-in session (a cookie made here with ``force_login`` for the benchmark's
referent) and asks, with a think time of 0.5-1.5 s, for the ATS dashboard and the ATS calendar month in turn.
The server and locust share the machine's cores, as they would not in production: the figures are a floor
of what the application can serve. Only loopback addresses are used; the run stops by itself after
``seconds``.
"""

from __future__ import annotations

import csv
import datetime
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
WORKERS = 2


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_until_up(url: str, server: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn stopped with code {server.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310  (our own loopback server)
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"gunicorn did not answer {url} within {timeout:.0f} s")


def cookies(user: Any, count: int) -> list[str]:
    from django.conf import settings
    from django.test import Client

    values = []
    for _ in range(count):
        client = Client()
        client.force_login(user)
        values.append(client.cookies[settings.SESSION_COOKIE_NAME].value)
    return values


def write_plan(folder: Path, subjects: Any, today: datetime.date, users: int) -> None:
    """The locust users' plan: a logged-in session cookie each (the benchmark's referent) and the two pages."""
    from django.conf import settings
    from django.urls import reverse

    paths = {
        "ATS dashboard": f"{reverse('monitoring:ambito', args=[subjects.ambito.code])}?anno={subjects.year}",
        "calendar month (ATS)": f"{reverse('sessions:ambito_calendar', args=[subjects.ambito.code])}"
        f"?vista=mese&giorno={today:%Y-%m-%d}",
    }
    (folder / "plan.json").write_text(
        json.dumps(
            {
                "cookie_name": settings.SESSION_COOKIE_NAME,
                "cookies": cookies(subjects.users["referent"], users),
                "paths": paths,
            }
        )
    )


def run(subjects: Any, today: datetime.date, *, seconds: int, users: int) -> list[dict[str, Any]]:
    folder = Path(tempfile.mkdtemp(prefix="supervisione-load-"))
    write_plan(folder, subjects, today, users)
    port = _free_port()
    host = f"http://127.0.0.1:{port}"
    env = {**os.environ, "DEBUG": "0", "PYTHONPATH": str(ROOT)}
    server = _start_server(folder, port, env)
    try:
        _wait_until_up(f"{host}/healthz", server)
        _run_locust(folder, host, env, seconds=seconds, users=users)
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
    return _results(folder, seconds=seconds, users=users)


def _start_server(folder: Path, port: int, env: dict[str, str]) -> subprocess.Popen[bytes]:
    """gunicorn with the benchmark's workers on a loopback port, its log in ``folder``."""
    return subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "supervisione.wsgi:application",
            "--workers",
            str(WORKERS),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "--timeout",
            "120",
        ],
        cwd=ROOT,
        env=env,
        stdout=(folder / "gunicorn.log").open("wb"),
        stderr=subprocess.STDOUT,
    )


def _run_locust(folder: Path, host: str, env: dict[str, str], *, seconds: int, users: int) -> None:
    """locust headless for ``seconds``, its statistics as CSV in ``folder``."""
    subprocess.run(
        [
            str(BIN / "locust"),
            "-f",
            str(Path(__file__).with_name("locustfile.py")),
            "--headless",
            "--users",
            str(users),
            "--spawn-rate",
            str(max(1, users // 5)),
            "--run-time",
            f"{seconds}s",
            "--host",
            host,
            "--csv",
            str(folder / "locust"),
            "--only-summary",
            "--loglevel",
            "WARNING",
            "--stop-timeout",
            "10",
        ],
        cwd=ROOT,
        env={**env, "BENCH_LOAD_PLAN": str(folder / "plan.json")},
        check=False,
        timeout=seconds + 120,
        stdout=(folder / "locust.log").open("wb"),
        stderr=subprocess.STDOUT,
    )


def _results(folder: Path, *, seconds: int, users: int, label: str = "load") -> list[dict[str, Any]]:
    """locust's statistics, a row per page and one for all requests, printed as they are read."""
    stats = folder / "locust_stats.csv"
    if not stats.exists():
        raise SystemExit(f"locust wrote no statistics: see {folder / 'locust.log'}")
    results = []
    with stats.open(newline="") as handle:
        for row in csv.DictReader(handle):
            name = "all requests" if row["Name"] == "Aggregated" else row["Name"]
            results.append(
                {
                    "name": name,
                    "requests": int(row["Request Count"]),
                    "failures": int(row["Failure Count"]),
                    "rps": float(row["Requests/s"]),
                    "p50_ms": float(row["50%"]),
                    "p95_ms": float(row["95%"]),
                    "users": users,
                    "seconds": seconds,
                }
            )
            print(
                f"    {label} {name:28} {results[-1]['rps']:6.1f} req/s  p50 {results[-1]['p50_ms']:6.0f} ms"
                f"  p95 {results[-1]['p95_ms']:6.0f} ms  errors {results[-1]['failures']}"
            )
    return results
