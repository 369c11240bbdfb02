"""The FNPS quota for supervision of each ATS of a partnership, and what it would add as co-financing."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from supervisione.accounts.decorators import current_user
from supervisione.accounts.scopes import get_partnership_for_user, scope_for
from supervisione.leps.cofinancing import cofinancing, describe_cofinancing
from supervisione.leps.parameters import rules_at
from supervisione.leps.rounding import ZERO
from supervisione.lib import clock
from supervisione.planning import actions
from supervisione.planning.forms import FnpsQuotaForm, WhatIfForm
from supervisione.planning.models import FnpsQuota, GroupKind, Plan, PlanMember, PlanStatus
from supervisione.planning.queries import owner_ambiti, plan_censuses, reference_rates, scope_people
from supervisione.supervisors.views.common import form_page
from supervisione.territory.models import Ambito, Partnership

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
def fnps(request: HttpRequest, code: str) -> HttpResponse:
    partnership = get_partnership_for_user(request.user, code)
    scope = scope_for(request.user)
    ambiti = owner_ambiti(partnership)
    quotas = list(
        FnpsQuota.objects.filter(ambito__in=ambiti).select_related("ambito").order_by("ambito__name", "-year")
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
    if values and quotas and values.get("a1_rate") and values.get("a2_rate"):
        chosen = [q for q in quotas if values["quota"] in ("all", str(q.pk))]
        amount = sum((q.amount for q in chosen), ZERO)
        result = cofinancing(
            amount, values["a1_rate"], values["a2_rate"], waiting, 12, rules_at(datetime.date(year, 1, 1))
        )
    return render(
        request,
        "planning/fnps.html",
        {
            "partnership": partnership,
            "quotas": quotas,
            "form": form,
            "rates": rates,
            "rates_from_form": form.is_bound,
            "result": result,
            "sentence": describe_cofinancing(result) if result else "",
            "waiting": waiting,
            "plan": plan,
            "can_edit": any(scope.can_edit_ambito(ambito.pk) for ambito in ambiti),
            "editable_ids": {ambito.pk for ambito in ambiti if scope.can_edit_ambito(ambito.pk)},
            "active_section": SECTION,
        },
    )


def _editable_ambiti(request: HttpRequest, partnership: Partnership) -> list[int]:
    scope = scope_for(request.user)
    ids = [ambito.pk for ambito in owner_ambiti(partnership) if scope.can_edit_ambito(ambito.pk)]
    if not ids:
        raise PermissionDenied
    return ids


@login_required
def fnps_create(request: HttpRequest, code: str) -> HttpResponse:
    partnership = get_partnership_for_user(request.user, code)
    return _quota_form(request, partnership, FnpsQuota())


@login_required
def fnps_edit(request: HttpRequest, code: str, quota_pk: int) -> HttpResponse:
    partnership = get_partnership_for_user(request.user, code)
    ids = _editable_ambiti(request, partnership)
    quota = FnpsQuota.objects.select_related("ambito").filter(pk=quota_pk).first()
    if quota is None or not scope_for(request.user).can_see_ambito(quota.ambito_id):
        raise Http404
    if quota.ambito_id not in ids:
        raise PermissionDenied
    return _quota_form(request, partnership, quota)


def _quota_form(request: HttpRequest, partnership: Partnership, quota: FnpsQuota) -> HttpResponse:
    ids = _editable_ambiti(request, partnership)
    form = FnpsQuotaForm(
        request.POST or None, instance=quota, ambiti=Ambito.objects.filter(pk__in=ids).order_by("name")
    )
    page = reverse("planning:fnps", args=[partnership.code])
    return form_page(
        request,
        form,
        title="Quota FNPS per la supervisione" if quota._state.adding else str(quota),
        intro="La quota del Fondo Nazionale Politiche Sociali che l'ATS riserva alla supervisione in un anno. "
        "Indica anche il riparto FNPS dell'ATS per vedere la quota in percentuale.",
        cancel_url=page,
        on_valid=lambda: actions.save_quota(form.instance, by=current_user(request)),
        success="Quota FNPS salvata.",
        active_section=SECTION,
    )
