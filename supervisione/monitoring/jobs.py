"""Documents built in the background: the request stores a ``DocumentJob`` and queues its task, a worker builds it.

1. ``start`` (the request): one row and the task queued (``monitoring.tasks.build_document``); nothing of the
   document is read inside the request.
2. ``build`` (the task, run by ``manage.py db_worker``): claims the job once, has the kind's builder write the file
   into a temporary file (saving how far it got through ``progress``), then stores it through Django's storage
   API (the disk or the bucket, ``FILE_STORAGE``) with its size and SHA-256. A failure is kept with its reason in
   Italian: the builder's own (``DocumentRefusedError``: the requester no longer reads the partnership, the CUP is gone)
   or a general one.
3. ``stop_if_stalled``: a job that has not moved on for ``DOCUMENT_JOB_STALLED_MINUTES`` was stopped (worker killed,
   machine restarted): the page says so and the user asks again.

The builders (``BUILDERS``): the PNRR evidence pack (``evidence_jobs``), the half-yearly report and the PNRR final
report (``report_jobs``). Each reads the requester's access again when it runs, so a document never holds more than
its requester may read at that moment.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
import secrets
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING, Any, Protocol

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage

from supervisione.lib import clock

from .models import DocumentJob, DocumentKind, JobStatus

if TYPE_CHECKING:
    from supervisione.accounts.models import User
    from supervisione.territory.models import Ambito, Partnership

logger = logging.getLogger(__name__)

FAILED_MESSAGE = (
    "La preparazione del documento si è interrotta per un errore: riprova; se si ripete, avvisa l'amministratore."
)
STALLED_MESSAGE = (
    "La preparazione si è interrotta prima della fine (il servizio in background è stato fermato): chiedi di nuovo "
    "il documento."
)
# Where each kind's files are stored (below the storage's root).
FOLDERS = {
    DocumentKind.EVIDENCE_PACK: "pacchetti-pnrr",
    DocumentKind.REPORT: "relazioni",
    DocumentKind.PNRR_REPORT: "relazioni-pnrr",
}


class DocumentRefusedError(Exception):
    """The builder cannot make the document, for a reason the requester can act on (an Italian sentence)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class Progress(Protocol):
    def __call__(self, done: int, total: int, **counts: int) -> None: ...


@dataclass
class Built:
    """What a builder says of the document it wrote (beside the file): its units of work, counts and summary."""

    total: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    summary: dict[str, Any] = field(default_factory=dict)


Builder = Callable[[DocumentJob, IO[bytes], Progress], Built]


def _builders() -> dict[str, Builder]:
    from . import evidence_jobs, report_jobs  # noqa: PLC0415  (they import this module)

    return {
        DocumentKind.EVIDENCE_PACK: evidence_jobs.build_pack,
        DocumentKind.REPORT: report_jobs.build_report_document,
        DocumentKind.PNRR_REPORT: report_jobs.build_pnrr_report_document,
    }


def start(
    kind: DocumentKind,
    *,
    title: str,
    filename: str,
    content_type: str,
    params: dict[str, Any],
    by: User,
    partnership: Partnership | None = None,
    ambito: Ambito | None = None,
) -> DocumentJob:
    """Queue the document (inside the request: one insert and the task)."""
    from .tasks import build_document  # noqa: PLC0415  (tasks import this module)

    job = DocumentJob.objects.create(
        kind=kind,
        partnership=partnership,
        ambito=ambito,
        params=params,
        title=title,
        filename=filename,
        content_type=content_type,
        created_by=by,
    )
    build_document.enqueue(job.pk)
    job.refresh_from_db()  # the immediate backend (tests) has built it already
    return job


def build(job_id: int) -> None:
    """Build the job's document, once: a job not queued (built, failed, taken by another worker) is left alone."""
    claimed = DocumentJob.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.BUILDING, started_at=clock.now(), progress_at=clock.now()
    )
    if not claimed:
        return
    job = DocumentJob.objects.select_related("partnership", "ambito", "created_by").get(pk=job_id)

    def progress(done: int, total: int, **counts: int) -> None:
        DocumentJob.objects.filter(pk=job_id).update(
            done=done, total=total, counts={**job.counts, **counts}, progress_at=clock.now()
        )

    try:
        with tempfile.TemporaryFile() as out:
            built = _builders()[job.kind](job, out, progress)
            name, size, digest = _store(job, out)
    except DocumentRefusedError as refused:
        _fail(job_id, refused.message)
        return
    except Exception:
        logger.exception("Document job %s (%s) failed", job_id, job.kind)
        _fail(job_id, FAILED_MESSAGE)
        return
    DocumentJob.objects.filter(pk=job_id).update(
        status=JobStatus.READY,
        finished_at=clock.now(),
        total=built.total,
        done=built.total,
        counts=built.counts,
        summary=built.summary,
        file=name,
        size=size,
        sha256=digest,
    )


def _store(job: DocumentJob, out: IO[bytes]) -> tuple[str, int, str]:
    out.seek(0)
    digest = hashlib.sha256()
    for chunk in iter(lambda: out.read(1 << 20), b""):
        digest.update(chunk)
    out.seek(0)
    scope = job.partnership_id or f"ats-{job.ambito_id}"
    stem, dot, extension = job.filename.rpartition(".")
    name = default_storage.save(
        f"{FOLDERS[DocumentKind(job.kind)]}/{scope}/{stem}-{secrets.token_hex(4)}{dot}{extension}", File(out)
    )
    return name, default_storage.size(name), digest.hexdigest()


def _fail(job_id: int, message: str) -> None:
    DocumentJob.objects.filter(pk=job_id).update(status=JobStatus.FAILED, finished_at=clock.now(), error=message)


def stalled_after() -> datetime.timedelta:
    return datetime.timedelta(minutes=settings.DOCUMENT_JOB_STALLED_MINUTES)


def stop_if_stalled(job: DocumentJob) -> DocumentJob:
    """A job whose building has not moved on for a long while was stopped (worker killed, machine restarted)."""
    moved = job.progress_at or job.started_at
    if job.status == JobStatus.BUILDING and moved and moved < clock.now() - stalled_after():
        fields = {"status": JobStatus.FAILED, "finished_at": clock.now(), "error": STALLED_MESSAGE}
        if DocumentJob.objects.filter(pk=job.pk, status=JobStatus.BUILDING).update(**fields):
            for key, value in fields.items():
                setattr(job, key, value)
    return job
