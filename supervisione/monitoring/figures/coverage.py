"""Coverage of the census: query 6 of ``figures`` (see its docstring), the social workers of the plans'
censuses in an A1 group, in an active one, supervised this year."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from supervisione.census.models import SOCIAL_WORKER_Q, Position
from supervisione.planning.models import GroupKind

from ..selection import Selection
from .groups import GroupFigures, Member
from .people import OwnerPeople
from .sums import Owner, owner_key, percent


@dataclass(frozen=True)
class CensusPerson:
    person_id: int
    surname: str
    name: str
    ambito_id: int
    ambito_name: str

    @property
    def full_name(self) -> str:
        return f"{self.surname} {self.name}"


@dataclass
class Coverage:
    as_in_census: int = 0
    as_in_groups: int = 0  # in an A1 group of the plan
    as_in_active_group: int = 0  # in an A1 group that met or has sessions in the calendar
    as_supervised: int = 0  # attended at least one confirmed session in the year
    not_supervised: list[CensusPerson] = field(default_factory=list)  # filled only for those who see names

    @property
    def active_percent(self) -> int | None:
        return percent(Decimal(self.as_in_active_group), Decimal(self.as_in_census))

    @property
    def supervised_percent(self) -> int | None:
        return percent(Decimal(self.as_supervised), Decimal(self.as_in_census))

    @property
    def not_supervised_count(self) -> int:
        return max(self.as_in_census - self.as_supervised, 0)


def coverage_figures(
    selection: Selection,
    shown: dict[int, GroupFigures],
    members: list[Member],
    per_owner_people: dict[Owner, OwnerPeople],
    *,
    with_names: bool,
) -> tuple[Coverage, dict[Owner, set[int]]]:
    """Social workers of the plans' censuses: in an A1 group, in an active one, supervised this year."""
    census = Position.objects.filter(SOCIAL_WORKER_Q, census__plans__in=selection.plan_ids)
    if selection.ambito is not None:
        census = census.filter(census__ambito=selection.ambito)
    fields = ["person_id", "census__plans__partnership_id", "census__plans__ambito_id"]
    if with_names:
        fields += ["person__surname", "person__name", "census__ambito_id", "census__ambito__name"]
    per_owner: dict[Owner, set[int]] = defaultdict(set)
    named: dict[int, CensusPerson] = {}
    # Tuples, not dictionaries: a row per social worker of the country.
    for row in census.values_list(*fields).distinct().order_by():
        per_owner[owner_key(row[1], row[2])].add(row[0])
        if with_names:
            named[row[0]] = CensusPerson(row[0], *row[3:])
    in_census = set().union(*per_owner.values()) if per_owner else set()
    if selection.group_q:
        # A dashboard of some groups (one group, a supervisor's, a person's): their own members.
        in_census &= {person for _group, person, _kind in members}
        per_owner = {owner: people & in_census for owner, people in per_owner.items()}
    in_groups = {person for group_id, person, kind in members if kind == GroupKind.A1}
    active = {person for group_id, person, kind in members if kind == GroupKind.A1 and shown[group_id].active}
    supervised: set[int] = set().union(*(owner.supervised for owner in per_owner_people.values()))
    coverage = Coverage(
        as_in_census=len(in_census),
        as_in_groups=len(in_census & in_groups),
        as_in_active_group=len(in_census & active),
        as_supervised=len(in_census & supervised),
    )
    if with_names:
        coverage.not_supervised = sorted(
            (named[pk] for pk in in_census - supervised),
            key=lambda person: (person.ambito_name, person.surname, person.name, person.person_id),
        )
    return coverage, per_owner
