"""Helpers shared by the views of the calendar."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.db.models import Q
from django.http import Http404
from django.urls import reverse

from supervisione.accounts import refusals
from supervisione.accounts.scopes import scope_for
from supervisione.planning.models import Plan, PlanGroup, PlanMember, PlanStatus
from supervisione.sessions.access import Reach, not_a_reader, reach_for

if TYPE_CHECKING:
    from supervisione.accounts.models import User

SECTION = "calendar"


def openable_group_ids(user: User, groups: Sequence[PlanGroup]) -> set[int]:
    """The groups among ``groups`` (with their plan) whose calendar and dashboard ``user`` may open, by the rule of
    ``get_group_for_user``: for a page that lists groups and links only those (one query at most, however many)."""
    return _openable(reach_for(user), groups)


def _openable(reach: Reach, groups: Sequence[PlanGroup]) -> set[int]:
    """Managers of the group's plan, readers of its ATS, its supervisor, readers of a member's ATS, its members."""
    found = {
        group.pk
        for group in groups
        if reach.manages_tenant(group.plan.partnership_id, group.plan.ambito_id)
        or group.supervisor_id in reach.supervisor_ids
        or (reach.read_ambito_ids is not None and group.plan.ambito_id in reach.read_ambito_ids)
    }
    members = Q()
    if reach.read_ambito_ids:
        members |= Q(ambito_id__in=reach.read_ambito_ids)
    if reach.person_id is not None:
        members |= Q(person_id=reach.person_id)
    others = [group.pk for group in groups if group.pk not in found]
    if others and members:
        found |= set(PlanMember.objects.filter(members, group_id__in=others).values_list("group_id", flat=True))
    return found


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
    if book:
        allowed = reach.manages_tenant(plan.partnership_id, plan.ambito_id)
    else:
        allowed = group.pk in _openable(reach, [group])
    if not allowed:
        scope = scope_for(user)
        visible = (
            scope.can_see_partnership(plan.partnership_id)
            if plan.partnership_id is not None
            else plan.ambito_id is not None and scope.can_see_ambito(plan.ambito_id)
        )
        if not visible:
            raise Http404
        if book:
            raise refusals.Refused(
                f"Gli incontri di {group.name} li prenotano il coordinatore del partenariato o il referente dell'ATS "
                "titolare del piano: chiedi a loro di prenotare o spostare un incontro.",
                forward_url=reverse("sessions:home"),
                forward_label="Torna al calendario",
            )
        raise refusals.Refused(
            f"{group.name} non è un tuo gruppo: il suo calendario lo vedono il supervisore, i partecipanti e chi "
            "gestisce il piano.",
            forward_url=reverse("sessions:home"),
            forward_label="Vai al tuo calendario",
        )
    return group, reach


def require_sessions_reader(user: User) -> Reach:
    """Calendars are for people who take part in supervision; observers get aggregates elsewhere (403)."""
    reach = reach_for(user)
    if not reach.sees_any:
        raise not_a_reader(reach)
    return reach


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
