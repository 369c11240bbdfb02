"""Uploading a census file: upload, progress (htmx polling while a worker reads it), preview, confirm or cancel."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from supervisione.accounts.http import AuthenticatedHttpRequest
from supervisione.accounts.scopes import scope_for
from supervisione.census import jobs
from supervisione.census.access import can_edit_census, census_locked, get_census_for_user, get_import_job_for_user
from supervisione.census.forms import ImportConfirmForm, ImportUploadForm
from supervisione.census.models import ImportJob, ImportStatus
from supervisione.lib import clock
from supervisione.lib.htmx import reload_at

# A job still waiting after this long says that the worker may be down.
WAITING_NOTICE_SECONDS = 120


@login_required
def import_start(request: AuthenticatedHttpRequest, pk: int, code: str) -> HttpResponse:
    census = get_census_for_user(request.user, pk, code, write=True)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        job = jobs.start_job(
            census,
            content=upload.read(),
            filename=form.checked.original_name,
            kind=form.checked.kind,
            by=request.user,
        )
        return redirect(job)
    return render(
        request,
        "census/import_start.html",
        {"form": form, "census": census, "active_section": "census"},
    )


def _context(request: AuthenticatedHttpRequest, job: ImportJob) -> dict[str, object]:
    report = job.report or {}
    return {
        "job": job,
        "census": job.census,
        "report": report,
        "errors": job.errors,
        "more_errors": job.error_count - len(job.errors),
        "errors_not_listed": sorted(job.errors_not_listed.items()),
        "working": job.working,
        "waiting_long": job.status == ImportStatus.QUEUED
        and (clock.now() - job.created_at).total_seconds() > WAITING_NOTICE_SECONDS,
        "can_confirm": job.status == ImportStatus.READY
        and report.get("valid", 0) > 0
        and can_edit_census(scope_for(request.user), job.census),
        "confirm_form": ImportConfirmForm(),
        "active_section": "census",
    }


@login_required
def import_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    job = jobs.stop_if_stalled(get_import_job_for_user(request.user, pk))
    return render(request, "census/import_detail.html", _context(request, job))


@login_required
def import_progress(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The progress panel, polled while a worker reads the file; once it is done, the whole page reloads."""
    job = jobs.stop_if_stalled(get_import_job_for_user(request.user, pk))
    if job.working:
        return render(request, "census/import_progress.html", _context(request, job))
    return reload_at(request, job.get_absolute_url())


@login_required
@require_POST
def import_confirm(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    job = get_import_job_for_user(request.user, pk)
    if not can_edit_census(scope_for(request.user), job.census):
        raise census_locked(scope_for(request.user), job.census)
    form = ImportConfirmForm(request.POST)
    only_valid = form.is_valid() and form.cleaned_data["only_valid"]
    try:
        result = jobs.confirm(job, only_valid=only_valid, by=request.user)
    except jobs.ImportJobError as error:
        messages.error(request, str(error))
        return redirect(job)
    messages.success(
        request,
        f"Importazione completata: {result.positions_text}.",
    )
    return redirect(job.census)


@login_required
@require_POST
def import_cancel(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    job = get_import_job_for_user(request.user, pk)
    if not can_edit_census(scope_for(request.user), job.census):
        raise census_locked(scope_for(request.user), job.census)
    try:
        jobs.cancel(job)
    except jobs.ImportJobError as error:
        messages.error(request, str(error))
        return redirect(job)
    messages.info(request, "Importazione annullata: il censimento non è cambiato.")
    return redirect(job.census)
