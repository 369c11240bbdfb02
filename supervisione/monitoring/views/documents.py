"""Documents of the monitoring: the half-yearly report (PDF, Word) and the monitoring in the POA layout (XLSX).
The PNRR evidence pack (ZIP) is built in the background: ``views.evidence``."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseBase
from django.shortcuts import render

from supervisione.accounts.http import AuthenticatedHttpRequest
from supervisione.accounts.scopes import get_ambito_for_user, get_partnership_for_user
from supervisione.lib import clock
from supervisione.lib.downloads import download
from supervisione.planning.access import get_plan_for_user
from supervisione.territory.models import Ambito

from .. import exports
from ..access import ambito_viewer, partnership_viewer
from ..dashboards import Dashboard, ambito_dashboard, partnership_dashboard
from ..figures import figures
from ..forms import FilterForm, ReportForm
from ..poa_monitoring import poa_monitoring_xlsx
from ..report import DOCX_CONTENT_TYPE, build_report, report_docx, report_pdf
from ..selection import Selection
from .dashboards import SECTION


def _report(request: AuthenticatedHttpRequest, dashboard: Dashboard, name: str) -> HttpResponseBase:
    """The report on the page, to read before downloading it as PDF or Word (``?formato=pdf|docx``)."""
    if not dashboard.viewer.names:
        raise PermissionDenied
    report = build_report(dashboard)
    if "formato" not in request.GET:
        url = request.path
        return render(
            request,
            "monitoring/report.html",
            {
                "report": report,
                "dashboard": dashboard,
                "pdf_url": f"{url}?{dashboard.form.query(formato='pdf')}",
                "docx_url": f"{url}?{dashboard.form.query(formato='docx')}",
                "active_section": SECTION,
            },
        )
    form = ReportForm(request.GET)
    if not form.is_valid():
        raise Http404("Formato non disponibile")
    filename = f"relazione-{name}-{dashboard.form.year}-{dashboard.form.period.key}"
    if form.cleaned_data["formato"] == "docx":
        return download(report_docx(report), content_type=DOCX_CONTENT_TYPE, filename=f"{filename}.docx")
    return download(report_pdf(report), content_type="application/pdf", filename=f"{filename}.pdf")


@login_required
def partnership_report(request: AuthenticatedHttpRequest, code: str) -> HttpResponseBase:
    """The report to the Coordinamento Istituzionale: coordinators and referents (it counts, never names)."""
    found = get_partnership_for_user(request.user, code)
    viewer = partnership_viewer(request.user, found)
    ambiti = list(Ambito.objects.filter(partnership_memberships__partnership=found).order_by("name"))
    dashboard = partnership_dashboard(found, viewer, request.GET, clock.today(), ambiti)
    return _report(request, dashboard, found.code.lower())


@login_required
def ambito_report(request: AuthenticatedHttpRequest, code: str) -> HttpResponseBase:
    found = get_ambito_for_user(request.user, code)
    viewer = ambito_viewer(request.user, found)
    dashboard = ambito_dashboard(found, viewer, request.GET, clock.today())
    return _report(request, dashboard, found.code.lower())


@login_required
def poa_monitoring(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    """Realised against planned in the POA layout: whoever may export the plan (editors and referents)."""
    plan = get_plan_for_user(request.user, pk)
    if plan.partnership is not None:
        viewer = partnership_viewer(request.user, plan.partnership)
    else:
        assert plan.ambito is not None  # noqa: S101  (a plan has one owner)
        viewer = ambito_viewer(request.user, plan.ambito)
    if not (viewer.names and viewer.money):
        raise PermissionDenied
    form = FilterForm(request.GET, year=plan.year, kinds=False)
    found = figures(Selection(plan.year, form.period, clock.today(), (plan,)))
    return download(
        poa_monitoring_xlsx(plan, found),
        content_type=exports.XLSX_CONTENT_TYPE,
        filename=f"monitoraggio-poa-{plan.year}-{plan.tenant.code.lower()}.xlsx",
    )
