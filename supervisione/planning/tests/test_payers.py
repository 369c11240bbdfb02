"""Who pays for a group: an ATS's FNPS row pays for its own staff; for another ATS's only under the partnership's
agreement with quotas in force over the whole plan, and the group's cost is then shared by the quotas.

The plan of ``factories.ready_plan``: an A1 group of 3 AS of Maglie and 2 of Casarano (16 h at 65 EUR and a 15 h
A2 pool at 60 EUR: 1,940 EUR), and the équipe of Maglie; the contract gets an FNPS row of Maglie for 2025.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from django.utils.html import escape

from supervisione.leps.fnps import split_cost
from supervisione.planning import actions
from supervisione.planning.models import GroupKind, Plan, PlanGroup, PlanMember
from supervisione.planning.plan_page import plan_page
from supervisione.planning.tests import factories
from supervisione.procurement.models import Contract, ContractFunding
from supervisione.testing import factories as shared_factories
from supervisione.testing.world import World

D = Decimal
REFUSED = (
    "La quota FNPS di Ambito di Maglie paga solo la supervisione del personale di Ambito di Maglie, ma qui ci sono "
    "anche 2 persone di Ambito di Casarano."
)
ALL_THREE = {"poggiardo": D("35.72"), "maglie": D("32.14"), "casarano": D("32.14")}


def fnps_row(plan: Plan, world: World, ambito: Any = None, year: int = 2025) -> ContractFunding:
    row: ContractFunding = ContractFunding.objects.create(
        contract=Contract.objects.get(), measure="fnps", amount=D(5000), year=year, ambito=ambito or world.maglie
    )
    return row


def group_of(plan: Plan, kind: str = GroupKind.A1) -> PlanGroup:
    group: PlanGroup = plan.groups.filter(kind=kind).order_by("name").first()  # type: ignore[assignment]  # the plan has a group of each kind
    return group


def agreement(world: World, **fields: Any) -> Any:
    shares = {getattr(world, name): share for name, share in ALL_THREE.items()}
    return shared_factories.agreement(world.partnership, shares, **fields)


def edit(client: Any, plan: Plan, group: PlanGroup, funding: ContractFunding) -> Any:
    return client.post(
        reverse("planning:group_edit", args=[plan.pk, group.pk]),
        {
            "lock_version": plan.lock_version,
            "name": group.name,
            "planned_hours": str(group.planned_hours),
            "a2_pool_hours": str(group.a2_pool_hours),
            "supervisor": group.supervisor_id or "",
            "declaration": group.declaration_id or "",
            "contract": group.contract_id or "",
            "funding": funding.pk,
            "note": "",
        },
    )


# --- The group form ------------------------------------------------------------------------------------------


def test_the_group_form_refuses_an_fnps_row_paying_for_another_ats_staff(world: World, client_for: Any) -> None:
    plan = factories.ready_plan(world)
    row = fnps_row(plan, world)
    group = group_of(plan)
    response = edit(client_for("coordinator"), plan, group, row)
    assert response.status_code == 200
    assert escape(REFUSED) in response.content.decode()
    assert "Registra l&#x27;accordo di partenariato con le quote di riparto tra gli ATS" in response.content.decode()
    group.refresh_from_db()
    assert group.funding != row


def test_the_group_form_lets_an_ats_row_pay_for_its_own_staff(world: World, client_for: Any) -> None:
    plan = factories.ready_plan(world)
    row = fnps_row(plan, world)
    equipe = group_of(plan, GroupKind.A3)  # the équipe of Maglie
    assert edit(client_for("coordinator"), plan, equipe, row).status_code == 302
    equipe.refresh_from_db()
    assert equipe.funding == row


def test_the_group_form_takes_the_row_under_an_agreement_in_force_over_the_whole_plan(
    world: World, client_for: Any
) -> None:
    plan = factories.ready_plan(world)  # 2025, January to December
    row = fnps_row(plan, world)
    group = group_of(plan)
    client = client_for("coordinator")
    late = agreement(world, valid_from=datetime.date(2025, 3, 1))
    assert escape(REFUSED) in edit(client, plan, group, row).content.decode()  # not from January
    late.valid_from = datetime.date(2025, 1, 1)
    late.save(update_fields=["valid_from"])
    plan.refresh_from_db()
    assert edit(client, plan, group, row).status_code == 302
    group.refresh_from_db()
    assert group.funding == row


def test_the_group_form_refuses_when_the_agreement_has_no_quota_for_an_ats_of_the_group(
    world: World, client_for: Any
) -> None:
    plan = factories.ready_plan(world)
    row = fnps_row(plan, world)
    shared_factories.agreement(world.partnership, {world.poggiardo: D(50), world.maglie: D(50)})
    page = edit(client_for("coordinator"), plan, group_of(plan), row).content.decode()
    assert "nell&#x27;accordo di partenariato Ambito di Casarano non ha una quota di riparto" in page


# --- The actions -------------------------------------------------------------------------------------------


def test_save_group_refuses_the_row_and_writes_nothing(world: World) -> None:
    plan = factories.ready_plan(world)
    row = fnps_row(plan, world)
    group = group_of(plan)
    group.funding = row
    with pytest.raises(actions.FundingRefusedError, match="ci sono anche 2 persone di Ambito di Casarano"):
        actions.save_group(group, expected=plan.lock_version, by=world.coordinator)
    assert PlanGroup.objects.get(pk=group.pk).funding != row
    assert Plan.objects.get(pk=plan.pk).lock_version == plan.lock_version


def test_set_members_refuses_a_member_of_another_ats_on_an_ats_row(world: World, client_for: Any) -> None:
    plan = factories.ready_plan(world)
    row = fnps_row(plan, world)
    equipe = group_of(plan, GroupKind.A3)
    actions.save_group(_with(equipe, funding=row), expected=plan.lock_version, by=world.coordinator)
    plan.refresh_from_db()
    casarano = PlanMember.objects.filter(plan=plan, ambito=world.casarano).values_list("person_id", flat=True)[0]
    current = list(PlanMember.objects.filter(group=equipe).values_list("person_id", flat=True))
    ambito_of = dict(PlanMember.objects.filter(plan=plan).values_list("person_id", "ambito_id"))
    with pytest.raises(actions.FundingRefusedError, match="1 persona di Ambito di Casarano"):
        actions.set_members(equipe, [*current, casarano], ambito_of, expected=plan.lock_version, by=world.coordinator)
    assert sorted(PlanMember.objects.filter(group=equipe).values_list("person_id", flat=True)) == sorted(current)
    # Fewer of its own people is fine.
    actions.set_members(equipe, current[:1], ambito_of, expected=plan.lock_version, by=world.coordinator)
    # So is another ATS's member once the agreement shares the cost.
    agreement(world)
    plan.refresh_from_db()
    actions.set_members(equipe, [*current, casarano], ambito_of, expected=plan.lock_version, by=world.coordinator)
    assert PlanMember.objects.filter(group=equipe, ambito=world.casarano).count() == 1


def test_the_members_page_says_why_the_members_were_refused(world: World, client_for: Any) -> None:
    plan = factories.ready_plan(world, social_workers={"PUG_MAGLIE": 3, "PUG_CASARANO": 2})
    row = fnps_row(plan, world)
    new = PlanGroup(plan=plan, kind=GroupKind.A1, name="Gruppo A1 n. 2", contract=row.contract, funding=row)
    actions.add_group(new, [], {}, expected=plan.lock_version, by=world.coordinator)  # no members: allowed
    plan.refresh_from_db()
    casarano = PlanMember.objects.filter(plan=plan, ambito=world.casarano).values_list("person_id", flat=True)[0]
    response = client_for("coordinator").post(
        reverse("planning:group_members", args=[plan.pk, new.pk]),
        {"lock_version": plan.lock_version, "people": [casarano]},
    )
    assert response.status_code == 200
    assert "Gruppo A1 n. 2: la quota FNPS di Ambito di Maglie paga solo" in response.content.decode()
    assert not PlanMember.objects.filter(group=new).exists()


def test_add_group_refuses_an_extra_group_of_several_ats_on_one_ats_row(world: World) -> None:
    plan = factories.ready_plan(world)
    row = fnps_row(plan, world)
    people = dict(PlanMember.objects.filter(plan=plan, kind=GroupKind.A1).values_list("person_id", "ambito_id"))
    group = PlanGroup(
        plan=plan, kind=GroupKind.EXTRA, profession="educatore_professionale", name="Educatori", contract=row.contract
    )
    group.funding = row
    with pytest.raises(actions.FundingRefusedError, match="Educatori: la quota FNPS di Ambito di Maglie"):
        actions.add_group(group, list(people), people, expected=plan.lock_version, by=world.coordinator)
    assert not PlanGroup.objects.filter(name="Educatori").exists()


def test_a_new_plan_leaves_the_fnps_row_off_the_groups_it_may_not_pay_for(world: World) -> None:
    factories.census_of(world, {"PUG_MAGLIE": 3, "PUG_CASARANO": 2}, equipes={"PUG_MAGLIE": 2})
    deal = factories.contract(world)
    deal.pnrr.delete()
    row = ContractFunding.objects.create(
        contract=deal.contract, measure="fnps", amount=D(5000), year=2025, ambito=world.maglie
    )
    plan = actions.create_plan(world.partnership, 2025, by=world.coordinator)
    assert group_of(plan).funding is None  # Maglie and Casarano
    assert group_of(plan, GroupKind.A3).funding == row  # Maglie's équipe


# --- The plan page -----------------------------------------------------------------------------------------


def test_the_plan_page_lists_a_group_its_row_may_not_pay_for_and_the_plan_cannot_be_submitted(
    world: World, client_for: Any
) -> None:
    plan = factories.ready_plan(world)
    row = fnps_row(plan, world)
    PlanGroup.objects.filter(pk=group_of(plan).pk).update(funding=row)  # as an older version of the program left it
    page = plan_page(plan)
    assert "Gruppo A1 n. 1: la q" + REFUSED[4:] in page.problems[0]
    html = client_for("coordinator").get(plan.get_absolute_url()).content.decode()
    assert escape("Gruppo A1 n. 1: la q" + REFUSED[4:]) in html
    assert "la quota FNPS non può pagare per tutti i partecipanti" in html
    with pytest.raises(actions.PlanNotReadyError) as refused:
        actions.submit_plan(plan, expected=plan.lock_version, by=world.coordinator)
    assert any(REFUSED[4:] in problem for problem in refused.value.problems)
    fnps = next(line for line in page.costs if line.key == "fnps:2025")
    assert fnps.by_ats == {"Ambito di Maglie": D("1940.00")}  # refused, it stays where it is charged


def test_the_plan_page_shares_the_fnps_cost_by_the_agreement(world: World, client_for: Any) -> None:
    plan = factories.ready_plan(world)
    row = fnps_row(plan, world)
    equipe_row = fnps_row(plan, world, world.maglie)
    PlanGroup.objects.filter(pk=group_of(plan).pk).update(funding=row)
    PlanGroup.objects.filter(pk=group_of(plan, GroupKind.A3).pk).update(funding=equipe_row)
    made = agreement(world)
    page = plan_page(plan)
    assert page.problems == []
    fnps = next(line for line in page.costs if line.key == "fnps:2025")
    # The A1 group (1,940 EUR) by the quotas, and the équipe (6 h at 70 EUR) too, although only Maglie's staff is
    # in it: the convention shares the contract's cost, not group by group.
    quotas = {"Ambito di Casarano": D("32.14"), "Ambito di Maglie": D("32.14"), "Ambito di Poggiardo": D("35.72")}
    a1, equipe = split_cost(D("1940.00"), quotas), split_cost(D("420.00"), quotas)
    assert a1 == {
        "Ambito di Casarano": D("623.52"),
        "Ambito di Maglie": D("623.51"),
        "Ambito di Poggiardo": D("692.97"),
    }
    assert equipe == {
        "Ambito di Casarano": D("134.99"),
        "Ambito di Maglie": D("134.99"),
        "Ambito di Poggiardo": D("150.02"),
    }
    # Shared by the same agreement, the two costs are split once, as a whole (the cents of many groups would
    # otherwise pile up on the ATS listed first): 2,360 EUR by the quotas.
    assert (
        fnps.by_ats
        == split_cost(D("2360.00"), quotas)
        == {
            "Ambito di Casarano": D("758.51"),
            "Ambito di Maglie": D("758.50"),
            "Ambito di Poggiardo": D("842.99"),
        }
    )
    assert sum(fnps.by_ats.values()) == fnps.planned == D("2360.00")
    assert fnps.agreements == [f"{made} (dal 01/01/2025)"]
    html = client_for("coordinator").get(plan.get_absolute_url()).content.decode()
    assert "a carico di ciascun ATS: Ambito di Casarano 758,51 €; Ambito di Maglie 758,50 €" in html
    assert escape(f"ripartito secondo «{made} (dal 01/01/2025)»") in html
    assert "FNPS 2025 · Ambito di Maglie" in html


def _with(group: PlanGroup, **fields: Any) -> PlanGroup:
    for name, value in fields.items():
        setattr(group, name, value)
    return group
