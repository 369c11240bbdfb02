"""The close-out of the country's largest PNRR project and its evidence pack (issue 16).

    DATABASE_URL=sqlite:///copy.sqlite3 python -m benchmarks.pnrr_closeout [--requests 20] [--warmup 3]

Run it on a copy of a generated dataset (``manage.py generate_national --ambiti 600 --years 4``, then
``migrate``): it writes (a coordinator ``bench.coordinatore.pnrr``, the pack's job, the final registers it issues,
the ZIP in MEDIA_ROOT). The largest CUP is the one with the most confirmed sessions charged to it. Measured
through the views a coordinator calls, with Django's test client (server time, no network), DEBUG off:

1. the close-out page (``funding:pnrr_closeout``): median and p95 of ``--requests`` requests, and its queries;
2. asking for the pack (the form's POST): the request only queues the job (the database task backend);
3. building the pack (``jobs.build``, what ``manage.py db_worker`` runs): the first time, issuing
   the final register of every confirmed session (the generated data set stores none), then again with every
   register on record (reading them back).

Prints the figures, and a Markdown table for docs/PERFORMANCE.md with the machine's load average.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from typing import Any

from .worker import percentile, setup_django


def _largest_cup() -> tuple[str, str, int]:
    from django.db.models import Count

    from supervisione.sessions.models import RegisterStatus, Session, SessionStatus
    from supervisione.territory.models import FundingMeasure

    row = (
        Session.objects.filter(
            funding__measure=FundingMeasure.PNRR_114,
            status=SessionStatus.SCHEDULED,
            register_status=RegisterStatus.CONFIRMED,
        )
        .values("partnership__code", "funding__cup")
        .annotate(sessions=Count("pk"))
        .order_by("-sessions")
        .first()
    )
    if row is None:
        raise SystemExit("No session is charged to a PNRR project: generate the national data set first.")
    return row["partnership__code"], row["funding__cup"], row["sessions"]


def _timed(run: Any, requests: int, warmup: int) -> dict[str, float]:
    for _ in range(warmup):
        run()
    elapsed = []
    for _ in range(requests):
        started = time.perf_counter()
        run()
        elapsed.append((time.perf_counter() - started) * 1000)
    return {"median_ms": statistics.median(elapsed), "p95_ms": percentile(elapsed, 0.95)}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=3)
    args = parser.parse_args(argv)
    os.environ.setdefault("TASKS_BACKEND", "database")
    setup_django()

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from supervisione.accounts.models import Role
    from supervisione.funding.pnrr.queries import project_of
    from supervisione.monitoring.jobs import build as build_job
    from supervisione.monitoring.models import DocumentJob, JobStatus
    from supervisione.territory.models import Partnership

    from .personas import _user

    code, cup, sessions = _largest_cup()
    partnership = Partnership.objects.get(code=code)
    project = project_of(partnership, cup)
    assert project is not None  # noqa: S101  (the CUP was read from its rows)
    client = Client()
    client.force_login(_user("bench.coordinatore.pnrr", Role.COORDINATOR, partnership=partnership))
    print(f"Largest PNRR project: CUP {cup} of {code}, {sessions} confirmed sessions; load {os.getloadavg()}")

    closeout = reverse("funding:pnrr_closeout", args=[code, cup])
    assert client.get(closeout).status_code == 200  # noqa: S101
    with CaptureQueriesContext(connection) as captured:
        client.get(closeout)
    queries = len(captured.captured_queries)
    page = _timed(lambda: client.get(closeout), args.requests, args.warmup)
    print(f"  close-out page        {page['median_ms']:8.1f} ms median, {page['p95_ms']:.1f} p95, {queries} queries")

    form = reverse("monitoring:evidence_pack", args=[code])
    end = project.end.last_day
    start = project.start or end.replace(year=end.year - 3)
    data = {"cup": cup, "start": f"{start:%d/%m/%Y}", "end": f"{end:%d/%m/%Y}"}
    figures: dict[str, float] = {}
    for label in ("first build, issuing every register", "again, every register on record"):
        started = time.perf_counter()
        response = client.post(form, data)
        asked = time.perf_counter() - started
        if response.status_code != 302:
            raise SystemExit(f"The pack's form answered {response.status_code}")
        job = DocumentJob.objects.latest("pk")
        started = time.perf_counter()
        build_job(job.pk)
        built = time.perf_counter() - started
        job.refresh_from_db()
        if job.status != JobStatus.READY:
            raise SystemExit(f"The pack failed: {job.error}")
        figures[label] = built
        print(
            f"  pack request          {asked * 1000:8.1f} ms (queues the job)\n"
            f"  pack build, {label}: {built:.1f} s, {job.total} sessions, "
            f"{job.generated_registers} registers issued, {job.size / 1e6:.1f} MB; load {os.getloadavg()}"
        )
    print()
    print("| measure | value |")
    print("|---|---:|")
    print(f"| close-out page, median (p95) | {page['median_ms']:.0f} ms ({page['p95_ms']:.0f}) |")
    print(f"| close-out page, queries | {queries} |")
    print(f"| pack request (queues the job) | {asked * 1000:.0f} ms |")
    for label, seconds in figures.items():
        print(f"| pack build, {label} | {seconds:.0f} s |")


if __name__ == "__main__":
    main()
