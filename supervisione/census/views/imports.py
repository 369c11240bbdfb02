"""Uploading a census file: upload, progress (htmx), preview, confirm or cancel."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from supervisione.accounts.decorators import current_user
from supervisione.accounts.scopes import scope_for
from supervisione.census import jobs
from supervisione.census.access import can_edit_census, get_census_for_user, get_import_job_for_user
from supervisione.census.forms import ImportConfirmForm, ImportUploadForm
from supervisione.census.models import ImportJob, ImportStatus

ERRORS_SHOWN = 500


@login_required
def import_start(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    census = get_census_for_user(request.user, pk, code, write=True)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        job = jobs.start_job(
            census,
            content=upload.read(),
            filename=form.checked.original_name,
            kind=form.checked.kind,
            by=current_user(request),
        )
        return redirect(job)
    return render(
        request,
        "census/import_start.html",
        {"form": form, "census": census, "active_section": "census"},
    )


def _context(request: HttpRequest, job: ImportJob) -> dict[str, object]:
    report = job.report or {}
    return {
        "job": job,
        "census": job.census,
        "report": report,
        "errors": job.errors[:ERRORS_SHOWN],
        "more_errors": max(0, len(job.errors) - ERRORS_SHOWN),
        "error_rows": len({error["row"] for error in job.errors}),
        "working": job.status in (ImportStatus.READING, ImportStatus.VALIDATING),
        "can_confirm": job.status == ImportStatus.READY
        and report.get("valid", 0) > 0
        and can_edit_census(scope_for(request.user), job.census),
        "confirm_form": ImportConfirmForm(),
        "active_section": "census",
    }


@login_required
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_import_job_for_user(request.user, pk)
    return render(request, "census/import_detail.html", _context(request, job))


@login_required
@require_POST
def import_advance(request: HttpRequest, pk: int) -> HttpResponse:
    """One step of a large import, asked by the progress panel; answers the updated panel."""
    job = get_import_job_for_user(request.user, pk)
    if not can_edit_census(scope_for(request.user), job.census):
        raise PermissionDenied
    jobs.advance(job)
    if request.headers.get("HX-Request") and job.status in (ImportStatus.READING, ImportStatus.VALIDATING):
        return render(request, "census/import_progress.html", _context(request, job))
    if request.headers.get("HX-Request"):
        # Finished: reload the whole page to show the preview.
        response = HttpResponse(status=204)
        response["HX-Redirect"] = job.get_absolute_url()
        return response
    return redirect(job)


@login_required
@require_POST
def import_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_import_job_for_user(request.user, pk)
    if not can_edit_census(scope_for(request.user), job.census):
        raise PermissionDenied
    form = ImportConfirmForm(request.POST)
    only_valid = form.is_valid() and form.cleaned_data["only_valid"]
    try:
        result = jobs.confirm(job, only_valid=only_valid, by=current_user(request))
    except jobs.ImportJobError as error:
        messages.error(request, str(error))
        return redirect(job)
    messages.success(
        request,
        f"Importazione completata: {result.created} posizioni create, {result.updated} aggiornate, "
        f"{result.unchanged} invariate.",
    )
    return redirect(job.census)


@login_required
@require_POST
def import_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_import_job_for_user(request.user, pk)
    if not can_edit_census(scope_for(request.user), job.census):
        raise PermissionDenied
    try:
        jobs.cancel(job)
    except jobs.ImportJobError as error:
        messages.error(request, str(error))
        return redirect(job)
    messages.info(request, "Importazione annullata: il censimento non è cambiato.")
    return redirect(job.census)
