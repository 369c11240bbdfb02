"""Reads for the monitoring pages that are not figures: which dashboards a user can open."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from supervisione.accounts.scopes import scope_for, visible_ambiti, visible_partnerships
from supervisione.census.models import Person
from supervisione.sessions.access import reach_for
from supervisione.supervisors.models import Supervisor
from supervisione.territory.models import Ambito, Partnership

if TYPE_CHECKING:
    from supervisione.accounts.models import User


@dataclass
class DashboardLinks:
    partnerships: list[Partnership] = field(default_factory=list)
    ambiti: list[Ambito] = field(default_factory=list)
    supervisors: list[Supervisor] = field(default_factory=list)
    person: Person | None = None
    observatory: bool = False

    @property
    def any(self) -> bool:
        return bool(self.partnerships or self.ambiti or self.supervisors or self.person or self.observatory)


def dashboards_for(user: User) -> DashboardLinks:
    """Partnerships and ATS the user follows (coordinator, referent, supervisor), their own supervisor and
    supervisee dashboards (a handful of queries)."""
    scope = scope_for(user)
    reach = reach_for(user)
    links = DashboardLinks(observatory=scope.is_admin or (scope.has_any_role and not scope.sees_people))
    if scope.is_admin or scope.coordinated_partnership_ids or scope.supervisor_partnership_ids:
        partnerships = visible_partnerships(user)
        if not scope.is_admin:
            partnerships = partnerships.filter(
                pk__in=scope.coordinated_partnership_ids | scope.supervisor_partnership_ids
            )
        links.partnerships = list(partnerships.order_by("name"))
    if scope.is_admin or scope.referent_ambito_ids or scope.coordinated_partnership_ids:
        ambiti = visible_ambiti(user)
        if not scope.is_admin:
            ambiti = ambiti.filter(pk__in=scope.editable_ambito_ids or ())
        links.ambiti = list(ambiti.order_by("name")[:200])
    if reach.supervisor_ids:
        links.supervisors = list(Supervisor.objects.filter(pk__in=reach.supervisor_ids).order_by("surname", "name"))
    if reach.person_id is not None:
        links.person = Person.objects.filter(pk=reach.person_id).first()
    return links
