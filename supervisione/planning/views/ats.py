"""The POA of one ATS: its part of a partnership plan (or its own plan), with its filing on Multifondo and its
exports in the Multifondo layout."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseBase
from django.shortcuts import render

from supervisione.accounts.http import AuthenticatedHttpRequest
from supervisione.accounts.refusals import Refused
from supervisione.accounts.scopes import get_ambito_for_user
from supervisione.lib import clock
from supervisione.lib.downloads import download
from supervisione.planning import actions, ats_exports
from supervisione.planning.access import get_plan_for_user, name_access
from supervisione.planning.ats_poa import AtsPoa, split_plan
from supervisione.planning.models import Plan
from supervisione.planning.plan_page import plan_page
from supervisione.planning.views.plans import SECTION

FORMATS = ("xlsx", "pdf")


def _ats_poa(request: AuthenticatedHttpRequest, pk: int, code: str) -> tuple[Plan, AtsPoa]:
    """The plan if the user sees it, and the ATS's part if the user sees the ATS and the plan covers it (404)."""
    plan = get_plan_for_user(request.user, pk)
    ambito = get_ambito_for_user(request.user, code)
    poa = split_plan(plan_page(plan)).part(ambito.pk)
    if poa is None:
        raise Http404
    return plan, poa


@login_required
def ats_poa(request: AuthenticatedHttpRequest, pk: int, code: str) -> HttpResponse:
    plan, poa = _ats_poa(request, pk, code)
    access = name_access(request.user, plan)
    ambito = poa.ambito
    names = access.everyone or ambito.pk in access.ambito_ids
    people = [
        person for person in poa.social_workers_outside if names or access.sees_person(person.person_id, ambito.pk)
    ]
    # Each share with the names of the ATS's members the user may read (a supervisor: the groups they lead).
    share_tables = [
        (kind, title, [(share, [member for member in share.members if access.sees(member)]) for share in found])
        for kind, title, found in (
            ("A1", "A1 - gruppi monoprofessionali e monte ore A2", poa.a1_shares),
            ("A3", "A3 - supervisione organizzativa delle équipe", poa.a3_shares),
            ("extra", "Gruppi extra-LEPS", poa.extra_shares),
        )
        if found or kind != "extra"
    ]
    supervisor_ids = {
        share.group.pk
        for share in poa.shares
        if access.shows_supervisor(share.group, {member.person_id for member in share.row.members})
    }
    return render(
        request,
        "planning/ats_poa.html",
        {
            "plan": plan,
            "poa": poa,
            "page": poa.page,
            "access": access,
            "names": names,
            "share_tables": share_tables,
            "supervisor_ids": supervisor_ids,
            "outside_visible": people,
            "outside_hidden": len(poa.social_workers_outside) - len(people),
            "filing": actions.filing_of(ambito, plan.year),
            "can_export": access.can_export_ambito(ambito.pk),
            "today": clock.today(),
            "active_section": SECTION,
        },
    )


@login_required
def ats_poa_export(request: AuthenticatedHttpRequest, pk: int, code: str, fmt: str) -> HttpResponseBase:
    plan, poa = _ats_poa(request, pk, code)
    if fmt not in FORMATS:
        raise Http404
    if not name_access(request.user, plan).can_export_ambito(poa.ambito.pk):
        raise Refused(
            f"Il POA di {poa.ambito.name} riporta nomi e costi: lo scaricano il coordinatore del partenariato e i "
            "referenti dell'ATS.",
            forward_url=plan.get_absolute_url(),
            forward_label="Torna al POA",
        )
    content, content_type = ats_exports.export(poa, actions.filing_of(poa.ambito, plan.year), fmt)
    return download(content, filename=ats_exports.filename(poa, fmt), content_type=content_type)
