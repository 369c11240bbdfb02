"""Next year's POA prepared from this year's plan: the outlook ATS by ATS and the draft it writes."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType

from supervisione.audit.models import AuditEntry
from supervisione.census.models import Profession
from supervisione.funding.models import FnpsAllocation
from supervisione.leps.choices import ProfessionChoices
from supervisione.planning import actions
from supervisione.planning.models import GroupKind, Plan, PlanGroup, PlanMember
from supervisione.planning.next_year import outlook, prepare_next_year
from supervisione.planning.tests import factories
from supervisione.procurement.models import ContractFunding
from supervisione.territory.models import PartnershipMember
from supervisione.testing import factories as testing_factories
from supervisione.testing.world import World


def this_year_plan(world: World, social_workers: dict[str, int], equipes: dict[str, int]) -> Plan:
    factories.census_of(world, social_workers, equipes=equipes)
    deal = factories.contract(world, end=datetime.date(2027, 12, 31))
    ContractFunding.objects.create(
        contract=deal.contract,
        measure="fnps",
        amount=Decimal("14648.66"),
        year=2027,
        ambito=world.partnership.capofila,
    )
    # The three ATS share the FNPS rows of their contracts (the rule of leps.fnps: a quota pays for other ATS'
    # staff only under an agreement).
    shares = {world.partnership.capofila: Decimal(34), world.maglie: Decimal(33), world.casarano: Decimal(33)}
    testing_factories.agreement(world.partnership, shares)
    plan = actions.create_plan(world.partnership, 2026, by=world.coordinator)
    factories.assign_all(plan, factories.supervisor(world))
    return plan


def test_it_compares_each_ats_quota_with_its_own_minimum(world: World) -> None:
    plan = this_year_plan(world, {"PUG_MAGLIE": 20, "PUG_CASARANO": 2}, {"PUG_MAGLIE": 1, "PUG_CASARANO": 1})
    FnpsAllocation.objects.create(ambito=world.maglie, first_year=2027, last_year=2027, amount=Decimal("14648.66"))
    view = outlook(plan)
    maglie = next(row for row in view.ats if row.ambito == world.maglie)
    assert (view.year, maglie.social_workers, maglie.a1_groups, maglie.equipes) == (2027, 20, 2, 1)
    assert maglie.cover is not None
    assert maglie.cover.minimum_cost == Decimal(4300)  # 2 x (16 h x 65 + 15 h x 60) + 6 h x 70
    assert maglie.cover.left == Decimal("10348.66")
    casarano = next(row for row in view.ats if row.ambito == world.casarano)
    assert casarano.cover is None
    assert "Nessuna quota FNPS 2027 registrata per l'ATS" in " ".join(casarano.flags)


def test_it_prepares_the_draft_with_this_years_supervisors_and_the_fnps_row(world: World) -> None:
    plan = this_year_plan(world, {"PUG_MAGLIE": 3, "PUG_CASARANO": 2}, {"PUG_MAGLIE": 2})
    draft = prepare_next_year(plan, by=world.coordinator)
    assert (draft.year, draft.status, draft.partnership) == (2027, "draft", world.partnership)
    groups = list(PlanGroup.objects.filter(plan=draft).select_related("funding"))
    assert {g.kind for g in groups} == {GroupKind.A1, GroupKind.A3}
    old_supervisors = set(PlanGroup.objects.filter(plan=plan).values_list("supervisor_id", flat=True))
    assert {g.supervisor_id for g in groups} == old_supervisors
    assert all(g.funding is not None and g.funding.measure == "fnps" and g.funding.year == 2027 for g in groups)
    assert all(g.copied_from_id is None for g in groups)  # next year's groups count their hours from zero
    assert draft.notes == "Preparato dal POA 2026 (versione 1)."


def test_it_flags_a_census_with_no_equipe_and_an_ats_with_no_social_worker(world: World) -> None:
    plan = this_year_plan(world, {"PUG_MAGLIE": 3}, {})
    flags = " ".join(flag for row in outlook(plan).ats for flag in row.flags)
    assert "non ha équipe: la supervisione A3 non si può soddisfare" in flags
    assert f"L'ATS {world.casarano.name} non ha assistenti sociali nel censimento" in flags


def test_it_refuses_without_any_census_and_writes_nothing(world: World) -> None:
    plan = actions.create_plan(world.partnership, 2026, by=world.coordinator)
    view = outlook(plan)
    assert all("non ha un censimento" in row.flags[0] for row in view.ats)
    with pytest.raises(actions.PlanError, match="Nessun ATS ha un censimento"):
        prepare_next_year(plan, by=world.coordinator)
    assert not Plan.objects.filter(year=2027).exists()


def test_it_leaves_out_an_ats_that_left_the_partnership(world: World) -> None:
    plan = this_year_plan(world, {"PUG_MAGLIE": 3, "PUG_CASARANO": 2}, {"PUG_MAGLIE": 2})
    PartnershipMember.objects.filter(partnership=world.partnership, ambito=world.casarano).update(
        left_on=datetime.date(2026, 11, 30)
    )
    view = outlook(plan)
    assert world.casarano not in [row.ambito for row in view.ats]
    left = f"L'ATS {world.casarano.name} è uscito dal partenariato il 30/11/2026: il POA 2027 non lo comprende"
    assert view.left == [f"{left} e va preparato da solo."]
    draft = prepare_next_year(plan, by=world.coordinator)
    assert not draft.censuses.filter(ambito=world.casarano).exists()
    assert not PlanGroup.objects.filter(plan=draft, memberships__ambito=world.casarano).exists()


def test_it_refuses_a_second_preparation(world: World) -> None:
    plan = this_year_plan(world, {"PUG_MAGLIE": 3}, {"PUG_MAGLIE": 1})
    prepare_next_year(plan, by=world.coordinator)
    with pytest.raises(actions.PlanError, match="Il POA 2027 esiste già"):
        prepare_next_year(plan, by=world.coordinator)
    assert Plan.objects.filter(year=2027).count() == 1


def test_it_carries_the_extra_leps_groups_and_records_what_it_took(world: World) -> None:
    plan = this_year_plan(world, {"PUG_MAGLIE": 3}, {"PUG_MAGLIE": 1})
    educators = PlanMember.objects.filter(plan=plan, kind=GroupKind.A3, person__profession=Profession.EDUCATOR)
    person = educators.values_list("person_id", "ambito_id").first()
    assert person is not None
    extra = PlanGroup.objects.create(
        plan=plan,
        kind=GroupKind.EXTRA,
        name="Educatori",
        profession=ProfessionChoices.EDUCATORE,
        planned_hours=Decimal(10),
    )
    PlanMember.objects.create(group=extra, plan=plan, kind=GroupKind.EXTRA, person_id=person[0], ambito_id=person[1])
    draft = prepare_next_year(plan, by=world.coordinator)
    carried = PlanGroup.objects.get(plan=draft, kind=GroupKind.EXTRA)
    assert (carried.name, carried.planned_hours, carried.supervisor_id) == (
        "Educatori",
        Decimal(10),
        extra.supervisor_id,
    )
    assert list(carried.memberships.values_list("person_id", flat=True)) == [person[0]]
    entries = AuditEntry.objects.filter(content_type=ContentType.objects.get_for_model(Plan), object_id=str(draft.pk))
    assert list(entries.order_by("pk").values_list("code", flat=True)) == [
        "planning.plan.created",
        "planning.plan.groups_proposed",
        "planning.plan.prepared_from_previous_year",
    ]


def test_a_group_new_next_year_is_put_on_the_fnps_row_without_a_supervisor(world: World) -> None:
    plan = this_year_plan(world, {"PUG_MAGLIE": 3}, {"PUG_MAGLIE": 1})
    PlanGroup.objects.filter(plan=plan, kind=GroupKind.A3).delete()
    draft = prepare_next_year(plan, by=world.coordinator)
    equipe = PlanGroup.objects.select_related("funding").get(plan=draft, kind=GroupKind.A3)
    assert equipe.supervisor_id is None
    assert equipe.funding is not None
    assert (equipe.funding.measure, equipe.funding.year) == ("fnps", 2027)
