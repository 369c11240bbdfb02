"""The FNPS allocations for supervision of each ATS of a partnership, and what they would add as co-financing.

Moved from planning with the allocations (the page reads ``funding.FnpsAllocation``); it keeps its address
(``/poa/fnps/<partnership>/``). Allocations are recorded on each ATS's funds page: the ATS's money is its own.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from supervisione.accounts.http import AuthenticatedHttpRequest
from supervisione.accounts.scopes import get_partnership_for_user, scope_for
from supervisione.funding.access import ledger_access
from supervisione.funding.forms import WhatIfForm
from supervisione.funding.models import FnpsAllocation
from supervisione.leps.cofinancing import cofinancing, describe_cofinancing
from supervisione.leps.parameters import rules_at
from supervisione.leps.rounding import ZERO
from supervisione.lib import clock
from supervisione.planning.models import GroupKind, Plan, PlanMember, PlanStatus
from supervisione.planning.queries import owner_ambiti, plan_censuses, reference_rates, scope_people
from supervisione.territory.models import Partnership

SECTION = "plans"


def _waiting(partnership: Partnership) -> tuple[int, Plan | None]:
    """AS of the partnership outside any A1 group: of its latest plan if there is one, else of its census."""
    plan = (
        Plan.objects.filter(partnership=partnership)
        .exclude(status=PlanStatus.SUPERSEDED)
        .order_by("-year", "-version")
        .first()
    )
    censuses = list(plan.censuses.all()) if plan is not None else plan_censuses(partnership)
    social_workers = {p.person_id for p in scope_people(censuses) if p.is_social_worker}
    in_groups: set[int] = set()
    if plan is not None:
        in_groups = set(PlanMember.objects.filter(plan=plan, kind=GroupKind.A1).values_list("person_id", flat=True))
    return len(social_workers - in_groups), plan


@login_required
def fnps(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    partnership = get_partnership_for_user(request.user, code)
    scope = scope_for(request.user)
    ambiti = owner_ambiti(partnership)
    quotas = list(
        FnpsAllocation.objects.filter(ambito__in=ambiti)
        .select_related("ambito")
        .order_by("ambito__name", "-first_year")
    )
    waiting, plan = _waiting(partnership)
    year = plan.year if plan is not None else clock.today().year
    rates = reference_rates(partnership, year)
    initial: dict[str, Any] = {"quota": "all" if len(quotas) > 1 else (str(quotas[0].pk) if quotas else "")}
    if rates is not None:
        initial.update(a1_rate=rates.a1, a2_rate=rates.a2)
    form = WhatIfForm(request.GET or None, quotas=quotas, initial=initial)
    values: dict[str, Any] | None = initial if not form.is_bound else form.cleaned_data if form.is_valid() else None
    result = None
    chosen: list[FnpsAllocation] = []
    if values and quotas and values.get("a1_rate") and values.get("a2_rate"):
        choice = values.get("quota") or initial["quota"]  # rates typed without a choice: the page's default
        everything = choice == "all"
        chosen = [q for q in quotas if everything or choice == str(q.pk)]
        # One allocation of several years: one year of it. All together: their whole amounts.
        amount = sum((q.amount for q in chosen), ZERO) if everything else sum((q.per_year for q in chosen), ZERO)
        result = cofinancing(
            amount, values["a1_rate"], values["a2_rate"], waiting, 12, rules_at(datetime.date(year, 1, 1))
        )
    accesses = {ambito.pk: ledger_access(scope, ambito.pk) for ambito in ambiti}
    return render(
        request,
        "funding/fnps.html",
        {
            "partnership": partnership,
            "ambiti": [(ambito, accesses[ambito.pk]) for ambito in ambiti],
            "quotas": quotas,
            "form": form,
            "rates": rates,
            "rates_from_form": form.is_bound,
            "result": result,
            "several_years": next((q for q in chosen if q.years > 1), None) if len(chosen) == 1 else None,
            "all_together": len(chosen) > 1,
            "sentence": describe_cofinancing(result) if result else "",
            "waiting": waiting,
            "plan": plan,
            "acts_of": {pk for pk, access in accesses.items() if access.sees_acts},
            "active_section": SECTION,
        },
    )
