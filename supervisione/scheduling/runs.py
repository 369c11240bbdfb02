"""Scheduled jobs that run once a day, however many servers run the scheduler.

Every server runs ``manage.py run_scheduled --continuo`` (or calls it every few minutes). For each job of
``settings.SCHEDULED_JOBS`` whose time of day has come, each scheduler tries to insert the job's ``JobRun`` of
the day: the database's unique (job, day) lets exactly one insert succeed, and only that server runs the job.
A run that failed is tried again at the next round, up to ``MAX_ATTEMPTS`` times; one still "in corso" after
``SCHEDULED_JOB_STALE_MINUTES`` (its server stopped in the middle) is taken over. Taking over is an UPDATE
whose condition only one server can meet: the others find the row already changed.
"""

from __future__ import annotations

import datetime
import io
import logging
import socket
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from supervisione.lib import clock
from supervisione.scheduling.models import JobRun, RunStatus

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
OUTCOME_CHARS = 4_000


@dataclass(frozen=True)
class Job:
    name: str
    command: str
    at: datetime.time
    arguments: tuple[str, ...] = ()


def scheduled_jobs() -> list[Job]:
    """The jobs of ``settings.SCHEDULED_JOBS``: name -> (command, "HH:MM"[, arguments...])."""
    found = []
    for name, (command, at, *arguments) in settings.SCHEDULED_JOBS.items():
        found.append(Job(name, command, datetime.time.fromisoformat(at), tuple(arguments)))
    return sorted(found, key=lambda job: (job.at, job.name))


def claim(job: str, day: datetime.date, *, now: datetime.datetime, server: str) -> JobRun | None:
    """The day's run of ``job`` if this server may run it now, else None (another server has it, or it is done)."""
    try:
        with transaction.atomic():
            return JobRun.objects.create(job=job, day=day, started_at=now, server=server)
    except IntegrityError:
        pass
    stale = now - datetime.timedelta(minutes=settings.SCHEDULED_JOB_STALE_MINUTES)
    retry = Q(status=RunStatus.FAILED, attempts__lt=MAX_ATTEMPTS) | Q(status=RunStatus.RUNNING, started_at__lt=stale)
    taken = (
        JobRun.objects.filter(job=job, day=day)
        .filter(retry)
        .update(status=RunStatus.RUNNING, started_at=now, finished_at=None, server=server, attempts=F("attempts") + 1)
    )
    return JobRun.objects.get(job=job, day=day) if taken else None


def _finish(run: JobRun, status: RunStatus, outcome: str, now: datetime.datetime) -> None:
    run.status, run.finished_at, run.outcome = status, now, outcome[-OUTCOME_CHARS:]
    run.save(update_fields=["status", "finished_at", "outcome"])


Runner = Callable[[Job, io.StringIO], None]


def _call(job: Job, output: io.StringIO) -> None:
    call_command(job.command, *job.arguments, stdout=output, stderr=output)


def run_due(now: datetime.datetime, *, server: str | None = None, runner: Runner = _call) -> list[JobRun]:
    """Runs the jobs due at ``now`` that this server claims; the runs it made (done or failed)."""
    server = server or socket.gethostname()
    local = timezone.localtime(now)
    made = []
    for job in scheduled_jobs():
        if local.time() < job.at:
            continue
        run = claim(job.name, local.date(), now=now, server=server)
        if run is None:
            continue
        output = io.StringIO()
        try:
            runner(job, output)
        except (Exception, SystemExit) as error:  # a job's failure is recorded, and the others still run
            logger.exception("Scheduled job %s failed", job.name)
            _finish(run, RunStatus.FAILED, f"{output.getvalue()}\n{type(error).__name__}: {error}".strip(), clock.now())
        else:
            _finish(run, RunStatus.DONE, output.getvalue().strip(), clock.now())
        made.append(run)
    return made
