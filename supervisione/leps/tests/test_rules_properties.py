"""Properties of the LEPS rules that must hold for any plan, census or population, not only the examples."""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import replace
from decimal import ROUND_HALF_UP, Decimal

from hypothesis import assume, given
from hypothesis import strategies as st

from supervisione.leps.attendance import attendance
from supervisione.leps.compliance import ComplianceStatus, compliance, describe_compliance
from supervisione.leps.kinds import SupervisionType
from supervisione.leps.minimums import (
    RedistributionError,
    a1_group_count,
    check_redistribution,
    minimum_hours,
    prorated,
    suggest_groups,
)
from supervisione.leps.parameters import DEFAULT_RULES, LepsRules, Prorate
from supervisione.leps.ratio import assess_ratio
from supervisione.leps.shortfalls import GroupPlan, PlanInput, describe, shortfalls

A1, A2, A3, EXTRA = SupervisionType.A1, SupervisionType.A2, SupervisionType.A3, SupervisionType.EXTRA

rules = st.builds(
    lambda size, prorate: replace(DEFAULT_RULES, max_group_size=size, prorate=prorate),
    st.integers(1, 30),
    st.sampled_from(list(Prorate)),
)
# Social workers as (key, ATS) pairs with distinct keys, from a handful of ATS.
members = st.lists(st.sampled_from(["PUG_POGGIARDO", "PUG_MAGLIE", "PUG_CASARANO", "VEN_09"]), max_size=120).map(
    lambda clusters: [(index, cluster) for index, cluster in enumerate(clusters)]
)
hours = st.decimals(min_value=0, max_value=200, places=1)
fte = st.decimals(min_value=0, max_value=300, places=2)
populations = st.integers(0, 3_000_000)


@given(members, rules)
def test_it_splits_every_social_worker_into_exactly_one_group_within_the_maximum(
    people: list[tuple[int, str]], leps: LepsRules
) -> None:
    groups = suggest_groups(people, leps)
    placed = [key for group in groups for key in group]
    assert Counter(placed) == Counter(key for key, _cluster in people)
    assert all(0 < len(group) <= leps.max_group_size for group in groups)
    assert len(groups) == a1_group_count(len(people), leps)
    if groups:
        assert max(map(len, groups)) - min(map(len, groups)) <= 1


@given(st.integers(0, 10_000), st.integers(1, 30))
def test_it_asks_for_the_fewest_groups_that_respect_the_maximum(social_workers: int, size: int) -> None:
    leps = replace(DEFAULT_RULES, max_group_size=size)
    count = a1_group_count(social_workers, leps)
    assert count * size >= social_workers
    assert count == 0 or (count - 1) * size < social_workers


@given(hours, st.integers(1, 12), st.sampled_from(list(Prorate)))
def test_it_prorates_between_the_share_of_the_year_and_the_whole_minimum(
    yearly: Decimal, months: int, prorate: Prorate
) -> None:
    minimum = prorated(yearly, months, replace(DEFAULT_RULES, prorate=prorate))
    assert yearly * months / 12 <= minimum <= yearly
    if prorate is Prorate.OFF or months == 12:
        assert minimum == yearly
    else:
        assert minimum % Decimal("0.5") == 0 or minimum == yearly


@given(populations, fte, fte, fte)
def test_it_never_lowers_the_contribution_when_permanent_staff_grows(
    population: int, total: Decimal, permanent: Decimal, more: Decimal
) -> None:
    before = assess_ratio(population, total, permanent)
    after = assess_ratio(population, total, permanent + more)
    assert Decimal(0) <= before.contribution <= after.contribution


@given(populations, fte, fte)
def test_it_caps_the_contribution_at_the_two_bands(population: int, total: Decimal, permanent: Decimal) -> None:
    result = assess_ratio(population, total, permanent)
    band1 = (result.required_fte_for_leps - result.floor_fte) * DEFAULT_RULES.contribution_band1_eur
    band2 = (result.required_fte_for_target - result.required_fte_for_leps) * DEFAULT_RULES.contribution_band2_eur
    # Money is to the cent: the cap is the two bands' amount rounded to the cent.
    assert result.contribution <= (band1 + band2).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    assert result.band1_fte >= 0
    assert result.band2_fte >= 0
    if population == 0 or result.permanent_as_fte < result.floor_fte:
        assert result.contribution == 0
    assert result.leps_met == (population > 0 and result.as_fte >= result.required_fte_for_leps)
    assert result.missing_fte_for_leps == max(result.required_fte_for_leps - result.as_fte, Decimal(0))
    assert result.explanation


@st.composite
def plans(draw: st.DrawFn) -> tuple[PlanInput[int], LepsRules]:
    leps = draw(rules)
    kinds = st.sampled_from([A1, A3, EXTRA])
    groups = tuple(
        GroupPlan(
            key=index,
            name=f"G{index}",
            kind=draw(kinds),
            members=draw(st.integers(0, leps.max_group_size + 3)),
            planned_hours=draw(hours),
            supervisor_eligible=draw(st.sampled_from([True, True, True, False, None])),
            a2_pool_hours=draw(hours),
        )
        for index in range(draw(st.integers(0, 6)))
    )
    in_scope = draw(st.integers(0, 90))
    plan = PlanInput(
        groups=groups,
        months_covered=draw(st.integers(1, 12)),
        social_workers_in_scope=in_scope,
        social_workers_in_groups=draw(st.integers(0, in_scope + 5)),
    )
    return plan, leps


def meets_leps(plan: PlanInput[int], leps: LepsRules) -> bool:
    """The Scheda LEPS 2.7.2 read independently of ``shortfalls``, group by group."""
    a1_groups = [group for group in plan.groups if group.kind is A1]
    if plan.social_workers_in_scope and not a1_groups:
        return False
    if plan.social_workers_in_groups < plan.social_workers_in_scope:
        return False
    for group in plan.groups:
        if group.members == 0 or group.supervisor_eligible is not True:
            return False
        if group.kind is A1 and (
            group.members > leps.max_group_size
            or group.planned_hours < minimum_hours(A1, plan.months_covered, leps)
            or group.a2_pool_hours < minimum_hours(A2, plan.months_covered, leps)
        ):
            return False
        if group.kind is A3 and group.planned_hours < minimum_hours(A3, plan.months_covered, leps):
            return False
    return True


@given(plans())
def test_it_finds_no_shortfall_exactly_when_the_plan_meets_every_minimum(
    case: tuple[PlanInput[int], LepsRules],
) -> None:
    plan, leps = case
    found = shortfalls(plan, leps)
    assert (not found) == meets_leps(plan, leps)
    for shortfall in found:
        assert describe(shortfall).endswith(".")
        assert shortfall.missing >= 0


@given(plans(), hours)
def test_it_never_finds_more_shortfalls_when_hours_are_added(
    case: tuple[PlanInput[int], LepsRules], extra: Decimal
) -> None:
    plan, leps = case
    richer = replace(
        plan,
        groups=tuple(
            replace(g, planned_hours=g.planned_hours + extra, a2_pool_hours=g.a2_pool_hours + extra)
            for g in plan.groups
        ),
    )
    assert len(shortfalls(richer, leps)) <= len(shortfalls(plan, leps))


@given(hours, hours, hours, hours, st.sampled_from(list(SupervisionType)))
def test_it_moves_only_unused_a2_hours_to_a1_or_a3(
    pool: Decimal, used: Decimal, moved: Decimal, amount: Decimal, target: SupervisionType
) -> None:
    allowed = target in (A1, A3) and 0 < amount <= pool - used - moved
    try:
        left: Decimal | str = check_redistribution(pool, used, moved, amount, target)
    except RedistributionError as error:
        left = str(error)
    if allowed:
        assert left == pool - used - moved - amount >= 0
    else:
        assert isinstance(left, str)
        assert left.endswith(".")


@given(st.integers(0, 100_000), st.integers(0, 100_000))
def test_it_grants_credits_only_from_the_threshold(attended: int, planned: int) -> None:
    assume(attended <= planned or planned == 0)
    result = attendance(attended, planned)
    assert result.reaches_threshold == (planned > 0 and attended * 100 >= planned * 80)
    assert 0 <= result.percentage <= 100


STATUS_RANK = {
    ComplianceStatus.BEHIND: 0,
    ComplianceStatus.AT_RISK: 1,
    ComplianceStatus.ON_TRACK: 2,
    ComplianceStatus.MET: 3,
}
days = st.dates(min_value=datetime.date(2025, 12, 1), max_value=datetime.date(2027, 2, 1))


@given(hours, hours, hours, hours, days, st.decimals(min_value="0.5", max_value=20, places=1))
def test_it_never_rates_a_group_worse_for_more_hours_and_says_why(
    minimum: Decimal, delivered: Decimal, scheduled: Decimal, awaiting: Decimal, as_of: datetime.date, more: Decimal
) -> None:
    start, end = datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)
    result = compliance(minimum, delivered, scheduled, as_of, start, end, awaiting=awaiting)
    assert (result.status is ComplianceStatus.MET) == (delivered >= minimum)
    if result.status is ComplianceStatus.BEHIND:
        assert result.missing > 0
    assert 0 <= result.expected <= minimum
    for better in (
        compliance(minimum, delivered + more, scheduled, as_of, start, end, awaiting=awaiting),
        compliance(minimum, delivered, scheduled + more, as_of, start, end, awaiting=awaiting),
    ):
        assert STATUS_RANK[better.status] >= STATUS_RANK[result.status]
    assert describe_compliance("G", result).endswith(".")
