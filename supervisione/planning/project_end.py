"""A plan's groups and the end of the PNRR project they are charged to (issue 16, ``leps.pnrr``).

A group charged to a PNRR row pays with it only up to the end of the project's activities. A plan wholly after the
end may not be charged to it at all; a plan that goes past it (the plans of 2026: the project to 30/06, the rest
after) names the row that pays afterwards (``PlanGroup.funding_after``, the ATS's FNPS quota or another source of
the same contract), and its costs are split by the days on each side (``source_parts``).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q

from supervisione.leps.pnrr import PeriodSplit, period_refusal, split_amount, split_period
from supervisione.planning.models import Plan, PlanGroup
from supervisione.procurement.models import ContractFunding

WHAT = "le ore del gruppo"


@dataclass(frozen=True)
class GroupProblem:
    field: str  # the form's field the problem is about
    message: str


def period_split(plan: Plan, funding: ContractFunding | None) -> PeriodSplit | None:
    """The plan's days within the project's activities and after (None: the row is not a PNRR project's)."""
    if funding is None or (project := funding.project_end) is None:
        return None
    return split_period(plan.starts_on, plan.ends_on, project)


def after_end_since(funding: ContractFunding | None) -> datetime.date | None:
    """The first day a group's row "after" pays: the day after its PNRR project's end."""
    project = funding.project_end if funding is not None else None
    return None if project is None else project.last_day + datetime.timedelta(days=1)


def group_problem(
    plan: Plan, funding: ContractFunding | None, funding_after: ContractFunding | None
) -> GroupProblem | None:
    """What is wrong with charging a group of ``plan`` to ``funding`` and, after the project's end, to
    ``funding_after`` (None when nothing is)."""
    project = funding.project_end if funding is not None else None
    split = None if funding is None or project is None else split_period(plan.starts_on, plan.ends_on, project)
    if funding is None or project is None or split is None or split.after == 0:
        if funding_after is not None:
            return GroupProblem(
                "funding_after",
                "La fonte dopo la fine si indica solo quando la fonte del gruppo è un progetto PNRR che conclude le "
                "attività nel periodo del piano.",
            )
        return None
    refused = period_refusal(funding.project_cup, project, WHAT, plan.starts_on, plan.ends_on)
    if split.within == 0:
        return GroupProblem("funding", refused)
    if funding_after is None:
        return GroupProblem("funding_after", f"{refused} Indica la fonte che paga dopo la fine delle attività.")
    if funding_after.contract_id != funding.contract_id:
        return GroupProblem("funding_after", "Scegli una fonte di finanziamento dello stesso contratto.")
    if funding_after.is_pnrr:
        return GroupProblem(
            "funding_after", "Dopo la fine del progetto PNRR paga la quota FNPS dell'ATS o altra fonte."
        )
    return None


@dataclass(frozen=True)
class SourcePart:
    """The hours and cost of a group that one funding row pays (None: the row is not named yet)."""

    funding: ContractFunding | None
    hours: Decimal
    cost: Decimal


def source_parts(
    plan: Plan,
    funding: ContractFunding | None,
    funding_after: ContractFunding | None,
    hours: Decimal,
    cost: Decimal,
) -> list[SourcePart]:
    """Who pays a group's hours and cost: its row, or, for a PNRR project that ends within the plan, the project up
    to its end and ``funding_after`` for the rest, split by the days on each side (to the cent; they add up)."""
    split = period_split(plan, funding)
    if split is None or split.after == 0:
        return [SourcePart(funding, hours, cost)]
    hours_within, hours_after = split_amount(hours, split)
    cost_within, cost_after = split_amount(cost, split)
    return [SourcePart(funding, hours_within, cost_within), SourcePart(funding_after, hours_after, cost_after)]


def closed_plan_refusal(plan: Plan) -> str:
    """Why the plan can no longer change: one of its groups is charged to a closed PNRR project ("" otherwise)."""
    group = (
        PlanGroup.objects.filter(plan=plan)
        .filter(Q(funding__closed_at__isnull=False) | Q(funding_after__closed_at__isnull=False))
        .select_related(
            "funding__contract", "funding__closed_by", "funding_after__contract", "funding_after__closed_by"
        )
        .first()
    )
    if group is None:
        return ""
    row = group.funding if group.funding is not None and group.funding.is_closed else group.funding_after
    return "" if row is None else row.closed_refusal(f"il POA {plan.year}")


def closed_row_refusal(funding: ContractFunding | None, what: str) -> str:
    """Why nothing more may be charged to ``funding``: its PNRR project is closed ("" otherwise)."""
    return "" if funding is None else funding.closed_refusal(what)
