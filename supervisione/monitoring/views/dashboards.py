"""The dashboard pages. Each reads its figures once; with ``?tabella=SLUG&formato=csv|xlsx`` (and the same
filters) it answers one of its tables as a file instead of the page."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render

from supervisione.accounts import refusals
from supervisione.accounts.http import AuthenticatedHttpRequest
from supervisione.accounts.scopes import get_ambito_for_user, get_partnership_for_user, scope_for, visible_ambiti
from supervisione.census.models import Person
from supervisione.lib import clock
from supervisione.lib.downloads import download
from supervisione.planning.access import name_access
from supervisione.planning.models import PlanGroup
from supervisione.sessions.access import not_a_reader, reach_for
from supervisione.sessions.views.calendars import get_person_for_user
from supervisione.sessions.views.common import get_group_for_user, openable_group_ids
from supervisione.supervisors.access import get_supervisor_for_user
from supervisione.supervisors.models import Supervisor
from supervisione.territory.models import Ambito, Region

from .. import exports
from ..access import Viewer, ambito_viewer, observatory_viewer, partnership_viewer
from ..alerts import KIND_LABELS, KINDS, alerts_for
from ..dashboards import (
    Dashboard,
    ambito_dashboard,
    group_dashboard,
    observatory_dashboard,
    partnership_dashboard,
    person_dashboard,
    supervisor_dashboard,
)
from ..figures import Figures
from ..forms import ExportForm
from ..queries import dashboards_for

SECTION = "monitoring"


def respond(request: AuthenticatedHttpRequest, dashboard: Dashboard[Any], name: str) -> HttpResponseBase:
    """The page, or one of its tables as CSV or XLSX when asked."""
    if "tabella" in request.GET or "formato" in request.GET:
        form = ExportForm(request.GET)
        table = dashboard.tables.get(form.cleaned_data["tabella"]) if form.is_valid() else None
        if table is None:
            raise Http404("Tabella non disponibile")
        filename = f"{name}-{dashboard.form.year}-{table.slug}"
        if form.cleaned_data["formato"] == "csv":
            return download(exports.table_csv(table), content_type=exports.CSV_CONTENT_TYPE, filename=f"{filename}.csv")
        return download(
            exports.tables_xlsx([table]), content_type=exports.XLSX_CONTENT_TYPE, filename=f"{filename}.xlsx"
        )
    if isinstance(dashboard.figures, Figures):
        # The groups to follow link to their dashboard only where the reader may open it (a supervisor reads the
        # partnership's figures, but only their own groups' pages).
        groups = [row.group for row in dashboard.figures.needing_attention]
        dashboard.openable_groups = frozenset(openable_group_ids(request.user, groups))
    return render(request, "monitoring/dashboard.html", {"dashboard": dashboard, "active_section": SECTION})


@login_required
def index(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The dashboards the user can open; observers go straight to the observatory."""
    user = request.user
    scope = scope_for(user)
    if scope.has_any_role and not scope.sees_people:
        return redirect("monitoring:observatory")
    links = dashboards_for(user)
    if not links.any:
        # No role, or a supervisee whose account is not linked to a person of the census yet.
        raise refusals.without_role() if not scope.has_any_role else not_a_reader(reach_for(user))
    return render(request, "monitoring/index.html", {"links": links, "active_section": SECTION})


@login_required
def partnership(request: AuthenticatedHttpRequest, code: str) -> HttpResponseBase:
    found = get_partnership_for_user(request.user, code)
    viewer = partnership_viewer(request.user, found)
    ambiti = list(Ambito.objects.filter(partnership_memberships__partnership=found).order_by("name"))
    dashboard = partnership_dashboard(found, viewer, request.GET, clock.today(), ambiti)
    return respond(request, dashboard, f"monitoraggio-{found.code.lower()}")


@login_required
def ambito(request: AuthenticatedHttpRequest, code: str) -> HttpResponseBase:
    found = get_ambito_for_user(request.user, code)
    viewer = ambito_viewer(request.user, found)
    dashboard = ambito_dashboard(found, viewer, request.GET, clock.today())
    return respond(request, dashboard, f"monitoraggio-{found.code.lower()}")


@login_required
def observatory(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    viewer = observatory_viewer(request.user)
    scope = viewer.scope
    ambiti = list(visible_ambiti(request.user).order_by("name"))
    regions: list[Region] = []
    if scope.observer_region_ids is None or scope.is_admin:
        regions = list(Region.objects.order_by("name"))
    elif scope.observer_region_ids:
        regions = list(Region.objects.filter(pk__in=scope.observer_region_ids).order_by("name"))
    dashboard = observatory_dashboard(viewer, request.GET, clock.today(), ambiti, regions)
    return respond(request, dashboard, "osservatorio")


@login_required
def group(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    """A group's dashboard: whoever may open its calendar, with the names the plan's rules allow; observers
    read its aggregates."""
    scope = scope_for(request.user)
    if scope.has_any_role and not scope.sees_people:
        found = get_object_or_404(PlanGroup.objects.select_related("plan", "plan__partnership", "plan__ambito"), pk=pk)
        plan = found.plan
        visible = (
            scope.can_see_partnership(plan.partnership_id)
            if plan.partnership_id is not None
            else plan.ambito_id is not None and scope.can_see_ambito(plan.ambito_id)
        )
        if not visible:
            raise Http404
        viewer = Viewer(scope, frozenset(), supervisors=False, money=False, manages=False)
        dashboard = group_dashboard(found, viewer, None, request.GET, clock.today())
        return respond(request, dashboard, f"gruppo-{found.pk}")
    found, _reach = get_group_for_user(request.user, pk)
    names = name_access(request.user, found.plan)
    viewer = Viewer(
        scope,
        None if names.everyone else frozenset(names.ambito_ids),
        supervisors=True,
        money=False,
        manages=names.can_edit,
    )
    dashboard = group_dashboard(found, viewer, names, request.GET, clock.today())
    return respond(request, dashboard, f"gruppo-{found.pk}")


@login_required
def supervisor(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    """The supervisor themselves and the managers who pay them."""
    reach = reach_for(request.user)
    found: Supervisor
    if pk in reach.supervisor_ids:
        found = get_object_or_404(Supervisor, pk=pk)
    else:
        found = get_supervisor_for_user(request.user, pk)
        if not reach.manages_tenant(found.partnership_id, found.ambito_id):
            # A referent, who reads the supervisor's record but does not pay them.
            raise refusals.Refused(
                "Il cruscotto di un supervisore (le sue ore per gruppo e per contratto) lo consultano il supervisore "
                "e chi lo incarica, il coordinatore del partenariato. Tu puoi consultarne la scheda, e trovi le "
                "ore dei gruppi del tuo ATS nel cruscotto dell'ATS.",
                forward_url=found.get_absolute_url(),
                forward_label="Vai alla scheda del supervisore",
            )
    viewer = Viewer(reach.scope, frozenset(), supervisors=True, money=False, manages=False)
    dashboard = supervisor_dashboard(found, viewer, request.GET, clock.today())
    return respond(request, dashboard, f"supervisore-{found.pk}")


@login_required
def person(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    """The person, the managers of their plans and the referents of their ATS (as their calendar)."""
    found: Person = get_person_for_user(request.user, pk)
    reach = reach_for(request.user)
    viewer = Viewer(reach.scope, None, supervisors=True, money=False, manages=False)
    dashboard = person_dashboard(found, viewer, request.GET, clock.today(), is_self=reach.person_id == pk)
    return respond(request, dashboard, f"persona-{found.pk}")


@login_required
def alerts(request: AuthenticatedHttpRequest) -> HttpResponse:
    """What needs attention for the user: the same list the daily e-mail digest sends them."""
    found = alerts_for(request.user, clock.today())
    groups = [(KIND_LABELS[kind], [alert for alert in found if alert.kind == kind]) for kind in KINDS]
    return render(
        request,
        "monitoring/alerts.html",
        {"groups": [group for group in groups if group[1]], "count": len(found), "active_section": SECTION},
    )
