"""The day's jobs run once, whichever and however many servers run the scheduler."""

from __future__ import annotations

import datetime
import io
import threading
import time
from collections import Counter
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection

from supervisione.monitoring.tests.conftest import TODAY, Year, year  # noqa: F401  (fixture)
from supervisione.scheduling import runs
from supervisione.scheduling.models import JobRun, RunStatus
from supervisione.sessions.tests.conftest import cal, media  # noqa: F401  (fixtures year needs)

ROME = ZoneInfo("Europe/Rome")
MORNING = datetime.datetime(2026, 3, 10, 7, 45, tzinfo=ROME)
JOBS = {"avvisi": ("monitoring_alerts", "07:00"), "promemoria": ("send_reminders", "07:30")}


def two_schedulers_in_threads(now: datetime.datetime, runner: runs.Runner) -> dict[str, list[JobRun]]:
    """Two servers' schedulers started at the same instant, each in its own thread and database connection (their
    writes are committed: the caller deletes them)."""
    start = threading.Barrier(2)
    made: dict[str, list[JobRun]] = {}
    errors: list[BaseException] = []

    def server(name: str) -> None:
        try:
            start.wait()
            made[name] = runs.run_due(now, server=name, runner=runner)
        except BaseException as error:  # reported by the test, not lost in the thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=server, args=(name,)) for name in ("server-a", "server-b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors, errors
    return made


@pytest.mark.django_db
def test_two_schedulers_at_once_run_each_job_once(settings: Any) -> None:
    """On PostgreSQL, two schedulers really at the same time, each with its own connection. (SQLite takes one
    writer at a time and the test's own transaction holds it: there the next test makes them meet midway.)"""
    if connection.vendor != "postgresql":
        pytest.skip("two connections writing at once need PostgreSQL; the next test covers SQLite")
    settings.SCHEDULED_JOBS = JOBS
    ran: Counter[str] = Counter()
    lock = threading.Lock()

    def slow_job(job: runs.Job, output: io.StringIO) -> None:
        with lock:
            ran[job.name] += 1
        time.sleep(0.2)  # the other server tries while this one is still running it
        output.write(f"{job.command} eseguito")

    try:
        made = two_schedulers_in_threads(MORNING, slow_job)
        assert ran == Counter({"avvisi": 1, "promemoria": 1})
        assert sum(len(found) for found in made.values()) == 2
        stored = {run.job: run for run in JobRun.objects.all()}
        assert set(stored) == {"avvisi", "promemoria"}
        assert all(run.status == RunStatus.DONE and run.attempts == 1 for run in stored.values())
    finally:

        def clean() -> None:
            JobRun.objects.all().delete()
            connection.close()

        cleaner = threading.Thread(target=clean)
        cleaner.start()
        cleaner.join()


@pytest.mark.django_db
def test_a_second_scheduler_arriving_midway_runs_nothing(settings: Any) -> None:
    settings.SCHEDULED_JOBS = JOBS
    ran: list[tuple[str, str]] = []
    second: list[JobRun] = []

    def job(server: str) -> runs.Runner:
        def run(found: runs.Job, output: io.StringIO) -> None:
            ran.append((server, found.name))
            if server == "server-a" and found.name == "avvisi":
                # The other server's round comes while this job is still running: it claims nothing.
                second.extend(runs.run_due(MORNING, server="server-b", runner=job("server-b")))
            output.write(f"{found.command} eseguito")

        return run

    made = runs.run_due(MORNING, server="server-a", runner=job("server-a"))
    # The second server takes the job nobody had claimed yet, never the one running.
    assert ran == [("server-a", "avvisi"), ("server-b", "promemoria")]
    assert [run.job for run in second] == ["promemoria"]
    assert [run.job for run in made] == ["avvisi"]
    stored = {run.job: run for run in JobRun.objects.all()}
    assert {name: run.server for name, run in stored.items()} == {"avvisi": "server-a", "promemoria": "server-b"}
    assert all(run.status == RunStatus.DONE and run.attempts == 1 for run in stored.values())
    assert stored["avvisi"].outcome == "monitoring_alerts eseguito"
    # Later that day, on either server, nothing runs again; the next day each job runs once more.
    assert runs.run_due(MORNING + datetime.timedelta(hours=3), server="server-b", runner=job("server-b")) == []
    runs.run_due(MORNING + datetime.timedelta(days=1), server="server-b", runner=job("server-b"))
    assert Counter(name for _server, name in ran) == Counter({"avvisi": 2, "promemoria": 2})


@pytest.mark.django_db
def test_two_schedulers_send_the_daily_digest_once(
    settings: Any,
    year: Year,  # noqa: F811  (the imported fixture)
    time_machine: Any,
) -> None:
    """The real jobs on a year of sessions: every e-mail of the digest goes out once, not once per server."""
    morning = datetime.datetime.combine(TODAY, datetime.time(7, 45), tzinfo=ROME)
    time_machine.move_to(morning)
    settings.SCHEDULED_JOBS = JOBS
    world = year.cal.world
    for user, address in (
        (world.coordinator, "coordinatrice@example.it"),
        (world.supervisor, "supervisora@example.it"),
    ):
        user.email = address
        user.save(update_fields=["email"])

    def first_server(job: runs.Job, output: io.StringIO) -> None:
        runs._call(job, output)
        runs.run_due(morning, server="server-b")

    runs.run_due(morning, server="server-a", runner=first_server)
    runs.run_due(morning + datetime.timedelta(minutes=1), server="server-b")
    digests = sorted(message.to[0] for message in mail.outbox if "da seguire oggi" in message.subject)
    assert digests == ["coordinatrice@example.it", "supervisora@example.it"]
    sent = Counter((message.subject, tuple(message.to)) for message in mail.outbox)
    assert max(sent.values()) == 1, [key for key, count in sent.items() if count > 1]
    assert JobRun.objects.filter(status=RunStatus.DONE).count() == 2


@pytest.mark.django_db
def test_a_job_runs_from_its_time_of_day(settings: Any) -> None:
    settings.SCHEDULED_JOBS = JOBS
    ran: list[str] = []

    def job(found: runs.Job, output: io.StringIO) -> None:
        ran.append(found.name)

    runs.run_due(MORNING.replace(hour=6, minute=59), runner=job)
    assert ran == []
    runs.run_due(MORNING.replace(hour=7, minute=10), runner=job)
    assert ran == ["avvisi"]
    runs.run_due(MORNING.replace(hour=7, minute=30), runner=job)
    assert ran == ["avvisi", "promemoria"]


@pytest.mark.django_db
def test_a_failed_job_is_recorded_and_tried_again_a_few_times(settings: Any) -> None:
    settings.SCHEDULED_JOBS = {"avvisi": ("monitoring_alerts", "07:00")}
    attempts: list[int] = []

    def failing(job: runs.Job, output: io.StringIO) -> None:
        attempts.append(1)
        output.write("inizio")
        raise RuntimeError("posta non raggiungibile")

    for minute in range(5):
        runs.run_due(MORNING + datetime.timedelta(minutes=minute), runner=failing)
    run = JobRun.objects.get()
    assert len(attempts) == runs.MAX_ATTEMPTS
    assert (run.status, run.attempts) == (RunStatus.FAILED, runs.MAX_ATTEMPTS)
    assert "RuntimeError: posta non raggiungibile" in run.outcome
    assert run.outcome.startswith("inizio")


@pytest.mark.django_db
def test_a_run_left_midway_by_a_stopped_server_is_taken_over(settings: Any) -> None:
    settings.SCHEDULED_JOBS = {"avvisi": ("monitoring_alerts", "07:00")}
    settings.SCHEDULED_JOB_STALE_MINUTES = 60
    JobRun.objects.create(job="avvisi", day=MORNING.date(), started_at=MORNING, server="server-a")
    ran: list[str] = []

    def job(found: runs.Job, output: io.StringIO) -> None:
        ran.append(found.name)

    runs.run_due(MORNING + datetime.timedelta(minutes=59), server="server-b", runner=job)
    assert ran == []
    runs.run_due(MORNING + datetime.timedelta(minutes=61), server="server-b", runner=job)
    assert ran == ["avvisi"]
    run = JobRun.objects.get()
    assert (run.server, run.status, run.attempts) == ("server-b", RunStatus.DONE, 2)


@pytest.mark.django_db
def test_the_command_runs_the_due_jobs_and_shows_the_day(settings: Any, time_machine: Any) -> None:
    settings.SCHEDULED_JOBS = {"prova": ("check", "07:00")}
    time_machine.move_to(MORNING)
    output = io.StringIO()
    call_command("run_scheduled", stdout=output)
    assert "prova: completata." in output.getvalue()
    status = io.StringIO()
    call_command("run_scheduled", "--stato", stdout=status)
    assert status.getvalue().startswith("prova alle 07:00 (check): completata su ")
