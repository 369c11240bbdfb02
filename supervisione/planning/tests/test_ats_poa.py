"""Each ATS's POA split from a partnership plan: shares by head count, stated, adding up to the partnership's."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest

from supervisione.census.models import Equipe
from supervisione.leps.rounding import ZERO
from supervisione.planning import actions
from supervisione.planning.ats_poa import split_plan
from supervisione.planning.models import GroupKind, Plan, PlanGroup, PlanMember
from supervisione.planning.plan_page import plan_page
from supervisione.planning.tests import factories
from supervisione.planning.tests.split_checks import assert_adds_up
from supervisione.procurement.models import ContractLine
from supervisione.testing.world import World

D = Decimal


@pytest.fixture
def plan(world: World) -> Plan:
    """16 AS (Casarano 9, Poggiardo 4, Maglie 3) in two A1 groups of 8, so that Casarano's are split between them;
    an équipe of Maglie (its first AS and two educators)."""
    factories.census_of(world, {"PUG_CASARANO": 9, "PUG_POGGIARDO": 4, "PUG_MAGLIE": 3}, equipes={"PUG_MAGLIE": 2})
    factories.contract(world)
    plan = actions.create_plan(world.partnership, 2025, by=world.coordinator)
    factories.assign_all(plan, factories.supervisor(world))
    return plan


def test_it_shares_each_group_by_head_count_and_says_so(plan: Plan) -> None:
    split = split_plan(plan_page(plan))
    assert [part.ambito.code for part in split.parts] == ["PUG_CASARANO", "PUG_MAGLIE", "PUG_POGGIARDO"]
    shares = {(part.ambito.code, share.group.name): share for part in split.parts for share in part.shares}
    second = "Gruppo A1 n. 2"
    assert {code: share.share_text for (code, name), share in shares.items() if name == second} == {
        "PUG_CASARANO": "1 di 8 partecipanti: 12,5 %",
        "PUG_MAGLIE": "3 di 8 partecipanti: 37,5 %",
        "PUG_POGGIARDO": "4 di 8 partecipanti: 50 %",
    }
    # 16 h and a 15-hour pool at 65 and 60 EUR: the pool's 1.875, 5.625 and 7.5 hours rounded to the hundredth,
    # the half hundredth left over to the first ATS by name.
    assert [(s.hours, s.a2_hours, s.cost, s.a2_cost) for (c, n), s in sorted(shares.items()) if n == second] == [
        (D("2.00"), D("1.88"), D("130.00"), D("112.50")),
        (D("6.00"), D("5.62"), D("390.00"), D("337.50")),
        (D("8.00"), D("7.50"), D("520.00"), D("450.00")),
    ]
    first = shares[("PUG_CASARANO", "Gruppo A1 n. 1")]
    assert (first.share_text, first.whole, first.total_cost) == ("8 di 8 partecipanti: 100 %", True, D("1940.00"))
    equipe = shares[("PUG_MAGLIE", "Équipe PUG_MAGLIE (Ambito di Maglie)")]
    assert (equipe.share_text, equipe.hours, equipe.cost) == ("3 di 3 partecipanti: 100 %", D("6.00"), D("420.00"))
    casarano = split.parts[0]
    assert {kind: item.planned for kind, item in casarano.hours.items()} == {
        "A1": D(18),
        "A2": D("16.88"),
        "A3": D(0),
        "extra": D(0),
    }
    assert (len(casarano.social_workers), casarano.social_workers_outside, casarano.total_cost) == (
        9,
        [],
        D("2182.50"),
    )
    assert split.unassigned == []
    assert_adds_up(split)


def test_it_gives_an_equipe_without_members_to_its_ats_and_other_empty_groups_to_nobody(
    world: World, plan: Plan
) -> None:
    deal = factories.contract(world)
    empty_equipe = Equipe.objects.create(ambito=world.casarano, name="Équipe PUA")
    PlanGroup.objects.create(
        plan=plan,
        kind=GroupKind.A3,
        name="PUA di Casarano",
        equipe=empty_equipe,
        planned_hours=D(6),
        contract=deal.contract,
        funding=deal.pnrr,
    )
    PlanGroup.objects.create(
        plan=plan,
        kind=GroupKind.EXTRA,
        name="Educatori",
        profession="educatore_professionale",
        planned_hours=D(10),
        contract=deal.contract,
        funding=deal.pnrr,
    )
    split = split_plan(plan_page(plan))
    casarano = split.part(world.casarano.pk)
    assert casarano is not None
    [pua] = casarano.a3_shares
    assert (pua.share_text, pua.hours, pua.cost) == ("équipe dell'ATS, ancora senza partecipanti: 100 %", D(6), D(420))
    assert [row.group.name for row in split.unassigned] == ["Educatori"]
    assert split.unassigned_cost == ZERO  # the contract has no rate for extra-LEPS groups: no cost, as in the plan
    assert split.unassigned_hours == D(10)
    assert_adds_up(split)


def test_an_ats_with_its_own_plan_has_every_group_wholly(world: World) -> None:
    factories.census_of(world, {"PUG_MAGLIE": 4}, equipes={"PUG_MAGLIE": 1})
    plan = actions.create_plan(world.maglie, 2025, by=world.referent)
    split = split_plan(plan_page(plan))
    [part] = split.parts
    assert part.is_own_plan
    assert [(share.share_text, share.whole) for share in part.shares] == [
        ("4 di 4 partecipanti: 100 %", True),
        ("2 di 2 partecipanti: 100 %", True),
    ]
    assert_adds_up(split)


def test_it_tells_the_ats_what_its_part_lacks(world: World, plan: Plan) -> None:
    equipe = plan.groups.get(kind=GroupKind.A3)
    equipe.planned_hours = D(4)
    equipe.save(update_fields=["planned_hours"])
    outside = PlanMember.objects.filter(plan=plan, kind=GroupKind.A1, ambito=world.maglie).first()
    assert outside is not None
    outside.delete()
    Equipe.objects.create(ambito=world.maglie, name="Équipe UVM")  # in no census: not the plan's
    split = split_plan(plan_page(plan))
    maglie = split.part(world.maglie.pk)
    assert maglie is not None
    assert maglie.checks == [
        "Équipe PUG_MAGLIE (Ambito di Maglie): 4 ore pianificate, il minimo LEPS è 6 (mancano 2 ore).",
        "1 assistente sociale dell'ATS non è in un gruppo A1.",
    ]
    poggiardo = split.part(world.poggiardo.pk)
    assert poggiardo is not None
    # Its social workers are all in groups at their minimum; its census names no équipe (issue 17.3).
    assert poggiardo.checks == ["Nessuna équipe dell'ATS nei censimenti del piano: la supervisione A3 non è garantita."]


@pytest.mark.parametrize("seed", range(6))
def test_it_adds_up_to_the_partnership_on_random_plans(world: World, seed: int) -> None:
    draw = random.Random(seed)  # noqa: S311  (a plan's figures, not a secret)
    counts = {code: draw.randint(0, 14) for code in ("PUG_POGGIARDO", "PUG_MAGLIE", "PUG_CASARANO")}
    counts["PUG_CASARANO"] += 1
    equipes = {code: draw.randint(1, 4) for code in counts if counts[code] and draw.random() < 0.7}
    factories.census_of(world, counts, equipes=equipes)
    rates = {kind: f"{draw.randint(40, 90)}.{draw.randint(0, 99):02d}" for kind in ("A1", "A2", "A3")}
    deal = factories.contract(world, rates=rates)
    plan = actions.create_plan(world.partnership, 2025, by=world.coordinator)
    groups = list(plan.groups.all())
    for group in groups:
        group.planned_hours = D(draw.randint(0, 80)) / 2
        if group.kind == GroupKind.A1:
            group.a2_pool_hours = D(draw.randint(0, 60)) / 2
        group.save(update_fields=["planned_hours", "a2_pool_hours"])
    a1 = [group for group in groups if group.kind == GroupKind.A1]
    if len(a1) > 1:
        for member in PlanMember.objects.filter(plan=plan, kind=GroupKind.A1):
            if draw.random() < 0.4:
                member.group = draw.choice(a1)
                member.save(update_fields=["group"])
    if draw.random() < 0.5:
        ContractLine.objects.filter(contract=deal.contract, kind="A2").delete()  # A1 groups of unknown cost
    PlanGroup.objects.create(
        plan=plan,
        kind=GroupKind.A1,
        name="Gruppo ancora vuoto",
        planned_hours=D(16),
        a2_pool_hours=D(15),
        contract=deal.contract,
        funding=deal.pnrr,
    )
    split = split_plan(plan_page(plan))
    assert_adds_up(split)
    assert [row.group.name for row in split.unassigned] == ["Gruppo ancora vuoto"]
