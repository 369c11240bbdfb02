"""The contract page: the contract and its procedure, with the hours and money its sessions used.

The page belongs to the contracts of the procurement app (its URL and name are ``procurement:contract_detail``,
its template beside the other contract pages), but it shows what the contract's sessions delivered
(``usage.contract_usage``), and procurement sits below sessions: so the view is here, and
``supervisione/urls.py`` adds it to procurement's URLs.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from supervisione.accounts.http import AuthenticatedHttpRequest
from supervisione.audit.queries import history_for
from supervisione.lib import clock
from supervisione.procurement.access import get_contract_for_user
from supervisione.procurement.models import Procedure
from supervisione.procurement.queries import contract_page
from supervisione.procurement.views.contracts import SECTION
from supervisione.sessions.usage import contract_usage
from supervisione.supervisors.access import reach_for


@login_required
def contract_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    contract = get_contract_for_user(request.user, pk)
    page = contract_page(contract)
    return render(
        request,
        "procurement/contract_detail.html",
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
