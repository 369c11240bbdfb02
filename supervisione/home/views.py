from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from supervisione.accounts.http import AuthenticatedHttpRequest
from supervisione.accounts.models import RoleAssignment
from supervisione.accounts.scopes import scope_for, visible_ambiti, visible_partnerships
from supervisione.home.steps import onboarding_for, steps_for


@login_required
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    roles = RoleAssignment.objects.filter(user=request.user).select_related("partnership", "ambito", "region")
    context = {
        "roles": roles,
        "steps": steps_for(request.user, scope),
        "onboarding": onboarding_for(request.user, scope),
        "partnerships": visible_partnerships(request.user).prefetch_related("memberships__ambito")[:12],
        "ambito_count": visible_ambiti(request.user).count(),
        # An observer's work is the observatory's aggregates: the home page points there, never to a dead end.
        "observes": scope.is_admin or (scope.has_any_role and not scope.sees_people),
        "active_section": "home",
    }
    return render(request, "home/home.html", context)
