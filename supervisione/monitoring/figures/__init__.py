"""Every figure of a dashboard, computed by the database in a fixed number of queries.

``figures(selection)`` reads, whatever the number of sessions and attendance rows:

1. the groups of the selected plans (with supervisor, contract, funding, and their members counted), and their A2
   moves;
2. the groups of earlier versions of the same plans (``copied_from``), so that sessions booked on a version
   since replaced count for the same group;
3. per group and type, conditional sums of the sessions' minutes: delivered (register confirmed), awaiting
   confirmation, in the calendar, in the period;
4. per month and type (``MonthOf``) the same sums, for the charts;
5. per person, minutes expected and attended at confirmed sessions (the 80 % threshold);
6. the social workers of the plans' censuses and the memberships of A1 groups (coverage);
7. per contract, funding source and type, the minutes delivered in the period and to date, the contract lines'
   rates and the funding rows (money committed and spent).

Hours delivered come only from confirmed registers (``sessions.usage``); compliance is the LEPS rule of
``leps.compliance``. Python only walks the aggregated rows (a few per group), never the sessions.

A module per topic holds its rows and its query: ``groups`` (1-3, and the types they add up to), ``months``
(4), ``people`` (5), ``coverage`` (6), ``spending`` (7), ``plans`` (a row per plan, from the others);
``sums`` the conditions and sums they share. This module holds ``Figures``, what they make together, and
``figures``, which reads them in order; nothing is re-exported: the rows are imported from their module.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from supervisione.leps.compliance import ComplianceStatus
from supervisione.leps.parameters import DEFAULT_RULES, LepsRules
from supervisione.leps.rounding import ZERO
from supervisione.planning.models import A2Transfer, GroupKind, RuleSet

from ..selection import Selection
from .coverage import Coverage, coverage_figures
from .groups import (
    KIND_ORDER,
    GroupFigures,
    TypeFigures,
    add_sessions,
    group_figures,
    judge,
    lineage,
    memberships,
    move_hours,
    plan_types,
    sessions_of,
    shown_groups,
    sorted_groups,
)
from .months import CumulativeMonth, MonthFigures, month_figures
from .people import PersonFigures, people_figures
from .plans import PlanFigures, plan_figures
from .spending import SpendingLine, spending_figures
from .summary import SessionSums, SummarySums, Sums
from .sums import CENT, owner_key

STATUS_ORDER = (
    ComplianceStatus.BEHIND,
    ComplianceStatus.AT_RISK,
    ComplianceStatus.ON_TRACK,
    ComplianceStatus.MET,
)


@dataclass
class Figures:
    selection: Selection
    groups: list[GroupFigures]
    types: dict[str, TypeFigures]
    months: list[MonthFigures]
    people: list[PersonFigures]
    coverage: Coverage
    spending: list[SpendingLine]  # per source
    contracts: list[SpendingLine]  # per contract and funding row
    transfers: list[A2Transfer]
    plans: list[PlanFigures]
    threshold: Decimal
    people_below_threshold: int

    @property
    def threshold_percent(self) -> int:
        return int(self.threshold * 100)

    @property
    def leps_groups(self) -> list[GroupFigures]:
        return [row for row in self.groups if row.compliance is not None]

    @property
    def leps_group_count(self) -> int:
        return len(self.leps_groups)

    @property
    def a1_groups(self) -> list[GroupFigures]:
        return [row for row in self.groups if row.kind == GroupKind.A1]

    @property
    def status_counts(self) -> list[tuple[ComplianceStatus, int]]:
        counts: dict[str, int] = defaultdict(int)
        for row in self.leps_groups:
            counts[row.status or ""] += 1
        return [(status, counts[status.value]) for status in STATUS_ORDER]

    @property
    def needing_attention(self) -> list[GroupFigures]:
        return [
            row
            for row in self.leps_groups
            if row.compliance is not None
            and row.compliance.status in (ComplianceStatus.BEHIND, ComplianceStatus.AT_RISK)
        ]

    @property
    def below_threshold(self) -> list[PersonFigures]:
        return [person for person in self.people if not person.figures.reaches_threshold]

    @property
    def total(self) -> TypeFigures:
        total = TypeFigures("extra")
        for item in self.types.values():
            total.minimum += item.minimum
            total.planned += item.planned
            total.planned_in_period += item.planned_in_period
            total.delivered += item.delivered
            total.awaiting += item.awaiting
            total.scheduled += item.scheduled
            total.sessions += item.sessions
        return total

    @property
    def spent_in_period(self) -> Decimal:
        return sum((line.spent_in_period for line in self.spending), ZERO)

    @property
    def cost_per_hour(self) -> Decimal | None:
        hours = sum((line.hours_in_period for line in self.spending), ZERO)
        if not hours:
            return None
        return (self.spent_in_period / hours).quantize(CENT, rounding=ROUND_HALF_UP)

    def cumulative(self) -> list[CumulativeMonth]:
        """Month by month of the period: plan, minimum, delivered (up to the day of reading) and booked."""
        rows: list[CumulativeMonth] = []
        planned = minimum = delivered = booked = ZERO
        as_of = self.selection.as_of
        for month in self.months:
            planned += month.planned
            minimum += month.minimum
            delivered += month.delivered_total
            booked += month.booked_total
            started = datetime.date(self.selection.year, month.month, 1) <= as_of
            rows.append(CumulativeMonth(month, planned, minimum, delivered if started else None, booked))
        return rows


# --- Reading ------------------------------------------------------------------------------------------------


def _rules_by_date(dates: set[datetime.date]) -> dict[datetime.date, LepsRules]:
    """The LEPS parameters in force on each date (one query for all of them)."""
    rule_sets = list(RuleSet.objects.order_by("valid_from"))
    found: dict[datetime.date, LepsRules] = {}
    for day in dates:
        applicable = [rule_set for rule_set in rule_sets if rule_set.valid_from <= day]
        found[day] = applicable[-1].to_rules() if applicable else DEFAULT_RULES
    return found


def figures(
    selection: Selection,
    *,
    with_names: bool = False,
    by_measure: bool = False,
    groups_only: bool = False,
    from_summary: bool = False,
) -> Figures:
    """Every figure of a dashboard in a fixed number of queries (see the package's docstring).

    ``with_names``: the list of social workers without supervision and the per-person rows carry names (for
    those who may read them); otherwise the rows are counted only. ``by_measure``: spending is added up per
    measure (PNRR, FNPS, other), as observers read it, instead of per CUP and FNPS year. ``groups_only``: only
    the groups and their compliance (queries 1-3), for the alerts. ``from_summary``: the sums are read from
    the summary of hours (``sessions.hours_summary``, see ``summary``), for the months other than the day of
    reading's, instead of from every session (the observatory; the figures are the same).
    """
    plans = {plan.pk: plan for plan in selection.plans}
    # The observatory (by measure) shows no group one by one: it reads the groups' funding rows with their
    # contracts' (``spending``), not one for each group.
    groups = shown_groups(selection)
    if not by_measure:
        groups = groups.select_related("supervisor", "contract", "funding", "funding__contract", "equipe")
    group_rows = list(groups.order_by("plan_id", "kind", "name", "pk"))
    rules = _rules_by_date({plan.starts_on for plan in plans.values()} | {plan.ends_on for plan in plans.values()})
    shown = group_figures(group_rows, plans, rules)
    mapping = lineage(selection, shown) if shown else {}
    transfers = move_hours(shown)
    sessions = sessions_of(selection, mapping)
    source: Sums = (
        SummarySums(selection, mapping, sessions) if from_summary else SessionSums(selection, mapping, sessions)
    )
    types = {kind: TypeFigures(kind) for kind in KIND_ORDER if selection.kind in (None, kind)}
    add_sessions(source.groups(), shown, mapping, types)
    judge(shown, selection.as_of)
    plan_types(selection, shown, types)

    if groups_only:
        return Figures(selection, sorted_groups(shown), types, [], [], Coverage(), [], [], transfers, [], ZERO, 0)
    months = month_figures(selection, source.months(), shown, types)
    thresholds = {
        owner_key(plan.partnership_id, plan.ambito_id): rules[plan.ends_on].attendance_threshold
        for plan in plans.values()
    }
    people, below, per_owner_people = people_figures(
        source.attendance(with_names=with_names), thresholds, with_names=with_names
    )
    members = memberships(selection, shown)
    coverage, per_owner_census = coverage_figures(selection, shown, members, per_owner_people, with_names=with_names)
    spending, contracts = spending_figures(source, shown, by_measure=by_measure)
    threshold = next(iter(thresholds.values()), DEFAULT_RULES.attendance_threshold)
    return Figures(
        selection=selection,
        groups=sorted_groups(shown),
        types=types,
        months=months,
        people=people if with_names else [],
        coverage=coverage,
        spending=spending,
        contracts=contracts,
        transfers=transfers,
        plans=plan_figures(selection, shown, per_owner_census, per_owner_people),
        threshold=threshold,
        people_below_threshold=below,
    )
