"""Documents of the monitoring: the half-yearly report (read on its page; as PDF or Word prepared in the background,
``report_jobs``) and the monitoring in the POA layout (XLSX, in the request: one plan's sheet, well under a second).
The PNRR evidence pack (ZIP) is built in the background too: ``views.evidence``."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest
from django.http import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse

from supervisione.accounts.http import AuthenticatedHttpRequest
from supervisione.accounts.refusals import Refused
from supervisione.accounts.scopes import get_ambito_for_user, get_partnership_for_user
from supervisione.lib import clock
from supervisione.lib.downloads import download
from supervisione.planning.access import get_plan_for_user
from supervisione.territory.models import Ambito, Partnership

from .. import exports
from ..access import Viewer, ambito_viewer, partnership_viewer
from ..dashboards import Dashboard
from ..figures import figures
from ..forms import FilterForm, ReportForm
from ..models import DocumentJob, DocumentKind
from ..poa_monitoring import poa_monitoring_xlsx
from ..report import build_report
from ..report_jobs import report_dashboard, start_report
from ..selection import Selection
from .dashboards import SECTION

RECENT_DOCUMENTS = 5


def _dashboard_url(tenant: Partnership | Ambito) -> str:
    name = "monitoring:partnership" if isinstance(tenant, Partnership) else "monitoring:ambito"
    return reverse(name, args=[tenant.code])


def _figures_only(viewer: Viewer, who: str, tenant: Partnership | Ambito) -> Refused:
    """A document for those who read names, refused to a supervisor or an observer, who read the dashboard's figures:
    ``who`` says whose it is, the refusal sends to the dashboard."""
    if viewer.aggregate_only:
        where = f"Il tuo ruolo di osservatore vede le stesse cifre, aggregate, nel cruscotto di {tenant.name}."
    else:
        where = f"Le cifre dei gruppi, senza nomi né spesa, le trovi nel cruscotto di {tenant.name}."
    return Refused(
        f"{who}. {where}",
        forward_url=_dashboard_url(tenant),
        forward_label="Vai al cruscotto",
    )


def _report(request: AuthenticatedHttpRequest, dashboard: Dashboard, tenant: Partnership | Ambito) -> HttpResponseBase:
    """The report on the page, to read before asking for it as PDF or Word: «Prepara il documento» (a POST with
    ``formato``) queues it and opens its page (``views.jobs``); the user's last ones are listed. An address of the
    time the documents were made in the request (``?formato=pdf``) opens the page."""
    if not dashboard.viewer.names:
        raise _figures_only(
            dashboard.viewer,
            "La relazione al Coordinamento Istituzionale la preparano il coordinatore del partenariato e i referenti "
            "degli ATS",
            tenant,
        )
    if request.method == "POST":
        form = ReportForm(request.POST)
        if not form.is_valid():
            raise BadRequest("Formato non disponibile: scegli PDF o Word.")
        return redirect(start_report(dashboard, tenant, form.cleaned_data["formato"], by=request.user))
    if "formato" in request.GET:
        return redirect(f"{request.path}?{dashboard.form.query()}")
    scope = {"partnership": tenant} if isinstance(tenant, Partnership) else {"ambito": tenant}
    recent = DocumentJob.objects.filter(kind=DocumentKind.REPORT, created_by=request.user, **scope)
    return render(
        request,
        "monitoring/report.html",
        {
            "report": build_report(dashboard),
            "dashboard": dashboard,
            "recent": list(recent[:RECENT_DOCUMENTS]),
            "active_section": SECTION,
        },
    )


@login_required
def partnership_report(request: AuthenticatedHttpRequest, code: str) -> HttpResponseBase:
    """The report to the Coordinamento Istituzionale: coordinators and referents (it counts, never names)."""
    found = get_partnership_for_user(request.user, code)
    dashboard = report_dashboard(request.user, found, request.GET, clock.today())
    return _report(request, dashboard, found)


@login_required
def ambito_report(request: AuthenticatedHttpRequest, code: str) -> HttpResponseBase:
    found = get_ambito_for_user(request.user, code)
    dashboard = report_dashboard(request.user, found, request.GET, clock.today())
    return _report(request, dashboard, found)


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
        raise _figures_only(
            viewer,
            "Il monitoraggio nel formato del POA riporta nomi e spesa: lo scaricano il coordinatore del partenariato e "
            "i referenti degli ATS",
            plan.tenant,
        )
    form = FilterForm(request.GET, year=plan.year, kinds=False)
    found = figures(Selection(plan.year, form.period, clock.today(), (plan,)))
    return download(
        poa_monitoring_xlsx(plan, found),
        content_type=exports.XLSX_CONTENT_TYPE,
        filename=f"monitoraggio-poa-{plan.year}-{plan.tenant.code.lower()}.xlsx",
    )
