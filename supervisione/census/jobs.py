"""The web import: the upload stores the file and queues a task; a worker reads it; the user confirms.

1. ``start_job`` (the upload request): stores the file in an ``ImportJob`` (queued) and enqueues
   ``census.tasks.read_import``. Nothing of the file is read inside the request.
2. ``read_job`` (the task, run by ``manage.py db_worker``): claims the job once, then reads and checks the
   file row by row within the limits of the IMPORT_* settings (``importing.run.check_file``), saving how far
   it got every ``importing.run.CHUNK_ROWS`` rows; at the end it saves the valid rows, the first problems (the
   others counted by column) and the preview (what would be created, updated, left alone), and drops the file.
   A file that cannot be read or passes a limit fails with the reason in Italian. The page polls the job
   meanwhile.
3. ``confirm`` (the user): plans again against the current data and writes everything in one transaction.

A job runs at most once: the task claims it with a conditional update, and a job that failed, was cancelled
or was stopped midway (``stop_if_stalled``: the worker was killed or the machine restarted) stays so until the
user uploads the file again.
"""

from __future__ import annotations

import datetime
import io
import logging
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction

from supervisione.census.importing.apply import ApplyResult, apply_plan
from supervisione.census.importing.plan import Plan, plan_import
from supervisione.census.importing.problems import ImportFileError
from supervisione.census.importing.rows import ParsedRow
from supervisione.census.importing.run import CheckedFile, check_file
from supervisione.census.models import Census, ImportJob, ImportStatus
from supervisione.leps.parameters import rules_at
from supervisione.lib import clock

if TYPE_CHECKING:
    from supervisione.accounts.models import User

logger = logging.getLogger(__name__)

PREVIEW_ROWS = 200
WORKING = (ImportStatus.QUEUED, ImportStatus.READING)


class ImportJobError(Exception):
    """The job cannot do what was asked (already imported, has errors...): an Italian message."""


class _StoppedError(Exception):
    """The job was cancelled or declared stalled while it was being read."""


def start_job(census: Census, *, content: bytes, filename: str, kind: str, by: User) -> ImportJob:
    """Store the upload and queue its reading (inside the request: no parsing, two inserts)."""
    from supervisione.census.tasks import read_import  # noqa: PLC0415  (tasks import this module)

    job = ImportJob.objects.create(
        census=census, created_by=by, filename=filename[:200], kind=kind, content=content, status=ImportStatus.QUEUED
    )
    read_import.enqueue(job.pk)
    job.refresh_from_db()  # the immediate backend (tests) has read it already
    return job


def read_job(job_id: int) -> None:
    """Read and check the job's file, once: a job not queued (read, failed, cancelled) is left as it is."""
    claimed = ImportJob.objects.filter(pk=job_id, status=ImportStatus.QUEUED).update(
        status=ImportStatus.READING, started_at=clock.now()
    )
    if not claimed:
        return
    job = ImportJob.objects.select_related("census__campaign", "census__ambito").get(pk=job_id)
    census = job.census

    def saved_progress(rows: int) -> None:
        if not ImportJob.objects.filter(pk=job_id, status=ImportStatus.READING).update(processed_rows=rows):
            raise _StoppedError

    source = io.BytesIO(bytes(job.content))
    job.content = b""  # the file is held once, by ``source``
    try:
        checked = check_file(
            census,
            source,
            full_time_hours=rules_at(census.campaign.reference_date).full_time_hours,
            progress=saved_progress,
        )
        del source
        fields = _ready(census, checked)
    except _StoppedError:
        return
    except ImportFileError as error:
        fields = _failed(str(error))
    except Exception:
        logger.exception("Import job %s could not be read", job_id)
        fields = _failed(
            "La lettura del file si è interrotta per un errore imprevisto: l'amministratore lo trova nel registro "
            "del server. Prova a salvare di nuovo il file o a esportarlo in CSV."
        )
    # Only a job still being read takes the result: one cancelled or declared stalled meanwhile stays so.
    ImportJob.objects.filter(pk=job_id, status=ImportStatus.READING).update(**fields)


def _failed(message: str) -> dict[str, Any]:
    return {
        "status": ImportStatus.FAILED,
        "errors": [{"row": 1, "column": "", "message": message}],
        "error_count": 1,
        "error_rows": 0,
        "content": b"",
        "parsed": [],
        "finished_at": clock.now(),
    }


def _ready(census: Census, checked: CheckedFile) -> dict[str, Any]:
    header_problems = any(problem.row == 1 for problem in checked.problems.problems)
    # The preview first: its plan (a model instance per person and position) is dropped before the rows
    # become JSON, so that the two never take memory together.
    report = _empty_report() if header_problems else _preview(plan_import(census, checked.valid))
    return {
        "status": ImportStatus.READY,
        "total_rows": checked.rows,
        "processed_rows": checked.rows,
        "parsed": [row.to_json() for row in checked.valid],
        "errors": [problem.as_dict() for problem in checked.problems.problems],
        "error_count": checked.problems.count,
        "error_rows": len(checked.problems.rows),
        "errors_not_listed": dict(checked.problems.not_listed),
        "notices": checked.notices,
        "report": report,
        "content": b"",
    }


def stalled_after() -> datetime.timedelta:
    """How long a job may be read before it is declared stopped: twice the time limit, and a minute."""
    return datetime.timedelta(seconds=2 * settings.IMPORT_MAX_SECONDS + 60)


def stop_if_stalled(job: ImportJob) -> ImportJob:
    """A job read for far longer than the time limit was stopped (worker killed, machine restarted): say so."""
    if job.status == ImportStatus.READING and job.started_at and job.started_at < clock.now() - stalled_after():
        fields = _failed(
            "La lettura del file si è interrotta prima della fine (il servizio che legge i file è stato fermato): "
            "carica di nuovo il file."
        )
        if ImportJob.objects.filter(pk=job.pk, status=ImportStatus.READING).update(**fields):
            for name, value in fields.items():
                setattr(job, name, value)
    return job


def valid_rows(job: ImportJob) -> list[ParsedRow]:
    return [ParsedRow.from_json(data) for data in job.parsed]


def _empty_report() -> dict[str, Any]:
    return {
        "valid": 0,
        "created": 0,
        "updated": 0,
        "unchanged": 0,
        "outcomes": [],
        "not_in_file": 0,
        "new_organisations": [],
        "new_equipes": [],
        "new_people": 0,
    }


def _preview(plan: Plan) -> dict[str, Any]:
    changed = [o for o in plan.outcomes if o.action != "unchanged"]
    return {
        "valid": len(plan.rows),
        "created": plan.count("created"),
        "updated": plan.count("updated"),
        "unchanged": plan.count("unchanged"),
        "outcomes": [
            {"row": o.row, "action": o.action, "person": o.person, "detail": o.detail} for o in changed[:PREVIEW_ROWS]
        ],
        "not_in_file": plan.not_in_file,
        "new_organisations": [list(item) for item in plan.new_organisations.values()],
        "new_equipes": list(plan.new_equipes.values()),
        "new_people": len(plan.new_people),
    }


def confirm(job: ImportJob, *, only_valid: bool, by: User | None) -> ApplyResult:
    """Write the valid rows; refused when the file has errors unless ``only_valid`` was chosen."""
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().select_related("census", "census__campaign").get(pk=job.pk)
        if job.status != ImportStatus.READY:
            raise ImportJobError("Questa importazione non è in attesa di conferma.")
        if job.error_count and not only_valid:
            raise ImportJobError(
                "Il file ha errori: correggili e carica di nuovo il file, oppure scegli di importare solo le righe "
                "valide."
            )
        rows = valid_rows(job)
        if not rows:
            raise ImportJobError("Nel file non c'è nessuna riga valida da importare.")
        result = apply_plan(plan_import(job.census, rows), by=by, filename=job.filename)
        job.status = ImportStatus.DONE
        job.only_valid = only_valid
        job.finished_at = clock.now()
        job.parsed = []
        job.report = {
            **job.report,
            "created": result.created,
            "updated": result.updated,
            "unchanged": result.unchanged,
            "organisations_created": result.organisations_created,
            "people_created": result.people_created,
        }
        job.save()
    return result


def cancel(job: ImportJob) -> None:
    """Cancel a job not imported yet; one being read stops at its next chunk (``read_job`` checks)."""
    if job.status == ImportStatus.DONE:
        raise ImportJobError("Questa importazione è già stata eseguita: non si può annullare.")
    job.status = ImportStatus.CANCELLED
    job.parsed = []
    job.content = b""
    job.finished_at = clock.now()
    job.save(update_fields=["status", "parsed", "content", "finished_at"])
