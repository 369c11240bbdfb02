"""The web import, one step per request, so that a large file shows its progress.

An ``ImportJob`` is created by the upload and then advanced by the page itself: every ``advance`` call (an
htmx request the progress panel sends as soon as the previous one answered) does one bounded step and
saves where it got to:

1. read the file (its bytes are then dropped) into rows of text;
2. check ``CHUNK_ROWS`` rows, adding the valid ones and the problems to the job;
3. after the last chunk, the checks across rows and the preview (what would be created, updated, left
   alone).

Nothing is written to the census until the user confirms; then ``confirm`` plans again against the current
data and writes everything in one transaction (an import is atomic, so that step is not split). A small
file goes through every step within the upload request and lands directly on the preview.

No worker process is needed: if the user leaves the page, the job simply waits where it was.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from supervisione.census.importing import (
    ApplyResult,
    ImportFileError,
    Lookups,
    ParsedRow,
    Plan,
    Problem,
    apply_plan,
    check_across_rows,
    drop_invalid,
    plan_import,
    read_table,
    sort_problems,
    validate_rows,
)
from supervisione.census.models import Census, ImportJob, ImportStatus
from supervisione.leps.parameters import rules_at
from supervisione.lib import clock

CHUNK_ROWS = 2500
# Files smaller than this are read and checked within the upload request.
INLINE_BYTES = 200_000
PREVIEW_ROWS = 200


class ImportJobError(Exception):
    """The job cannot do what was asked (already imported, has errors...): an Italian message."""


def start_job(census: Census, *, content: bytes, filename: str, kind: str, by: Any) -> ImportJob:
    job = ImportJob.objects.create(
        census=census, created_by=by, filename=filename[:200], kind=kind, content=content, status=ImportStatus.READING
    )
    # Small files are read and checked at once: the user sees the preview without waiting for polls.
    if len(content) < INLINE_BYTES:
        while job.status in (ImportStatus.READING, ImportStatus.VALIDATING):
            advance(job)
    return job


def _lookups(census: Census) -> Lookups:
    return Lookups.for_census(census, rules_at(census.campaign.reference_date).full_time_hours)


def advance(job: ImportJob) -> ImportJob:
    """Do the next step of the job and save it."""
    if job.status == ImportStatus.READING:
        try:
            table = read_table(bytes(job.content), "xlsx" if job.kind == "xlsx" else "csv")
        except ImportFileError as error:
            job.status = ImportStatus.FAILED
            job.errors = [Problem(1, "", str(error)).as_dict()]
            job.content = b""
            job.finished_at = clock.now()
            job.save()
            return job
        job.rows = [[number, values] for number, values in table.rows]
        job.total_rows = len(table.rows)
        job.errors = [problem.as_dict() for problem in table.problems]
        job.notices = table.notices
        job.content = b""
        job.status = ImportStatus.VALIDATING
        if any(problem.row == 1 for problem in table.problems):
            # Without the right columns no row can be read: stop at the header.
            job.rows = []
            job.status = ImportStatus.READY
            job.report = _empty_report()
        job.save()
        return job
    if job.status == ImportStatus.VALIDATING:
        census = job.census
        start = job.processed_rows
        chunk = [(int(number), values) for number, values in job.rows[start : start + CHUNK_ROWS]]
        parsed, problems = validate_rows(chunk, _lookups(census))
        job.parsed = [*job.parsed, *(row.to_json() for row in parsed)]
        job.errors = [*job.errors, *(problem.as_dict() for problem in problems)]
        job.processed_rows = start + len(chunk)
        if job.processed_rows >= job.total_rows:
            rows = [ParsedRow.from_json(data) for data in job.parsed]
            job.errors = [*job.errors, *(p.as_dict() for p in check_across_rows(rows))]
            job.errors = [p.as_dict() for p in sort_problems(Problem(**e) for e in job.errors)]
            job.report = _preview(plan_import(census, _valid_rows(job)), job)
            job.rows = []
            job.status = ImportStatus.READY
        job.save()
    return job


def _valid_rows(job: ImportJob) -> list[ParsedRow]:
    rows = [ParsedRow.from_json(data) for data in job.parsed]
    return drop_invalid(rows, [Problem(**error) for error in job.errors])


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


def _preview(plan: Plan, job: ImportJob) -> dict[str, Any]:
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


def confirm(job: ImportJob, *, only_valid: bool, by: Any) -> ApplyResult:
    """Write the valid rows; refused when the file has errors unless ``only_valid`` was chosen."""
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().select_related("census", "census__campaign").get(pk=job.pk)
        if job.status != ImportStatus.READY:
            raise ImportJobError("Questa importazione non è in attesa di conferma.")
        if job.errors and not only_valid:
            raise ImportJobError(
                "Il file ha errori: correggili e carica di nuovo il file, oppure scegli di importare solo le righe "
                "valide."
            )
        rows = _valid_rows(job)
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
    if job.status == ImportStatus.DONE:
        raise ImportJobError("Questa importazione è già stata eseguita: non si può annullare.")
    job.status = ImportStatus.CANCELLED
    job.rows = []
    job.parsed = []
    job.content = b""
    job.finished_at = clock.now()
    job.save()
