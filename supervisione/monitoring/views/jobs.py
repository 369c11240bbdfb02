"""A report prepared in the background (``report_jobs``): its page with the progress (polled by htmx while a worker
builds it), the reason when it failed, the download once it is ready. Only its requester sees it
(``report_jobs.document_access``: anyone else 404). The evidence pack has pages of its own (``views.evidence``)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render

from supervisione.accounts.http import AuthenticatedHttpRequest
from supervisione.lib.downloads import stored_file
from supervisione.lib.htmx import reload_at

from ..jobs import stop_if_stalled
from ..models import DocumentJob, DocumentKind, JobStatus
from ..report_jobs import back_url, document_access
from .dashboards import SECTION


def _job(request: AuthenticatedHttpRequest, pk: int) -> DocumentJob:
    job = get_object_or_404(
        DocumentJob.objects.exclude(kind=DocumentKind.EVIDENCE_PACK).select_related(
            "partnership", "ambito", "created_by"
        ),
        pk=pk,
    )
    document_access(request.user, job)
    return stop_if_stalled(job)


def _context(job: DocumentJob) -> dict[str, object]:
    return {"job": job, "back_url": back_url(job), "active_section": SECTION}


@login_required
def document_job(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    job = _job(request, pk)
    return render(request, "monitoring/document_job.html", _context(job))


@login_required
def document_job_progress(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The progress panel, polled while a worker builds the document; once it is done, the whole page reloads."""
    job = _job(request, pk)
    if job.working:
        return render(request, "monitoring/document_job_progress.html", _context(job))
    return reload_at(request, job.get_absolute_url())


@login_required
def document_job_download(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    return download(_job(request, pk))


def download(job: DocumentJob) -> HttpResponseBase:
    """The job's file once it is ready; until then its page (an evidence pack's too)."""
    if job.status != JobStatus.READY or not job.file:
        return redirect(job)
    return stored_file(job.file, filename=job.filename, content_type=job.content_type)
