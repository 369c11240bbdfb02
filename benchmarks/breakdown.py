"""Where the server time of one ATS's pages goes (issue 20.5): the ATS dashboard and the ATS calendar month.

For each page, through Django's test client as the ATS's referent (as ``worker.measure_pages``), every timed
request is split into phases, each measured in elapsed time and in CPU time of this process
(``time.process_time``, which a loaded machine disturbs less than the elapsed time):

- **SQL**: inside the database driver's ``execute`` (a ``connection.execute_wrapper``): building nothing,
  only sending the query and reading its rows; on PostgreSQL the elapsed time includes the server's work, the
  CPU time only the client's;
- **template**: rendering the page's template (the backend's ``Template.render``), its SQL excluded (a lazy
  query run from the template counts as SQL);
- **session**: ``SessionMiddleware.process_response``, which saves the session when something changed it
  (``SessionRefreshMiddleware`` marks it at most every ``SESSION_REFRESH_SECONDS``);
- **view and middleware**: the rest, the Python of the view (building queries with the ORM, computing the
  figures) and of the middleware, and the test client's own request and response handling (what the trivial
  view ``/healthz`` costs, about 0.3 ms).

It prints, and returns for the report, the median and p95 of the elapsed time, the median CPU time, the number of
queries of one request, the median of each phase, and the load average before and after the page's requests.
"""

from __future__ import annotations

import datetime
import os
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

PHASES = ("sql", "template", "session")


class Clock:
    """Elapsed and CPU time spent in each phase during one request; nested phases are not counted twice."""

    def __init__(self) -> None:
        self.elapsed: dict[str, float] = dict.fromkeys(PHASES, 0.0)
        self.cpu: dict[str, float] = dict.fromkeys(PHASES, 0.0)
        self.inside: list[str] = []

    def reset(self) -> None:
        for phase in PHASES:
            self.elapsed[phase] = 0.0
            self.cpu[phase] = 0.0

    @contextmanager
    def phase(self, name: str) -> Iterator[None]:
        started, cpu_started = time.perf_counter(), time.process_time()
        self.inside.append(name)
        try:
            yield
        finally:
            self.inside.pop()
            elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
            self.elapsed[name] += elapsed
            self.cpu[name] += cpu
            # The enclosing phase (a query run while rendering) keeps only its own time.
            if self.inside:
                self.elapsed[self.inside[-1]] -= elapsed
                self.cpu[self.inside[-1]] -= cpu


@contextmanager
def instrumented(clock: Clock) -> Iterator[None]:
    """Time the phases of every request made meanwhile in this process."""
    from django.contrib.sessions.middleware import SessionMiddleware
    from django.db import connection
    from django.template.backends.django import Template

    render, process_response = Template.render, SessionMiddleware.process_response

    def timed_render(self: Any, *args: Any, **kwargs: Any) -> Any:
        with clock.phase("template"):
            return render(self, *args, **kwargs)

    def timed_session(self: Any, *args: Any, **kwargs: Any) -> Any:
        with clock.phase("session"):
            return process_response(self, *args, **kwargs)

    def timed_sql(execute: Callable[..., Any], *args: Any) -> Any:
        with clock.phase("sql"):
            return execute(*args)

    Template.render = timed_render  # type: ignore[method-assign]
    SessionMiddleware.process_response = timed_session  # type: ignore[method-assign]
    try:
        with connection.execute_wrapper(timed_sql):
            yield
    finally:
        Template.render = render  # type: ignore[method-assign]
        SessionMiddleware.process_response = process_response  # type: ignore[method-assign]


def _load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f}"


def measure_page(name: str, client: Any, url: str, requests: int, warmup: int) -> dict[str, Any]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from .worker import percentile

    for _ in range(warmup):
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{name}: {url} answered {response.status_code}")
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    queries = len(captured.captured_queries)
    load_before = _load()
    clock = Clock()
    elapsed: list[float] = []
    cpu: list[float] = []
    phases: dict[str, list[float]] = {f"{phase}_{kind}": [] for phase in PHASES for kind in ("ms", "cpu_ms")}
    rest: list[float] = []
    rest_cpu: list[float] = []
    with instrumented(clock):
        for _ in range(requests):
            clock.reset()
            started, cpu_started = time.perf_counter(), time.process_time()
            client.get(url)
            total, total_cpu = time.perf_counter() - started, time.process_time() - cpu_started
            elapsed.append(total * 1000)
            cpu.append(total_cpu * 1000)
            for phase in PHASES:
                phases[f"{phase}_ms"].append(clock.elapsed[phase] * 1000)
                phases[f"{phase}_cpu_ms"].append(clock.cpu[phase] * 1000)
            rest.append((total - sum(clock.elapsed.values())) * 1000)
            rest_cpu.append((total_cpu - sum(clock.cpu.values())) * 1000)
    result: dict[str, Any] = {
        "name": name,
        "url": url,
        "queries": queries,
        "median_ms": statistics.median(elapsed),
        "p95_ms": percentile(elapsed, 0.95),
        "cpu_median_ms": statistics.median(cpu),
        "cpu_p95_ms": percentile(cpu, 0.95),
        "view_ms": statistics.median(rest),
        "view_cpu_ms": statistics.median(rest_cpu),
        "load_before": load_before,
        "load_after": _load(),
        **{key: statistics.median(values) for key, values in phases.items()},
    }
    print(
        f"    {name:24} {result['median_ms']:6.1f} ms  p95 {result['p95_ms']:6.1f}  CPU {result['cpu_median_ms']:5.1f}"
        f"  {queries} queries | SQL {result['sql_ms']:5.1f} (CPU {result['sql_cpu_ms']:4.1f})"
        f"  template {result['template_ms']:5.1f} ({result['template_cpu_ms']:4.1f})"
        f"  session {result['session_ms']:4.1f} ({result['session_cpu_ms']:4.1f})"
        f"  view+middleware {result['view_ms']:5.1f} ({result['view_cpu_ms']:4.1f})"
        f"  | load {load_before} / {result['load_after']}"
    )
    return result


def measure(subjects: Any, today: datetime.date, requests: int, warmup: int) -> list[dict[str, Any]]:
    from django.test import Client
    from django.urls import reverse

    client = Client()
    client.force_login(subjects.users["referent"])
    code = subjects.ambito.code
    pages = [
        ("ATS dashboard", f"{reverse('monitoring:ambito', args=[code])}?anno={subjects.year}"),
        (
            "calendar month (ATS)",
            f"{reverse('sessions:ambito_calendar', args=[code])}?vista=mese&giorno={today:%Y-%m-%d}",
        ),
    ]
    return [measure_page(name, client, url, requests, warmup) for name, url in pages]
