"""The PNRR evidence pack as a document built in the background (``jobs``): the request queues it, a worker builds
it.

A pack of a large CUP reads thousands of stored registers, may issue the missing ones (a PDF each) and renders a
timesheet per supervisor and month: minutes at national scale (docs/PERFORMANCE.md), far beyond what a request may
take. The builder saves how many sessions are done every ``evidence.PROGRESS_EVERY`` and keeps the pack's «Sommario»
(counts per category, what is missing and why) for its page.
"""

from __future__ import annotations

import datetime
from typing import IO, TYPE_CHECKING

from supervisione.monitoring import jobs
from supervisione.monitoring.evidence import build_pack as write_pack
from supervisione.monitoring.models import DocumentJob, DocumentKind

if TYPE_CHECKING:
    from supervisione.accounts.models import User
    from supervisione.territory.models import Partnership


def filename(cup: str, start: datetime.date, end: datetime.date) -> str:
    return f"evidenze-pnrr-{cup}-{start:%Y%m%d}-{end:%Y%m%d}.zip"


def start_job(partnership: Partnership, cup: str, start: datetime.date, end: datetime.date, *, by: User) -> DocumentJob:
    """Queue the pack (inside the request: one insert and the task)."""
    return jobs.start(
        DocumentKind.EVIDENCE_PACK,
        partnership=partnership,
        params={"cup": cup, "start": start.isoformat(), "end": end.isoformat()},
        title=f"Pacchetto di evidenze PNRR · CUP {cup}",
        filename=filename(cup, start, end),
        content_type="application/zip",
        by=by,
    )


def build_pack(job: DocumentJob, out: IO[bytes], progress: jobs.Progress) -> jobs.Built:
    """The builder of ``jobs.build``: the ZIP into ``out``."""
    assert job.partnership is not None  # noqa: S101  (a pack is a partnership's)

    def saved_progress(done: int, total: int, generated: int) -> None:
        progress(done, total, generated_registers=generated)

    pack = write_pack(job.cup, job.start, job.end, job.partnership, out=out, by=job.created_by, progress=saved_progress)
    assert pack.summary is not None  # noqa: S101  (write_pack always fills it)
    return jobs.Built(
        total=pack.sessions, counts={"generated_registers": pack.generated}, summary=pack.summary.as_data()
    )
