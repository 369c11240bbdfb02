"""The objectives of a tender or Piano di Zona on burn-out, per partnership or ATS: their indicators' status from
the tenant's results (``objectives.assess``), recorded and removed by those who edit the tenant, read by those who
read its results; everyone else 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from supervisione.accounts.http import AuthenticatedHttpRequest
from supervisione.accounts.refusals import Refused
from supervisione.accounts.scopes import get_ambito_for_user, get_partnership_for_user, scope_for
from supervisione.lib import clock
from supervisione.territory.models import Ambito, Partnership
from supervisione.wellbeing import actions, results
from supervisione.wellbeing.access import reads_results_of
from supervisione.wellbeing.forms import ObjectiveForm
from supervisione.wellbeing.models import Objective
from supervisione.wellbeing.objectives import assess_all, objectives_of

SECTION = "wellbeing"


def _not_yours() -> Refused:
    return Refused(
        "Gli obiettivi li registrano e li tolgono il coordinatore del partenariato o i referenti dell'ATS: tu puoi "
        "consultarli."
    )


def _may(request: AuthenticatedHttpRequest, tenant: Partnership | Ambito) -> bool:
    """Whether the user edits the tenant; 404 unless the user reads its results."""
    scope = scope_for(request.user)
    if isinstance(tenant, Partnership):
        if not reads_results_of(scope, partnership_id=tenant.pk):
            raise Http404
        return scope.can_edit_partnership(tenant.pk)
    if not reads_results_of(scope, ambito_id=tenant.pk):
        raise Http404
    return scope.can_edit_ambito(tenant.pk)


def _page(request: AuthenticatedHttpRequest, tenant: Partnership | Ambito, url: str) -> HttpResponse:
    manage = _may(request, tenant)
    keys = {"partnership_id": tenant.pk} if isinstance(tenant, Partnership) else {"ambito_id": tenant.pk}
    objective = Objective(**keys)
    form = ObjectiveForm(request.POST or None, instance=objective) if manage else None
    if request.method == "POST":
        if form is None:
            raise _not_yours()
        if form.is_valid():
            actions.add_objective(form.instance, by=request.user)
            messages.success(request, "Obiettivo registrato.")
            return redirect(url)
    tables = results.year_tables(keys.get("partnership_id"), keys.get("ambito_id"))
    objectives = objectives_of(keys.get("partnership_id"), keys.get("ambito_id"))
    assessed = assess_all(objectives, tables, today=clock.today())
    return render(
        request,
        "wellbeing/objectives.html",
        {"tenant": tenant, "assessed": assessed, "form": form, "manage": manage, "active_section": SECTION},
    )


@login_required
def partnership_objectives(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    partnership = get_partnership_for_user(request.user, code)
    return _page(request, partnership, reverse("wellbeing:objectives_partnership", args=[code]))


@login_required
def ambito_objectives(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    ambito = get_ambito_for_user(request.user, code)
    return _page(request, ambito, reverse("wellbeing:objectives_ambito", args=[code]))


@login_required
@require_POST
def remove_objective(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    objective = get_object_or_404(Objective.objects.select_related("partnership", "ambito"), pk=pk)
    if not _may(request, objective.tenant):
        raise _not_yours()
    actions.remove_objective(objective, by=request.user)
    messages.success(request, "Obiettivo eliminato.")
    if objective.partnership is not None:
        return redirect("wellbeing:objectives_partnership", objective.partnership.code)
    return redirect("wellbeing:objectives_ambito", objective.tenant.code)
