"""The final report (PDF, Word) and the ReGiS extract (CSV, XLSX) of a partnership's PNRR project, per CUP (issue
16.4). Who reads them is who reads the project's close-out (``funding.pnrr.access``): its coordinators and
administrators, the referents of its ATS; observers too, with counts and sums only (no group one by one, not who
closed the project); supervisors and supervisees 403; anyone who does not see the partnership, or a CUP it does
not have, 404."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseBase

from supervisione.accounts.http import AuthenticatedHttpRequest
from supervisione.funding.pnrr.access import ProjectAccess, project_access
from supervisione.funding.pnrr.queries import project_of
from supervisione.lib import clock
from supervisione.lib.codes import normalise_code
from supervisione.lib.downloads import download

from ..exports import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE
from ..pnrr_figures import ProjectFigures, project_figures
from ..pnrr_report import final_report_docx, final_report_pdf
from ..regis import regis_csv, regis_xlsx
from ..report import DOCX_CONTENT_TYPE


def _figures(request: AuthenticatedHttpRequest, code: str, cup: str) -> tuple[ProjectAccess, ProjectFigures]:
    access = project_access(request.user, code)
    project = project_of(access.partnership, normalise_code(cup))
    if project is None:
        raise Http404
    return access, project_figures(access.partnership, project, clock.today())


@login_required
def final_report(request: AuthenticatedHttpRequest, code: str, cup: str, extension: str) -> HttpResponseBase:
    access, data = _figures(request, code, cup)
    filename = f"relazione-finale-pnrr-{data.cup}.{extension}"
    if extension == "docx":
        return download(
            final_report_docx(data, names=access.sees_items), content_type=DOCX_CONTENT_TYPE, filename=filename
        )
    return download(final_report_pdf(data, names=access.sees_items), content_type="application/pdf", filename=filename)


@login_required
def regis_extract(request: AuthenticatedHttpRequest, code: str, cup: str, extension: str) -> HttpResponseBase:
    _access, data = _figures(request, code, cup)
    filename = f"regis-{data.cup}.{extension}"
    if extension == "xlsx":
        return download(regis_xlsx(data), content_type=XLSX_CONTENT_TYPE, filename=filename)
    return download(regis_csv(data), content_type=CSV_CONTENT_TYPE, filename=filename)
