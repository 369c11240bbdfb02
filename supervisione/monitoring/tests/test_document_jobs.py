"""Documents prepared in the background (``monitoring.jobs``): each kind run for real by ``manage.py db_worker`` from
the database queue, a failure's reason in Italian on the job's page, the progress while it is built and a job that
stopped, and a report's job found by its requester only."""

from __future__ import annotations

import datetime
import io
import zipfile
from typing import Any

import pytest
from django.core.management import call_command
from django.utils.html import escape
from django_tasks_db.models import DBTaskResult
from pypdf import PdfReader

from supervisione.accounts.models import User
from supervisione.monitoring import jobs
from supervisione.monitoring.models import DocumentJob, DocumentKind, JobStatus
from supervisione.testing.commits import committed
from supervisione.testing.frozen import frozen

from .conftest import Year

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
CUP = "J81H22000130006"
REPORT = "/monitoraggio/partenariati/POGGIARDO-114/relazione/"
PNRR_PAGE = f"/partenariati/POGGIARDO-114/pnrr/{CUP}/relazione-finale/"
PACKS = "/monitoraggio/partenariati/POGGIARDO-114/pacchetto-pnrr/"


def _download(client: Any, job: DocumentJob) -> bytes:
    url = f"/monitoraggio/documenti/{job.pk}/scarica/" if job.kind != DocumentKind.EVIDENCE_PACK else None
    response = client.get(url or f"{PACKS}{job.pk}/scarica/")
    assert response.status_code == 200
    assert response["Content-Type"] == job.content_type
    return b"".join(response.streaming_content)


@frozen(2026, 10, 1)
def test_a_worker_builds_each_kind_of_document_from_the_database_queue(
    year: Year, client_for: Any, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The real path: the request stores the job and its task, ``manage.py db_worker`` builds the file."""
    settings.TASKS = DATABASE_TASKS
    client = client_for("coordinator")
    with committed():
        client.post(f"{REPORT}?anno=2026&periodo=s1", {"formato": "pdf"})
        client.post(PNRR_PAGE, {"formato": "docx"})
        client.post(PACKS, {"cup": CUP, "start": "01/01/2026", "end": "31/03/2026"})
    asked = list(DocumentJob.objects.order_by("pk"))
    assert [(job.kind, job.status) for job in asked] == [
        (DocumentKind.REPORT, JobStatus.QUEUED),
        (DocumentKind.PNRR_REPORT, JobStatus.QUEUED),
        (DocumentKind.EVIDENCE_PACK, JobStatus.QUEUED),
    ]
    assert DBTaskResult.objects.count() == 3
    page = client.get(asked[0].get_absolute_url()).content.decode()
    assert "In coda: la preparazione comincia tra pochi secondi." in page
    assert "Scarica il documento" not in page
    # The worker closes connections it finds in a transaction (as between requests): this test's is one.
    monkeypatch.setattr("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None)
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", "--interval", "0", verbosity=0)
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}
    report, pnrr, pack = (DocumentJob.objects.get(pk=job.pk) for job in asked)
    assert [job.status for job in (report, pnrr, pack)] == [JobStatus.READY] * 3, [j.error for j in (report, pnrr)]
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(_download(client, report))).pages)
    assert "Relazione al Coordinamento Istituzionale" in text
    assert "Primo semestre" in text
    assert _download(client, pnrr)[:2] == b"PK"  # a Word file is a ZIP
    with zipfile.ZipFile(io.BytesIO(_download(client, pack))) as archive:
        assert "manifest.csv" in archive.namelist()
    page = client.get(report.get_absolute_url()).content.decode()
    assert "Documento pronto" in page
    assert f'impronta SHA-256 <code class="text-break">{report.sha256}</code>' in page
    listed = client.get(f"{REPORT}?anno=2026").content.decode()
    assert "I documenti che hai chiesto" in listed
    assert report.get_absolute_url() in listed


@frozen(2026, 10, 1)
def test_a_failure_says_why_in_italian(year: Year, client_for: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    world = year.cal.world
    gone = jobs.start(
        DocumentKind.PNRR_REPORT,
        partnership=world.partnership,
        params={"cup": "J81H22000139999", "format": "pdf"},
        title="Relazione finale del progetto PNRR · CUP J81H22000139999 (PDF)",
        filename="relazione-finale-pnrr-J81H22000139999.pdf",
        content_type="application/pdf",
        by=world.coordinator,
    )
    assert (gone.status, gone.file.name) == (JobStatus.FAILED, "")
    page = client_for("coordinator").get(gone.get_absolute_url()).content.decode()
    assert "Documento non preparato" in page
    assert (
        "Il partenariato non ha più un progetto PNRR con CUP J81H22000139999: il documento non è stato preparato."
        in page
    )
    assert "Chiedi di nuovo il documento" in page

    def broken(*_args: Any, **_kwargs: Any) -> bytes:
        raise RuntimeError("WeasyPrint")

    monkeypatch.setattr("supervisione.monitoring.report_jobs.report_pdf", broken)
    asked = client_for("coordinator").post(REPORT, {"formato": "pdf"})
    job = DocumentJob.objects.get(kind=DocumentKind.REPORT)
    assert asked["Location"] == job.get_absolute_url()
    page = client_for("coordinator").get(job.get_absolute_url()).content.decode()
    assert escape(jobs.FAILED_MESSAGE) in page
    assert client_for("coordinator").get(f"/monitoraggio/documenti/{job.pk}/scarica/")["Location"] == (
        job.get_absolute_url()
    )


@frozen(2026, 10, 1)
def test_a_requester_who_lost_the_partnership_gets_no_document(year: Year, client_for: Any) -> None:
    world = year.cal.world
    leaving: User = world.coordinator
    leaving.is_active = False
    leaving.save(update_fields=["is_active"])
    job = jobs.start(
        DocumentKind.REPORT,
        partnership=world.partnership,
        params={"filters": {"anno": "2026"}, "today": "2026-10-01", "format": "pdf"},
        title="Relazione",
        filename="relazione.pdf",
        content_type="application/pdf",
        by=leaving,
    )
    assert job.status == JobStatus.FAILED
    assert "non è più attivo" in job.error


@frozen(2026, 10, 1)
def test_the_page_shows_the_progress_and_a_stopped_job_says_so(year: Year, client_for: Any) -> None:
    now = datetime.datetime.now(datetime.UTC)
    job = DocumentJob.objects.create(
        kind=DocumentKind.REPORT,
        partnership=year.cal.world.partnership,
        params={"filters": {}, "today": "2026-10-01", "format": "pdf"},
        title="Relazione al Coordinamento Istituzionale",
        filename="relazione.pdf",
        content_type="application/pdf",
        status=JobStatus.BUILDING,
        total=2,
        done=1,
        started_at=now,
        progress_at=now,
        created_by=year.cal.world.coordinator,
    )
    client = client_for("coordinator")
    panel = client.get(f"/monitoraggio/documenti/{job.pk}/avanzamento/").content.decode()
    assert "In preparazione: passo 2 di 2 (impaginazione)." in panel
    assert 'max="2" value="1"' in panel
    DocumentJob.objects.filter(pk=job.pk).update(progress_at=now - datetime.timedelta(hours=1))
    page = client.get(job.get_absolute_url()).content.decode()
    assert "si è interrotta prima della fine" in page
    assert DocumentJob.objects.get(pk=job.pk).status == JobStatus.FAILED


@frozen(2026, 10, 1)
@pytest.mark.parametrize("suffix", ["", "avanzamento/", "scarica/"])
def test_only_the_requester_finds_a_report_s_job(year: Year, client_for: Any, suffix: str) -> None:
    client_for("coordinator").post(REPORT, {"formato": "docx"})
    job = DocumentJob.objects.get()
    url = f"/monitoraggio/documenti/{job.pk}/{suffix}"
    mine = client_for("coordinator").get(url)
    if mine.streaming:
        b"".join(mine.streaming_content)
    assert mine.status_code == (200 if suffix != "avanzamento/" else 302)
    for persona in ("admin", "referent", "observer", "supervisor", "outsider", "nobody"):
        assert client_for(persona).get(url).status_code == 404, persona
    assert client_for(None).get(url).status_code == 302
