"""The final report (PDF, Word, prepared in the background: ``report_jobs``) and the ReGiS extract (CSV, XLSX, in the
request: a row per funding row and year, well under a second) of a partnership's PNRR project, per CUP (issue
16.4). Who reads them is who reads the project's close-out (``funding.pnrr.access``): its coordinators and
administrators, the referents of its ATS; observers too, with counts and sums only (no group one by one, not who
closed the project); supervisors and supervisees 403; anyone who does not see the partnership, or a CUP it does
not have, 404."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest
from django.http import Http404, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render

from supervisione.accounts.http import AuthenticatedHttpRequest
from supervisione.funding.pnrr.access import ProjectAccess, project_access
from supervisione.funding.pnrr.queries import project_of
from supervisione.lib import clock
from supervisione.lib.codes import normalise_code
from supervisione.lib.downloads import download

from ..exports import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE
from ..forms import ReportForm
from ..models import DocumentJob, DocumentKind
from ..pnrr_figures import ProjectFigures, project_figures
from ..regis import regis_csv, regis_xlsx
from ..report_jobs import start_pnrr_report
from .dashboards import SECTION
from .documents import RECENT_DOCUMENTS


def _figures(request: AuthenticatedHttpRequest, code: str, cup: str) -> tuple[ProjectAccess, ProjectFigures]:
    access = project_access(request.user, code)
    project = project_of(access.partnership, normalise_code(cup))
    if project is None:
        raise Http404
    return access, project_figures(access.partnership, project, clock.today())


def _project(request: AuthenticatedHttpRequest, code: str, cup: str) -> tuple[ProjectAccess, str]:
    """The access and the CUP, if the partnership has that project (404 otherwise); no figure is read."""
    access = project_access(request.user, code)
    project = project_of(access.partnership, normalise_code(cup))
    if project is None:
        raise Http404
    return access, project.cup


@login_required
def final_report_page(request: AuthenticatedHttpRequest, code: str, cup: str) -> HttpResponse:
    """The final report, prepared in the background as PDF or Word (``report_jobs``): «Prepara il documento» queues
    it and opens its page; the user's last ones are listed."""
    access, cup = _project(request, code, cup)
    if request.method == "POST":
        form = ReportForm(request.POST)
        if not form.is_valid():
            raise BadRequest("Formato non disponibile: scegli PDF o Word.")
        return redirect(start_pnrr_report(access, cup, form.cleaned_data["formato"], by=request.user))
    recent = DocumentJob.objects.filter(
        kind=DocumentKind.PNRR_REPORT, created_by=request.user, partnership=access.partnership, params__cup=cup
    )
    return render(
        request,
        "monitoring/pnrr_final_report.html",
        {
            "partnership": access.partnership,
            "cup": cup,
            "names": access.sees_items,
            "recent": list(recent[:RECENT_DOCUMENTS]),
            "active_section": SECTION,
        },
    )


@login_required
def final_report(request: AuthenticatedHttpRequest, code: str, cup: str, extension: str) -> HttpResponseBase:
    """The address of the time the report was made in the request: its page now."""
    access, cup = _project(request, code, cup)
    return redirect("monitoring:pnrr_final_report_page", access.partnership.code, cup)


@login_required
def regis_extract(request: AuthenticatedHttpRequest, code: str, cup: str, extension: str) -> HttpResponseBase:
    _access, data = _figures(request, code, cup)
    filename = f"regis-{data.cup}.{extension}"
    if extension == "xlsx":
        return download(regis_xlsx(data), content_type=XLSX_CONTENT_TYPE, filename=filename)
    return download(regis_csv(data), content_type=CSV_CONTENT_TYPE, filename=filename)
