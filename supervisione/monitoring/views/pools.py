"""A2 pools of a plan and the moves of unused hours to an A1 group or A3 équipe (Scheda LEPS 2.7.2): the move is
the sessions app's action (``sessions.actions.a2_moves.move_a2_hours``, audited; it needs the hours delivered),
checked by ``leps.minimums``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from supervisione.accounts import refusals
from supervisione.accounts.http import AuthenticatedHttpRequest
from supervisione.accounts.scopes import Scope, scope_for
from supervisione.leps.minimums import RedistributionError
from supervisione.lib import clock
from supervisione.lib.italian import hours_counted, plural
from supervisione.planning.access import can_edit_plan, get_plan_for_user
from supervisione.planning.models import Plan, PlanStatus
from supervisione.sessions.actions.a2_moves import move_a2_hours

from ..access import ambito_viewer, partnership_viewer
from ..figures import figures
from ..forms import MoveA2Form
from ..selection import YEAR, Selection
from ..tables import pools_table, transfers_table
from .dashboards import SECTION


def _not_the_planner(scope: Scope, plan: Plan) -> refusals.Refused:
    """Who moves A2 hours: whoever edits the plan (``planning.access.can_edit_plan``)."""
    if refusals.is_observer_only(scope):
        return refusals.read_only(scope, "")
    who = (
        "il coordinatore del partenariato"
        if plan.partnership_id is not None
        else "chi gestisce l'ATS: i suoi referenti e il coordinatore del partenariato"
    )
    return refusals.Refused(
        f"Le ore A2 non usate le sposta chi gestisce il POA, {who}: tu puoi consultare i monte ore.",
        forward_url=reverse("monitoring:a2_pools", args=[plan.pk]),
        forward_label="Torna ai monte ore A2",
    )


@login_required
def a2_pools(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk)
    if plan.partnership is not None:
        viewer = partnership_viewer(request.user, plan.partnership)
    else:
        assert plan.ambito is not None  # noqa: S101  (a plan has one owner)
        viewer = ambito_viewer(request.user, plan.ambito)
    user = request.user
    can_edit = can_edit_plan(scope_for(user), plan)
    can_move = can_edit and plan.status == PlanStatus.APPROVED
    if request.method == "POST" and not can_edit:
        raise _not_the_planner(scope_for(user), plan)
    found = figures(Selection(plan.year, YEAR, clock.today(), (plan,)))
    groups = [row.group for row in found.groups]
    free = {row.group.pk: row.pool_free for row in found.a1_groups}
    form = MoveA2Form(request.POST or None, groups=groups, free=free)
    if request.method == "POST" and not can_move:
        messages.error(request, "Le ore A2 si spostano solo nel piano approvato, durante l'anno.")
    elif request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            move_a2_hours(data["source"], data["target"], data["hours"], reason=data["reason"], by=user)
        except RedistributionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                f"{plural(data['hours'], 'Spostata', 'Spostate')} {hours_counted(data['hours'])} A2 da "
                f"{data['source'].name} a "
                f"{data['target'].name}: lo spostamento è nel registro delle modifiche del piano.",
            )
            return redirect("monitoring:a2_pools", plan.pk)
    return render(
        request,
        "monitoring/a2_pools.html",
        {
            "plan": plan,
            "pools": pools_table(found),
            "transfers": transfers_table(found, viewer),
            "form": form if can_move else None,
            "approved": plan.status == PlanStatus.APPROVED,
            "export_base": f"{reverse('monitoring:partnership', args=[plan.partnership.code])}?anno={plan.year}"
            if plan.partnership
            else f"{reverse('monitoring:ambito', args=[plan.tenant.code])}?anno={plan.year}",
            "active_section": SECTION,
        },
    )
