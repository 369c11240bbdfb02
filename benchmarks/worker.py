"""One database, one size: the figures measured inside a Django process, written as JSON.

``python -m benchmarks.worker --size 600 --db sqlite --out result.json`` with ``DATABASE_URL`` pointing at a
copy of a generated dataset (the orchestrator, ``python -m benchmarks``, prepares the copy and calls this).
It measures, in this order (the last ones write to the database):

1. pages: server time of each page through Django's test client (``--requests`` timed requests after
   ``--warmup`` untimed ones), median and p95, and the number of queries of one request; then the national
   observatory's figures computed without cache by the function alone, from the summary and from the registers;
   breakdown: the ATS dashboard and calendar again, each request split into SQL, template, session and the
   rest (``breakdown.py``);
2. floors: the same aggregates by one hand-written SQL query each (``floors.py``), median of as many runs;
3. documents: POA export (XLSX and PDF) of the partnership's plan through the same views a user calls; the
   PNRR evidence pack of its CUP for the year: the request that queues it, and its build (the worker's task);
4. load: gunicorn (2 workers) on loopback driven by locust headless (``load.py``), then two such servers behind
   HAProxy sharing Redis, PostgreSQL and the documents (``servers.py``, PostgreSQL only);
5. census import: 15,000 rows into a new ATS, XLSX then CSV (``census_import.py``).

DEBUG is off, as in production: with DEBUG on Django keeps every query in memory.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from supervisione.lib import clock

ROOT = Path(__file__).resolve().parent.parent
# The observatory keeps its figures for a while (OBSERVATORY_CACHE_SECONDS): measured both ways.
NO_CACHE_OBSERVATORY = "observatory (national), no cache"
OBSERVATORY_FIGURES = "observatory figures, no cache"


def setup_django() -> None:
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "supervisione.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def timings(run: Callable[[], Any], requests: int, warmup: int) -> dict[str, float]:
    for _ in range(warmup):
        run()
    elapsed, cpu = [], []
    for _ in range(requests):
        started, cpu_started = time.perf_counter(), time.process_time()
        run()
        elapsed.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - cpu_started) * 1000)
    # CPU time of this process: the application's own work (and SQLite's, which runs in the process, but not
    # PostgreSQL's); less disturbed than the elapsed time when other programs share the cores.
    return {
        "median_ms": statistics.median(elapsed),
        "p95_ms": percentile(elapsed, 0.95),
        "cpu_median_ms": statistics.median(cpu),
    }


def measure_pages(subjects: Any, today: datetime.date, requests: int, warmup: int) -> list[dict[str, Any]]:
    from django.test import Client
    from django.test.utils import override_settings
    from django.urls import reverse

    from .personas import ROLES

    clients: dict[str, Client] = {}
    for role, user in subjects.users.items():
        client = Client()
        client.force_login(user)
        clients[role] = client
    anonymous = Client()
    year = subjects.year
    month = f"vista=mese&giorno={today:%Y-%m-%d}"
    pages: list[tuple[str, str, str, bool]] = [("trivial view (/healthz)", "", reverse("healthz"), False)]
    pages += [(f"home: {role}", role, reverse("home:home"), False) for role in ROLES if role in clients]
    pages += [
        ("ATS dashboard", "referent", f"{reverse('monitoring:ambito', args=[subjects.ambito.code])}?anno={year}", True),
        (
            "partnership dashboard",
            "coordinator",
            f"{reverse('monitoring:partnership', args=[subjects.partnership.code])}?anno={year}",
            False,
        ),
        ("observatory (national)", "observer", f"{reverse('monitoring:observatory')}?anno={year}", False),
        (NO_CACHE_OBSERVATORY, "observer", f"{reverse('monitoring:observatory')}?anno={year}", False),
        (
            "calendar month (ATS)",
            "referent",
            f"{reverse('sessions:ambito_calendar', args=[subjects.ambito.code])}?{month}",
            True,
        ),
        ("POA page", "coordinator", reverse("planning:plan_detail", args=[subjects.plan.pk]), False),
        (
            "census list (ATS)",
            "referent",
            reverse("census:census_detail", args=[subjects.census.campaign_id, subjects.ambito.code]),
            True,
        ),
    ]
    results = []
    for name, role, url, one_ats in pages:
        client = clients[role] if role else anonymous
        if name == NO_CACHE_OBSERVATORY:
            with override_settings(OBSERVATORY_CACHE_SECONDS=0):
                results.append(measure_page(name, client, url, role, one_ats, requests, warmup))
        else:
            results.append(measure_page(name, client, url, role, one_ats, requests, warmup))
    results += measure_observatory_figures(year, today, requests, warmup)
    return results


def measure_observatory_figures(year: int, today: datetime.date, requests: int, warmup: int) -> list[dict[str, Any]]:
    """The national observatory's figures computed without cache, by the function the page calls
    (``perf_counter`` around ``figures``, no request or template): read from the summary of hours, as the page
    reads them, and from every session and register, as before the summary."""
    from django.db import connection
    from django.db.models import Q
    from django.test.utils import CaptureQueriesContext

    from supervisione.monitoring.figures import figures
    from supervisione.monitoring.selection import YEAR, Selection, plans_of_year

    selection = Selection(year, YEAR, today, tuple(plans_of_year(year, Q())))
    results = []
    for name, from_summary in ((OBSERVATORY_FIGURES, True), (f"{OBSERVATORY_FIGURES} from the registers", False)):
        run = partial(figures, selection, by_measure=True, from_summary=from_summary)
        with CaptureQueriesContext(connection) as captured:
            run()
        timed = timings(run, requests, warmup)
        queries = len(captured.captured_queries)
        print(f"    {name:32} {timed['median_ms']:8.1f} ms  p95 {timed['p95_ms']:8.1f}  {queries} queries")
        results.append({"name": name, "url": "", "role": "", "one_ats": False, "queries": queries, **timed})
    return results


def measure_page(
    name: str, client: Any, url: str, role: str, one_ats: bool, requests: int, warmup: int
) -> dict[str, Any]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    response = client.get(url)
    if response.status_code != 200:
        raise SystemExit(f"{name}: {url} answered {response.status_code} to {role or 'anonymous'}")
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    # Read now: every request empties the connection's query log (request_started).
    queries = len(captured.captured_queries)
    figures = timings(partial(client.get, url), requests, warmup)
    print(f"    {name:32} {figures['median_ms']:8.1f} ms  p95 {figures['p95_ms']:8.1f}  {queries} queries")
    return {"name": name, "url": url, "role": role, "one_ats": one_ats, "queries": queries, **figures}


def measure_floors(subjects: Any, today: datetime.date, requests: int, warmup: int) -> list[dict[str, Any]]:
    from django.db import connection

    from .floors import floors

    results = []
    for floor in floors(subjects, today.isoformat()):

        def run(floor: Any = floor) -> int:
            with connection.cursor() as cursor:
                cursor.execute(floor.sql, floor.params)
                return len(cursor.fetchall())

        rows = run()
        figures = timings(run, requests, warmup)
        results.append({"page": floor.page, "rows": rows, **figures})
        print(f"    floor {floor.page:26} {figures['median_ms']:8.1f} ms  ({rows} rows)")
    return results


def measure_documents(subjects: Any, runs: int) -> list[dict[str, Any]]:
    from django.test import Client
    from django.urls import reverse

    client = Client()
    client.force_login(subjects.users["coordinator"])
    documents = [
        ("POA export XLSX", reverse("planning:plan_export", args=[subjects.plan.pk, "xlsx"])),
        ("POA export PDF", reverse("planning:plan_export", args=[subjects.plan.pk, "pdf"])),
    ]
    results = []
    for name, url in documents:
        response = client.get(url)
        if response.status_code != 200 or not response.get("Content-Disposition", "").startswith("attachment"):
            raise SystemExit(f"{name}: {url} answered {response.status_code} without a file")
        size = len(response.getvalue())
        elapsed = []
        for _ in range(runs):
            started = time.perf_counter()
            client.get(url)
            elapsed.append(time.perf_counter() - started)
        results.append({"name": name, "seconds": statistics.median(elapsed), "bytes": size})
        print(f"    {name:32} {statistics.median(elapsed):8.2f} s   {size:,} bytes")
    if subjects.cup:
        results += measure_evidence_pack(client, subjects)
    return results


def measure_evidence_pack(client: Any, subjects: Any) -> list[dict[str, Any]]:
    """The PNRR evidence pack of the partnership's CUP for the year: the form's POST only queues it (the database
    task backend); the build is what ``manage.py db_worker`` runs, timed here in this process. The first build
    issues the final registers the generated data never stored; the second reads them back."""
    from django.urls import reverse

    from supervisione.monitoring.jobs import build as build_job
    from supervisione.monitoring.models import DocumentJob, JobStatus

    year = subjects.year
    url = reverse("monitoring:evidence_pack", args=[subjects.partnership.code])
    data = {"cup": subjects.cup, "start": f"01/01/{year}", "end": f"31/12/{year}"}
    results = []
    for label in ("first, issuing the registers", "again"):
        started = time.perf_counter()
        response = client.post(url, data)
        asked = time.perf_counter() - started
        if response.status_code != 302:
            raise SystemExit(f"evidence pack: {url} answered {response.status_code}")
        job = DocumentJob.objects.latest("pk")
        started = time.perf_counter()
        build_job(job.pk)
        built = time.perf_counter() - started
        job.refresh_from_db()
        if job.status != JobStatus.READY:
            raise SystemExit(f"evidence pack: {job.error}")
        results.append({"name": f"evidence pack request (CUP, {year}), {label}", "seconds": asked, "bytes": 0})
        results.append({"name": f"evidence pack build (CUP, {year}), {label}", "seconds": built, "bytes": job.size})
        print(f"    evidence pack request            {asked:8.2f} s")
        print(f"    evidence pack build, {label:24} {built:8.2f} s   {job.size:,} bytes")
    return results


def dataset_counts() -> dict[str, int]:
    from supervisione.census.models import Person
    from supervisione.planning.models import Plan
    from supervisione.sessions.models import Attendance, Session
    from supervisione.territory.models import Ambito, Partnership

    return {
        "ambiti": Ambito.objects.count(),
        "partnerships": Partnership.objects.count(),
        "people": Person.objects.count(),
        "plans": Plan.objects.count(),
        "sessions": Session.objects.count(),
        "attendance": Attendance.objects.count(),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", required=True, help="the dataset's label (number of ATS)")
    parser.add_argument("--db", required=True, choices=["sqlite", "postgres"])
    parser.add_argument("--out", required=True, type=Path)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--document-runs", type=int, default=3)
    parser.add_argument("--parts", default="pages,breakdown,floors,documents,load,servers,import")
    parser.add_argument("--today", type=datetime.date.fromisoformat, default=None)
    parser.add_argument("--load-seconds", type=int, default=60)
    parser.add_argument("--load-users", type=int, default=50)
    parser.add_argument("--import-rows", type=int, default=15000)
    args = parser.parse_args(argv)
    parts = set(args.parts.split(","))
    setup_django()

    from . import breakdown, census_import, load, personas, servers

    today = args.today or clock.today()
    result: dict[str, Any] = {"db": args.db, "size": args.size, "today": today.isoformat()}
    result["dataset"] = dataset_counts()
    subjects = personas.choose(today)
    result["subjects"] = subjects.describe()
    print(f"  {args.db} {args.size}: {result['dataset']}; subjects {result['subjects']}")
    if "pages" in parts:
        result["pages"] = measure_pages(subjects, today, args.requests, args.warmup)
    if "breakdown" in parts:
        result["breakdown"] = breakdown.measure(subjects, today, args.requests, args.warmup)
    if "floors" in parts:
        result["floors"] = measure_floors(subjects, today, args.requests, args.warmup)
    if "documents" in parts:
        result["documents"] = measure_documents(subjects, args.document_runs)
    if "load" in parts:
        result["load"] = load.run(subjects, today, seconds=args.load_seconds, users=args.load_users)
    if "servers" in parts and args.db == "postgres":  # several servers share a database server, not a file
        result["servers"] = servers.run(subjects, today, seconds=args.load_seconds, users=args.load_users)
    if "import" in parts:
        result["import"] = census_import.measure(rows=args.import_rows)
    args.out.write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
