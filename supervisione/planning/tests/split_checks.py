"""The check that an ATS split of a plan adds up exactly to the plan, for the split's tests and the demo's."""

from __future__ import annotations

from decimal import Decimal

from supervisione.leps.rounding import ZERO
from supervisione.planning.ats_poa import PlanSplit
from supervisione.planning.models import GroupKind
from supervisione.planning.queries import funding_key

D = Decimal


def totals_by_source(split: PlanSplit) -> dict[str, tuple[Decimal, Decimal]]:
    """Hours and cost per funding source of the ATS's POAs, with the groups that belong to none."""
    found: dict[str, tuple[Decimal, Decimal]] = {}

    def add(key: str, hours: Decimal, cost: Decimal) -> None:
        before = found.get(key, (ZERO, ZERO))
        found[key] = (before[0] + hours, before[1] + cost)

    for part in split.parts:
        for line in part.costs:
            add(line.key, line.hours, line.planned)
    for row in split.unassigned:
        for source in row.sources:
            add(funding_key(source.funding)[0], source.hours, source.cost)
    return found


def assert_adds_up(split: PlanSplit) -> None:
    """Every figure of the ATS's POAs (and of the groups that belong to none yet) adds up to the plan's, exactly."""
    page = split.page
    loose = {
        "A1": [(row.minimum, row.group.planned_hours) for row in split.unassigned if row.kind == GroupKind.A1],
        "A2": [(row.a2_minimum, row.group.a2_pool_hours) for row in split.unassigned if row.kind == GroupKind.A1],
        "A3": [(row.minimum, row.group.planned_hours) for row in split.unassigned if row.kind == GroupKind.A3],
        "extra": [(ZERO, row.group.planned_hours) for row in split.unassigned if row.kind == GroupKind.EXTRA],
    }
    for kind, item in page.hours.items():
        planned = sum((part.hours[kind].planned for part in split.parts), ZERO) + sum(
            (h for _m, h in loose[kind]), ZERO
        )
        minimum = sum((part.hours[kind].minimum for part in split.parts), ZERO) + sum(
            (m for m, _h in loose[kind]), ZERO
        )
        assert (minimum, planned) == (item.minimum, item.planned), kind
    assert sum((part.total_cost for part in split.parts), ZERO) + split.unassigned_cost == page.total_cost
    assert sum((part.total_hours for part in split.parts), ZERO) + split.unassigned_hours == page.total_hours
    assert totals_by_source(split) == {line.key: (line.hours, line.planned) for line in page.costs}
    for part in split.parts:
        for share in part.shares:
            for value in (share.hours, share.a2_hours, share.minimum, share.a2_minimum, share.cost, share.a2_cost):
                assert value is None or value == value.quantize(D("0.01"))
