"""The plan builder: from the census to A1 groups, A2 pools and A3 équipes at the LEPS minimum."""

from __future__ import annotations

import datetime
from collections import Counter
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from supervisione.census.models import Census, CensusStatus
from supervisione.census.tests import factories as census_factories
from supervisione.leps.parameters import Prorate
from supervisione.leps.shortfalls import ShortfallKind
from supervisione.planning import actions
from supervisione.planning.models import GroupKind, Plan, PlanMember, RuleSet
from supervisione.planning.plan_page import plan_page
from supervisione.planning.tests import factories
from supervisione.testing.world import World

D = Decimal


def test_it_turns_56_social_workers_into_4_groups_64_a1_hours_and_a_60_hour_pool(world: World) -> None:
    factories.census_of(world, {"PUG_POGGIARDO": 20, "PUG_MAGLIE": 18, "PUG_CASARANO": 18})
    plan = actions.create_plan(world.partnership, 2025, by=world.coordinator)
    page = plan_page(plan)
    assert len(page.social_workers) == 56
    assert [row.member_count for row in page.a1_rows] == [14, 14, 14, 14]
    assert (page.hours["A1"].planned, page.hours["A1"].minimum) == (D(64), D(64))
    assert (page.hours["A2"].planned, page.hours["A2"].minimum) == (D(60), D(60))
    assert page.social_workers_outside == []
    # Balanced and, where possible, one ATS per group: three groups hold a single ATS.
    single = [row for row in page.a1_rows if len(row.by_ambito) == 1]
    assert len(single) == 3
    # No supervisor yet, and the census names no équipe (so no A3 can be planned): that is all the plan lacks.
    assert {item.kind for item in page.shortfalls} == {ShortfallKind.NO_SUPERVISOR, ShortfallKind.NO_EQUIPE}
    assert plan.status == "draft"
    assert plan.deadline == datetime.date(2025, 3, 31)
    assert set(plan.censuses.values_list("ambito__code", flat=True)) == {"PUG_POGGIARDO", "PUG_MAGLIE", "PUG_CASARANO"}


def test_it_gives_each_census_equipe_6_hours_of_a3(world: World) -> None:
    factories.census_of(world, {"PUG_MAGLIE": 2, "PUG_CASARANO": 2}, equipes={"PUG_MAGLIE": 3, "PUG_CASARANO": 1})
    plan = actions.create_plan(world.partnership, 2025, by=world.coordinator)
    page = plan_page(plan)
    assert len(page.a3_rows) == 2
    assert page.hours["A3"].minimum == D(6) * 2
    assert [row.group.planned_hours for row in page.a3_rows] == [D(6), D(6)]
    # The équipe's people, whatever their profession: the educators and the AS who works in it.
    members = {row.group.equipe.ambito.code: Counter(m.person.profession for m in row.members) for row in page.a3_rows}  # type: ignore[union-attr]  # an A3 group has an équipe
    assert members["PUG_MAGLIE"] == {"educatore_professionale": 3, "assistente_sociale": 1}
    assert members["PUG_CASARANO"] == {"educatore_professionale": 1, "assistente_sociale": 1}


@pytest.mark.parametrize(("social_workers", "sizes"), [(15, [15]), (16, [8, 8]), (31, [11, 10, 10])])
def test_it_never_builds_an_a1_group_of_more_than_15(world: World, social_workers: int, sizes: list[int]) -> None:
    factories.census_of(world, {"PUG_MAGLIE": social_workers})
    plan = actions.create_plan(world.partnership, 2025, by=world.coordinator)
    assert sorted((row.member_count for row in plan_page(plan).a1_rows), reverse=True) == sizes


def test_it_names_a_group_of_16_as_too_large_and_the_database_refuses_an_as_in_two_a1_groups(world: World) -> None:
    factories.census_of(world, {"PUG_MAGLIE": 16})
    plan = actions.create_plan(world.partnership, 2025, by=world.coordinator)
    first, second = plan.groups.filter(kind=GroupKind.A1).order_by("name")
    people = list(PlanMember.objects.filter(group=second).values_list("person_id", flat=True))
    actions.set_members(
        first,
        [*first.memberships.values_list("person_id", flat=True), *people],
        dict.fromkeys(people, world.maglie.pk),
        expected=plan.lock_version,
        by=world.coordinator,
    )
    page = plan_page(plan)
    [too_large] = [item for item in page.shortfalls if item.kind == ShortfallKind.GROUP_TOO_LARGE]
    assert "Gruppo A1 n. 1: 16 partecipanti, oltre il massimo di 15 per un gruppo A1." in page.blocking
    assert too_large.group_name == "Gruppo A1 n. 1"
    assert "Gruppo A1 n. 2: il gruppo non ha partecipanti." in page.blocking
    with transaction.atomic(), pytest.raises(IntegrityError):
        PlanMember.objects.create(group=second, plan=plan, kind="A1", person_id=people[0], ambito=world.maglie)


def test_it_prorates_the_minimums_of_a_partial_year_when_the_setting_says_so(world: World) -> None:
    factories.census_of(world, {"PUG_MAGLIE": 5}, equipes={"PUG_MAGLIE": 2})
    RuleSet.objects.create(valid_from=datetime.date(2025, 1, 1), prorate=Prorate.BY_MONTHS)
    plan = actions.create_plan(world.partnership, 2025, by=world.coordinator, first_month=6, last_month=12)
    page = plan_page(plan)
    # 7 months of 12: 16 h -> 9.33 -> 9.5; 15 h -> 8.75 -> 9; 6 h -> 3.5.
    assert [row.group.planned_hours for row in page.a1_rows] == [D("9.5")]
    assert [row.group.a2_pool_hours for row in page.a1_rows] == [D(9)]
    assert [row.group.planned_hours for row in page.a3_rows] == [D("3.5")]
    assert plan.period_text == "da giugno a dicembre 2025"
    # Without the setting the same period needs the full yearly minimum.
    plan_2026 = actions.create_plan(world.partnership, 2026, by=world.coordinator, first_month=6, last_month=12)
    RuleSet.objects.filter(valid_from=datetime.date(2025, 1, 1)).update(prorate=Prorate.OFF)
    assert plan_page(plan_2026).hours["A1"].minimum == D(16)
    assert plan_page(plan).hours["A1"].minimum == D(16)  # the rule set now says "off" for 2025 too
    assert "Gruppo A1 n. 1: 9,5 ore pianificate, il minimo LEPS è 16 (mancano 6,5 ore)." in plan_page(plan).blocking


def test_it_starts_from_the_latest_validated_census_and_warns_about_one_that_is_not(world: World) -> None:
    factories.census_of(world, {"PUG_MAGLIE": 2})
    factories.census_of(world, {"PUG_MAGLIE": 4}, status=CensusStatus.SUBMITTED, first_number=100)
    plan = actions.create_plan(world.partnership, 2025, by=world.coordinator)
    page = plan_page(plan)
    assert len(page.social_workers) == 2  # the validated one, not the newer submitted one
    assert not page.census_not_validated
    # An ATS whose only census is not validated yet: the plan uses it, and says so.
    census = Census.objects.get(campaign=census_factories.campaign(world.sansevero_partnership))
    census_factories.position(census, census_factories.person(300))
    other = actions.create_plan(world.sansevero, 2025, by=world.admin)
    assert len(plan_page(other).social_workers) == 1
    assert "Il censimento di Ambito Alto Tavoliere usato dal piano è «in compilazione», non ancora validato." in (
        plan_page(other).warnings
    )


def test_it_fills_in_the_only_contract_of_the_period_and_its_funding(world: World) -> None:
    factories.census_of(world, {"PUG_MAGLIE": 3}, equipes={"PUG_MAGLIE": 1})
    deal = factories.contract(world)
    plan = actions.create_plan(world.partnership, 2025, by=world.coordinator)
    assert {(g.contract_id, g.funding_id) for g in plan.groups.all()} == {(deal.contract.pk, deal.pnrr.pk)}
    # A contract ended before the period is not offered.
    later = actions.create_plan(world.partnership, 2027, by=world.coordinator)
    assert {g.contract_id for g in later.groups.all()} == {None}


def test_it_refuses_a_second_plan_for_the_same_year(world: World) -> None:
    factories.census_of(world, {"PUG_MAGLIE": 1})
    actions.create_plan(world.partnership, 2025, by=world.coordinator)
    with pytest.raises(actions.PlanError, match="Il POA 2025 è già in lavorazione"):
        actions.create_plan(world.partnership, 2025, by=world.coordinator)
    assert Plan.objects.filter(year=2025).count() == 1


def test_it_builds_the_plan_of_a_single_ambito_from_its_own_census(world: World) -> None:
    factories.census_of(world, {"PUG_MAGLIE": 3, "PUG_CASARANO": 5})
    plan = actions.create_plan(world.maglie, 2025, by=world.referent)
    page = plan_page(plan)
    assert (plan.ambito, plan.partnership) == (world.maglie, None)
    assert [a.code for a in page.ambiti] == ["PUG_MAGLIE"]
    assert len(page.social_workers) == 3


def test_it_names_each_ats_without_social_workers_or_equipes_instead_of_leaving_it_out(world: World) -> None:
    factories.census_of(world, {"PUG_MAGLIE": 2, "PUG_CASARANO": 2}, equipes={"PUG_MAGLIE": 1})
    plan = actions.create_plan(world.partnership, 2025, by=world.coordinator)
    page = plan_page(plan)
    assert (
        "Ambito di Poggiardo: nessun assistente sociale nei censimenti del piano, i suoi operatori restano fuori "
        "dalla supervisione. Verifica il censimento dell'ATS."
    ) in page.warnings
    assert (
        "Ambito di Casarano: nessuna équipe multiprofessionale nei censimenti del piano, l'ATS non ha supervisione A3."
        in page.warnings
    )
    assert not [text for text in page.warnings if text.startswith("Ambito di Maglie:")]
    # The plan as a whole has both: not blocked for those.
    assert not {ShortfallKind.NO_SOCIAL_WORKER, ShortfallKind.NO_EQUIPE} & {item.kind for item in page.shortfalls}
