"""One row per plan (per owner), as observers read an aggregated view: from the other figures, no query."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from supervisione.leps.rounding import ZERO
from supervisione.planning.models import GroupKind, Plan

from ..selection import Selection
from .groups import GroupFigures
from .people import OwnerPeople
from .sums import Owner, owner_key, percent


@dataclass
class PlanFigures:
    """One plan (one owner) in an aggregated view: what observers read, one row per partnership or ATS."""

    plan: Plan
    groups: int = 0
    statuses: dict[str, int] = field(default_factory=dict)
    minimum: Decimal = ZERO
    planned: Decimal = ZERO
    delivered: Decimal = ZERO
    as_in_census: int = 0
    as_supervised: int = 0
    people_below_threshold: int = 0

    @property
    def delivered_percent(self) -> int | None:
        return percent(self.delivered, self.planned)

    @property
    def supervised_percent(self) -> int | None:
        return percent(Decimal(self.as_supervised), Decimal(self.as_in_census))


def plan_figures(
    selection: Selection,
    shown: dict[int, GroupFigures],
    census: dict[Owner, set[int]],
    people: dict[Owner, OwnerPeople],
) -> list[PlanFigures]:
    rows = {plan.pk: PlanFigures(plan) for plan in selection.plans}
    for row in shown.values():
        item = rows[row.plan.pk]
        if row.status is not None:
            item.groups += 1
            item.statuses[row.status] = item.statuses.get(row.status, 0) + 1
            item.minimum += row.minimum
        item.planned += row.planned + (row.pool if row.kind == GroupKind.A1 else ZERO)
        item.delivered += row.delivered + (row.pool_used if row.kind == GroupKind.A1 else ZERO)
    for plan in selection.plans:
        owner = owner_key(plan.partnership_id, plan.ambito_id)
        item = rows[plan.pk]
        in_census = census.get(owner, set())
        attended = people.get(owner)
        item.as_in_census = len(in_census)
        if attended is not None:
            item.as_supervised = len(attended.supervised & in_census)
            item.people_below_threshold = attended.below
    return [rows[plan.pk] for plan in selection.plans]
