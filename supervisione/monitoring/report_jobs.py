"""The reports as documents built in the background (``jobs``): the half-yearly report to the Coordinamento
Istituzionale of a partnership or an ATS (``report``) and the final report of a PNRR project (``pnrr_report``), as PDF
or Word.

They are rendered by the worker, not in the request: a report reads every figure of its dashboard and renders a
document of many tables (WeasyPrint for the PDF), which for a large partnership takes seconds (docs/PERFORMANCE.md,
"Documents"). The rendering functions are ``report``'s and ``pnrr_report``'s own, called as they are.

Each builder reads the requester's access again when it runs (``DocumentRefusedError`` if it was lost), and the
document holds what the requester reads (names, money): only the requester downloads it (``document_access``).
"""

from __future__ import annotations

import datetime
from typing import IO, Any
from urllib.parse import parse_qsl

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse

from supervisione.accounts.models import User
from supervisione.accounts.scopes import get_ambito_for_user, get_partnership_for_user
from supervisione.funding.pnrr.access import ProjectAccess, project_access
from supervisione.funding.pnrr.queries import project_of
from supervisione.lib import clock
from supervisione.territory.models import Ambito, Partnership

from . import jobs
from .access import ambito_viewer, partnership_viewer
from .dashboards import Dashboard, ambito_dashboard, partnership_dashboard
from .models import DocumentJob, DocumentKind
from .pnrr_figures import ProjectFigures, project_figures
from .pnrr_report import final_report_docx, final_report_pdf
from .report import DOCX_CONTENT_TYPE, build_report, report_docx, report_pdf

CONTENT_TYPES = {"pdf": "application/pdf", "docx": DOCX_CONTENT_TYPE}
FORMAT_LABELS = {"pdf": "PDF", "docx": "Word"}
LOST_ACCESS = "Non puoi più leggere questi dati: il documento non è stato preparato."


# --- The half-yearly report ---------------------------------------------------------------------------------------


def report_dashboard(user: User, tenant: Partnership | Ambito, data: Any, today: datetime.date) -> Dashboard:
    """The dashboard a report is made of, as its page shows it to ``user`` (the tenant was fetched for the user)."""
    if isinstance(tenant, Partnership):
        viewer = partnership_viewer(user, tenant)
        ambiti = list(Ambito.objects.filter(partnership_memberships__partnership=tenant).order_by("name"))
        return partnership_dashboard(tenant, viewer, data, today, ambiti)
    return ambito_dashboard(tenant, ambito_viewer(user, tenant), data, today)


def start_report(dashboard: Dashboard, tenant: Partnership | Ambito, fmt: str, *, by: User) -> DocumentJob:
    """Queue the report of ``dashboard`` (its filters, its day) as ``fmt`` (pdf, docx)."""
    form = dashboard.form
    name = f"relazione-{tenant.code.lower()}-{form.year}-{form.period.key}.{fmt}"
    return jobs.start(
        DocumentKind.REPORT,
        partnership=tenant if isinstance(tenant, Partnership) else None,
        ambito=tenant if isinstance(tenant, Ambito) else None,
        params={
            "filters": dict(parse_qsl(form.query())),
            "today": dashboard.figures.selection.today.isoformat(),
            "format": fmt,
        },
        title=f"Relazione al Coordinamento Istituzionale · {tenant.name} · {form.period.label} {form.year} "
        f"({FORMAT_LABELS[fmt]})",
        filename=name,
        content_type=CONTENT_TYPES[fmt],
        by=by,
    )


def _tenant(user: User, job: DocumentJob) -> Partnership | Ambito:
    """The job's partnership or ATS, if ``user`` still reads it (404 otherwise)."""
    if job.partnership is not None:
        return get_partnership_for_user(user, job.partnership.code)
    assert job.ambito is not None  # noqa: S101  (a job has one scope)
    return get_ambito_for_user(user, job.ambito.code)


def build_report_document(job: DocumentJob, out: IO[bytes], progress: jobs.Progress) -> jobs.Built:
    """The builder of ``jobs.build``: the report as the requester reads it, on the day they asked for it."""
    user = _requester(job)
    progress(0, 2)
    try:
        dashboard = report_dashboard(
            user, _tenant(user, job), job.params["filters"], datetime.date.fromisoformat(job.params["today"])
        )
    except (Http404, PermissionDenied) as lost:
        raise jobs.DocumentRefusedError(LOST_ACCESS) from lost
    if not dashboard.viewer.names:
        raise jobs.DocumentRefusedError(LOST_ACCESS)
    report = build_report(dashboard)
    progress(1, 2)
    out.write(report_docx(report) if job.params["format"] == "docx" else report_pdf(report))
    return jobs.Built(total=2)


# --- The PNRR final report ----------------------------------------------------------------------------------------


def start_pnrr_report(access: ProjectAccess, cup: str, fmt: str, *, by: User) -> DocumentJob:
    return jobs.start(
        DocumentKind.PNRR_REPORT,
        partnership=access.partnership,
        params={"cup": cup, "format": fmt},
        title=f"Relazione finale del progetto PNRR · CUP {cup} ({FORMAT_LABELS[fmt]})",
        filename=f"relazione-finale-pnrr-{cup}.{fmt}",
        content_type=CONTENT_TYPES[fmt],
        by=by,
    )


def project_data(access: ProjectAccess, cup: str, today: datetime.date) -> ProjectFigures | None:
    project = project_of(access.partnership, cup)
    return None if project is None else project_figures(access.partnership, project, today)


def build_pnrr_report_document(job: DocumentJob, out: IO[bytes], progress: jobs.Progress) -> jobs.Built:
    """The builder of ``jobs.build``: the final report with what the requester reads (names or counts only)."""
    user = _requester(job)
    assert job.partnership is not None  # noqa: S101  (a PNRR project is a partnership's)
    progress(0, 2)
    try:
        access = project_access(user, job.partnership.code)
    except (Http404, PermissionDenied) as lost:
        raise jobs.DocumentRefusedError(LOST_ACCESS) from lost
    cup = job.params["cup"]
    data = project_data(access, cup, clock.today())
    if data is None:
        raise jobs.DocumentRefusedError(
            f"Il partenariato non ha più un progetto PNRR con CUP {cup}: il documento non è stato preparato."
        )
    progress(1, 2)
    render = final_report_docx if job.params["format"] == "docx" else final_report_pdf
    out.write(render(data, names=access.sees_items))
    return jobs.Built(total=2)


# --- Who reads a report's job -------------------------------------------------------------------------------------


def _requester(job: DocumentJob) -> User:
    if job.created_by is None or not job.created_by.is_active:
        raise jobs.DocumentRefusedError(
            "L'utente che ha chiesto il documento non è più attivo: il documento non è stato preparato."
        )
    return job.created_by


def document_access(user: User, job: DocumentJob) -> None:
    """A report's job is its requester's (the document holds what they read): anyone else, or the requester once
    they no longer read the partnership or ATS, gets a 404."""
    if job.created_by_id != user.pk or job.kind == DocumentKind.EVIDENCE_PACK:
        raise Http404
    try:
        if job.kind == DocumentKind.PNRR_REPORT:
            assert job.partnership is not None  # noqa: S101  (a PNRR project is a partnership's)
            project_access(user, job.partnership.code)
            return
        tenant = _tenant(user, job)
        viewer = partnership_viewer(user, tenant) if isinstance(tenant, Partnership) else ambito_viewer(user, tenant)
    except PermissionDenied as lost:
        raise Http404 from lost
    if not viewer.names:
        raise Http404


def back_url(job: DocumentJob) -> str:
    """The page the document is asked from (to ask it again)."""
    if job.kind == DocumentKind.PNRR_REPORT:
        assert job.partnership is not None  # noqa: S101
        return reverse("monitoring:pnrr_final_report_page", args=[job.partnership.code, job.params["cup"]])
    if job.partnership is not None:
        return reverse("monitoring:partnership_report", args=[job.partnership.code])
    assert job.ambito is not None  # noqa: S101
    return reverse("monitoring:ambito_report", args=[job.ambito.code])
