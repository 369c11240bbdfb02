"""Helpers shared by the views of the calendar."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse

from supervisione.accounts import refusals
from supervisione.accounts.scopes import scope_for
from supervisione.planning.models import Plan, PlanGroup, PlanMember, PlanStatus
from supervisione.sessions.access import Reach, reach_for

if TYPE_CHECKING:
    from supervisione.accounts.models import User

SECTION = "calendar"


def get_group_for_user(user: User, pk: int, *, book: bool = False) -> tuple[PlanGroup, Reach]:
    """A group of a plan if the user sees it: managers of its plan, readers of its ATS, its supervisor, its
    members. ``book``: only managers. 404 when the plan's partnership or ATS is invisible to the user."""
    group = (
        PlanGroup.objects.select_related(
            "plan", "plan__partnership", "plan__ambito", "supervisor", "contract", "funding__ambito"
        )
        .filter(pk=pk)
        .first()
    )
    if group is None:
        raise Http404
    reach = reach_for(user)
    plan = group.plan
    manages = reach.manages_tenant(plan.partnership_id, plan.ambito_id)
    if book:
        allowed = manages
    else:
        allowed = (
            manages
            or group.supervisor_id in reach.supervisor_ids
            or (reach.read_ambito_ids is not None and plan.ambito_id in reach.read_ambito_ids)
            or (
                bool(reach.read_ambito_ids)
                and PlanMember.objects.filter(group=group, ambito_id__in=reach.read_ambito_ids or ()).exists()
            )
            or (
                reach.person_id is not None
                and PlanMember.objects.filter(group=group, person_id=reach.person_id).exists()
            )
        )
    if not allowed:
        scope = scope_for(user)
        visible = (
            scope.can_see_partnership(plan.partnership_id)
            if plan.partnership_id is not None
            else plan.ambito_id is not None and scope.can_see_ambito(plan.ambito_id)
        )
        if not visible:
            raise Http404
        raise PermissionDenied
    return group, reach


def require_sessions_reader(user: User) -> Reach:
    """Calendars are for people who take part in supervision; observers get aggregates elsewhere (403)."""
    reach = reach_for(user)
    if not reach.sees_any:
        raise not_a_reader(reach)
    return reach


def not_a_reader(reach: Reach) -> PermissionDenied:
    """Why the calendars are closed to this user, and where to go instead."""
    if refusals.is_observer_only(reach.scope):
        return refusals.Refused(
            "I calendari mostrano persone e incontri: il tuo ruolo di osservatore vede solo i dati aggregati.",
            forward_url=reverse("monitoring:observatory"),
            forward_label="Vai all'osservatorio",
        )
    return refusals.Refused(
        "Il tuo account non è ancora collegato a una persona del censimento o a un supervisore: chiedi al "
        "referente del tuo ATS di invitarti dalla pagina del censimento (o all'amministratore di collegarlo)."
    )


def is_bookable(plan: Plan) -> bool:
    """Sessions are booked on the groups of the plan in force: the approved version or, while a year has no
    approved version yet, the version being prepared (so that supervision does not wait for the approval)."""
    if plan.status == PlanStatus.APPROVED:
        return True
    if plan.status == PlanStatus.SUPERSEDED:
        return False
    owner = {"partnership_id": plan.partnership_id} if plan.partnership_id else {"ambito_id": plan.ambito_id}
    same_owner = Plan.objects.filter(**owner, year=plan.year, status=PlanStatus.APPROVED)
    return not same_owner.exists()
