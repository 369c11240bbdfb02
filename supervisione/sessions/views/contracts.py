"""The contract page: the contract and its procedure, with the hours and money its sessions used.

The page belongs to the contracts of the supervisors app (its URL and name are ``supervisors:contract_detail``,
its template beside the other contract pages), but it shows what the contract's sessions delivered
(``usage.contract_usage``), and supervisors sits below sessions: so the view is here, and
``supervisione/urls.py`` adds it to the supervisors' URLs.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from supervisione.audit.queries import history_for
from supervisione.lib import clock
from supervisione.sessions.usage import contract_usage
from supervisione.supervisors.access import get_contract_for_user, reach_for
from supervisione.supervisors.models import Procedure
from supervisione.supervisors.queries import contract_page
from supervisione.supervisors.views.contracts import SECTION


@login_required
def contract_detail(request: HttpRequest, pk: int) -> HttpResponse:
    contract = get_contract_for_user(request.user, pk)
    page = contract_page(contract)
    return render(
        request,
        "supervisors/contract_detail.html",
        {
            "contract": contract,
            "page": page,
            "usage": contract_usage(contract),
            "now": clock.now(),
            "is_co_design": contract.procedure == Procedure.CO_DESIGN,
            "can_manage": reach_for(request.user).manages(contract),
            "history": history_for(contract),
            "active_section": SECTION,
        },
    )
