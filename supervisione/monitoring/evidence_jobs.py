"""The PNRR evidence pack, built in the background: the request queues it, a worker builds it.

1. ``start_job`` (the request): one row and the task queued (``monitoring.tasks.build_evidence_pack``); nothing
   of the pack is read inside the request. A pack of a large CUP reads thousands of stored registers, may issue
   the missing ones (a PDF each) and renders a timesheet per supervisor and month: minutes at national scale
   (docs/PERFORMANCE.md), far beyond what a request may take.
2. ``build_job`` (the task, run by ``manage.py db_worker``): claims the job once, writes the ZIP into a temporary
   file, saving how many sessions are done every ``evidence.PROGRESS_EVERY``; at the end it stores the ZIP with
   its size and SHA-256 and the summary. A failure is kept with its reason in Italian.
3. ``stop_if_stalled``: a job that has not moved on for ``EVIDENCE_PACK_STALLED_MINUTES`` was stopped (worker killed,
   machine restarted): the page says so and the user asks again.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
import secrets
import tempfile
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage

from supervisione.lib import clock
from supervisione.monitoring.evidence import build_pack
from supervisione.monitoring.models import EvidencePackJob, PackStatus

if TYPE_CHECKING:
    from supervisione.accounts.models import User
    from supervisione.territory.models import Partnership

logger = logging.getLogger(__name__)


def start_job(
    partnership: Partnership, cup: str, start: datetime.date, end: datetime.date, *, by: User
) -> EvidencePackJob:
    """Queue the pack (inside the request: one insert and the task)."""
    from supervisione.monitoring.tasks import build_evidence_pack  # noqa: PLC0415  (tasks import this module)

    job = EvidencePackJob.objects.create(partnership=partnership, cup=cup, start=start, end=end, created_by=by)
    build_evidence_pack.enqueue(job.pk)
    job.refresh_from_db()  # the immediate backend (tests) has built it already
    return job


def build_job(job_id: int) -> None:
    """Build the job's pack, once: a job not queued (built, failed) is left as it is."""
    claimed = EvidencePackJob.objects.filter(pk=job_id, status=PackStatus.QUEUED).update(
        status=PackStatus.BUILDING, started_at=clock.now(), progress_at=clock.now()
    )
    if not claimed:
        return
    job = EvidencePackJob.objects.select_related("partnership", "created_by").get(pk=job_id)

    def saved_progress(done: int, total: int, generated: int) -> None:
        EvidencePackJob.objects.filter(pk=job_id).update(
            done_sessions=done, total_sessions=total, generated_registers=generated, progress_at=clock.now()
        )

    try:
        with tempfile.TemporaryFile() as out:
            pack = build_pack(
                job.cup, job.start, job.end, job.partnership, out=out, by=job.created_by, progress=saved_progress
            )
            out.seek(0)
            digest = hashlib.sha256()
            for chunk in iter(lambda: out.read(1 << 20), b""):
                digest.update(chunk)
            out.seek(0)
            name = default_storage.save(
                f"pacchetti-pnrr/{job.partnership_id}/{job.filename[:-4]}-{secrets.token_hex(4)}.zip", File(out)
            )
            size = default_storage.size(name)
    except Exception:
        logger.exception("Evidence pack %s failed", job_id)
        EvidencePackJob.objects.filter(pk=job_id).update(
            status=PackStatus.FAILED,
            finished_at=clock.now(),
            error="La preparazione del pacchetto si è interrotta per un errore: riprova; se si ripete, avvisa "
            "l'amministratore.",
        )
        return
    assert pack.summary is not None  # noqa: S101  (build_pack always fills it)
    EvidencePackJob.objects.filter(pk=job_id).update(
        status=PackStatus.READY,
        finished_at=clock.now(),
        total_sessions=pack.sessions,
        done_sessions=pack.sessions,
        generated_registers=pack.generated,
        file=name,
        size=size,
        sha256=digest.hexdigest(),
        summary=pack.summary.as_data(),
    )


def stalled_after() -> datetime.timedelta:
    return datetime.timedelta(minutes=settings.EVIDENCE_PACK_STALLED_MINUTES)


def stop_if_stalled(job: EvidencePackJob) -> EvidencePackJob:
    """A job whose building has not moved on for a long while was stopped (worker killed, machine restarted)."""
    moved = job.progress_at or job.started_at
    if job.status == PackStatus.BUILDING and moved and moved < clock.now() - stalled_after():
        fields = {
            "status": PackStatus.FAILED,
            "finished_at": clock.now(),
            "error": "La preparazione si è interrotta prima della fine (il servizio in background è stato fermato): "
            "chiedi di nuovo il pacchetto.",
        }
        if EvidencePackJob.objects.filter(pk=job.pk, status=PackStatus.BUILDING).update(**fields):
            for key, value in fields.items():
                setattr(job, key, value)
    return job
