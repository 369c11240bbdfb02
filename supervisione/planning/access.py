"""Who sees and changes an annual plan, on top of ``accounts.scopes``.

A plan belongs to a partnership or to one ATS (its owner):

- administrators and the coordinators of the partnership (for an ATS's own plan: whoever may change the ATS)
  edit it, submit it and record its approval; they see every name;
- referents of a member ATS read it and see the names of the people of their own ATS;
- a supervisor reads it and sees the names of the members of the groups they lead;
- a supervisee reads it and sees which group they are in;
- observers read it as aggregates: counts and hours, never a name.

Anyone who cannot see the owner gets 404; a reader asking to change it gets 403.

"Prepara il POA <anno>" (``outlook_access``): whoever edits the plan prepares next year's (for a partnership, its
coordinators; for an ATS alone, like VEN_09, whoever may change the ATS, its referent among them); observers read
the outlook (counts and quotas, no names); the referent of a member ATS reads its own ATS's line (an ATS's quota
is its own, as its ledger is), since the partnership's POA is the coordinator's to prepare; supervisors and
supervisees, who have no part in preparing it, get 403.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.urls import reverse

from supervisione.accounts import refusals
from supervisione.accounts.models import Role
from supervisione.accounts.scopes import Scope, scope_for
from supervisione.census.models import Person
from supervisione.planning.models import Plan, PlanGroup, PlanMember

if TYPE_CHECKING:
    from supervisione.accounts.models import User


def can_see_plan(scope: Scope, plan: Plan) -> bool:
    if plan.partnership_id is not None:
        return scope.can_see_partnership(plan.partnership_id)
    return plan.ambito_id is not None and scope.can_see_ambito(plan.ambito_id)


def can_edit_plan(scope: Scope, plan: Plan) -> bool:
    if plan.partnership_id is not None:
        return scope.can_edit_partnership(plan.partnership_id)
    return plan.ambito_id is not None and scope.can_edit_ambito(plan.ambito_id)


def not_a_planner(scope: Scope) -> refusals.Refused:
    """Why a user may not create a plan (``forms.can_create_plans``): their role reads plans, it does not make them."""
    if refusals.is_observer_only(scope):
        return refusals.read_only(scope, "")
    if not scope.has_any_role:
        return refusals.without_role()
    return refusals.Refused(
        "I POA li preparano i coordinatori dei partenariati e i referenti degli ATS: con il tuo ruolo li consulti, "
        "non ne crei di nuovi.",
        forward_url=reverse("planning:plan_list"),
        forward_label="Vai ai POA",
    )


def visible_plans_q(user: User) -> Q:
    scope = scope_for(user)
    if scope.visible_partnership_ids is None or scope.visible_ambito_ids is None:
        return Q()
    return Q(partnership_id__in=scope.visible_partnership_ids) | Q(ambito_id__in=scope.visible_ambito_ids)


def get_plan_for_user(user: User, pk: int, *, write: bool = False) -> Plan:
    """The plan if the user sees its owner (404 otherwise); with ``write``, 403 unless they may edit it."""
    plan = (
        Plan.objects.select_related("partnership", "partnership__capofila", "ambito", "submitted_by", "approved_by")
        .filter(pk=pk)
        .first()
    )
    scope = scope_for(user)
    if plan is None or not can_see_plan(scope, plan):
        raise Http404
    if write and not can_edit_plan(scope, plan):
        owner = plan.partnership or plan.ambito
        raise refusals.read_only(
            scope, owner.name if owner else "", kind="partnership" if plan.partnership_id else "ambito"
        )
    return plan


@dataclass(frozen=True)
class OutlookAccess:
    """Who reads next year's outlook of a plan, and who prepares the draft."""

    can_prepare: bool
    ambito_ids: frozenset[int] | None  # the ATS whose line the user reads; None: every ATS of the plan


def outlook_access(user: User, plan: Plan) -> OutlookAccess:
    """For a plan the user sees (``get_plan_for_user``); 403 for those who have no part in next year's POA."""
    scope = scope_for(user)
    if can_edit_plan(scope, plan):
        return OutlookAccess(can_prepare=True, ambito_ids=None)
    if Role.OBSERVER in scope.roles:
        return OutlookAccess(can_prepare=False, ambito_ids=None)
    if scope.referent_ambito_ids:
        return OutlookAccess(can_prepare=False, ambito_ids=scope.referent_ambito_ids)
    raise refusals.Refused(
        "Il POA dell'anno prossimo lo preparano il coordinatore del partenariato e i referenti degli ATS: il tuo "
        "ruolo non vi ha parte.",
        forward_url=plan.get_absolute_url(),
        forward_label="Torna al POA",
    )


def reads_outlook(user: User, plan: Plan) -> bool:
    """Whether the plan page links the outlook for reading (editors have the button "Prepara il POA")."""
    try:
        return not outlook_access(user, plan).can_prepare
    except PermissionDenied:
        return False


def get_group(plan: Plan, pk: int) -> PlanGroup:
    """A group of a plan the user already got through ``get_plan_for_user``; 404 if it is not of that plan."""
    group = PlanGroup.objects.select_related("supervisor", "equipe").filter(pk=pk, plan=plan).first()
    if group is None:
        raise Http404
    group.plan = plan
    return group


@dataclass(frozen=True)
class NameAccess:
    """Whose names a user may read in one plan."""

    everyone: bool
    ambito_ids: frozenset[int]  # a referent: the people of these ATS
    group_ids: frozenset[int]  # a supervisor: the members of the groups they lead
    person_id: int | None  # a supervisee: themselves
    can_edit: bool

    def sees(self, member: PlanMember) -> bool:
        return (
            self.everyone
            or member.ambito_id in self.ambito_ids
            or member.group_id in self.group_ids
            or member.person_id == self.person_id
        )

    def sees_person(self, person_id: int, ambito_id: int) -> bool:
        return self.everyone or ambito_id in self.ambito_ids or person_id == self.person_id

    def opens_group(self, group: PlanGroup, member_person_ids: set[int] | frozenset[int] = frozenset()) -> bool:
        """The group page lists names: open to those who see some of them."""
        return (
            self.everyone
            or bool(self.ambito_ids)
            or group.pk in self.group_ids
            or (self.person_id is not None and self.person_id in member_person_ids)
        )

    def shows_supervisor(self, group: PlanGroup, member_person_ids: set[int] | frozenset[int] = frozenset()) -> bool:
        """Supervisors are people too: their names go to those who may open the group (registry readers, the
        supervisor, the group's members); observers see only whether one is assigned."""
        return self.opens_group(group, member_person_ids)

    @property
    def sees_any(self) -> bool:
        return self.everyone or bool(self.ambito_ids or self.group_ids or self.person_id)

    @property
    def can_export(self) -> bool:
        """The Multifondo export names supervisors and states costs: editors and referents only."""
        return self.everyone or bool(self.ambito_ids)

    def can_export_ambito(self, ambito_id: int) -> bool:
        """One ATS's POA: editors of the plan and the ATS's own referents."""
        return self.everyone or ambito_id in self.ambito_ids


def name_access(user: User, plan: Plan) -> NameAccess:
    """At most two small queries (the groups a supervisor leads, the census person of a supervisee)."""
    scope = scope_for(user)
    can_edit = can_edit_plan(scope, plan)
    if scope.is_admin or can_edit:
        return NameAccess(
            everyone=True, ambito_ids=frozenset(), group_ids=frozenset(), person_id=None, can_edit=can_edit
        )
    if not scope.sees_people:
        return NameAccess(everyone=False, ambito_ids=frozenset(), group_ids=frozenset(), person_id=None, can_edit=False)
    group_ids: frozenset[int] = frozenset()
    if scope.supervisor_partnership_ids:
        group_ids = frozenset(
            PlanGroup.objects.filter(plan=plan, supervisor__user_id=user.pk).values_list("pk", flat=True)
        )
    person_id = None
    if scope.supervisee_ambito_ids:
        person_id = Person.objects.filter(user_id=user.pk).values_list("pk", flat=True).first()
    return NameAccess(
        everyone=False, ambito_ids=scope.referent_ambito_ids, group_ids=group_ids, person_id=person_id, can_edit=False
    )


def visible_plans(user: User) -> QuerySet[Plan]:
    return Plan.objects.filter(visible_plans_q(user))
