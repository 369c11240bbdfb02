from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import render

from supervisione.accounts.http import AuthenticatedHttpRequest
from supervisione.accounts.models import RoleAssignment
from supervisione.accounts.scopes import scope_for, visible_ambiti, visible_partnerships
from supervisione.home.steps import onboarding_for, steps_for
from supervisione.lib import clock


def greeting(hour: int) -> str:
    """Good morning until the afternoon, good evening from five o'clock and through the night (Rome time)."""
    return "Buongiorno" if 5 <= hour < 17 else "Buonasera"


@login_required
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    roles = RoleAssignment.objects.filter(user=request.user).select_related("partnership", "ambito", "region")
    context = {
        "roles": roles,
        "steps": steps_for(request.user, scope),
        "onboarding": onboarding_for(request.user, scope),
        # Each card counts the partnership's ATS: a count, not its memberships and their ATS read to be counted.
        # By code, as partnerships are listed everywhere (an aggregate query leaves out the model's ordering).
        "partnerships": visible_partnerships(request.user)
        .annotate(member_count=Count("memberships"))
        .order_by("code")[:12],
        # The ids of the scope come from rows that point to their ATS: counted without asking the database again.
        "ambito_count": visible_ambiti(request.user).count()
        if scope.visible_ambito_ids is None
        else len(scope.visible_ambito_ids),
        # An observer's work is the observatory's aggregates: the home page points there, never to a dead end.
        "observes": scope.is_admin or (scope.has_any_role and not scope.sees_people),
        "active_section": "home",
        "greeting": greeting(clock.localnow().hour),
    }
    return render(request, "home/home.html", context)
