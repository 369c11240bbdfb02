"""The POA exported in the Multifondo layout (XLSX, PDF, JSON) for those who may see supervisors and costs."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseBase

from supervisione.accounts.http import AuthenticatedHttpRequest
from supervisione.accounts.refusals import Refused
from supervisione.accounts.scopes import scope_for
from supervisione.lib.downloads import download
from supervisione.planning.access import get_plan_for_user, name_access
from supervisione.planning.exports import export, filename
from supervisione.planning.plan_page import plan_page

FORMATS = ("xlsx", "pdf", "json")


@login_required
def plan_export(request: AuthenticatedHttpRequest, pk: int, fmt: str) -> HttpResponseBase:
    plan = get_plan_for_user(request.user, pk)
    if fmt not in FORMATS:
        raise Http404
    if not name_access(request.user, plan).can_export:
        raise Refused(
            "L'esportazione per la Piattaforma Multifondo riporta i supervisori e i costi: la scaricano il "
            "coordinatore del partenariato e i referenti degli ATS.",
            forward_url=plan.get_absolute_url(),
            forward_label="Torna al POA",
        )
    page = plan_page(plan)
    # The part of each ATS as on the plan's page: a referent reads his own ATS's.
    content, content_type = export(page, fmt, visible=scope_for(request.user).can_see_ambito)
    return download(content, filename=filename(page, fmt), content_type=content_type)
