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
from supervisione.planning.plan_page import plan_page
from supervisione.planning.tests import factories
from supervisione.procurement.models import ContractFunding
from supervisione.supervisors.models import Declaration, Supervisor
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
    Declaration.objects.update(valid_until=datetime.date(2027, 12, 31))  # renewed for the next year
    prepared = prepare_next_year(plan, by=world.coordinator)
    draft = prepared.plan
    assert (draft.year, draft.status, draft.partnership) == (2027, "draft", world.partnership)
    groups = list(PlanGroup.objects.filter(plan=draft).select_related("funding"))
    assert {g.kind for g in groups} == {GroupKind.A1, GroupKind.A3}
    old = PlanGroup.objects.filter(plan=plan)
    assert {g.supervisor_id for g in groups} == set(old.values_list("supervisor_id", flat=True))
    assert {g.declaration_id for g in groups} == set(old.values_list("declaration_id", flat=True))
    assert all(g.funding is not None and g.funding.measure == "fnps" and g.funding.year == 2027 for g in groups)
    assert all(g.copied_from_id is None for g in groups)  # next year's groups count their hours from zero
    assert draft.notes == "Preparato dal POA 2026 (versione 1)."
    assert (prepared.carried, prepared.warnings) == (len(groups), [])
    assert plan_page(draft).problems == []  # the shared row is allowed, the declarations cover the year


def test_it_leaves_a_declaration_that_ends_this_year_and_says_so(world: World) -> None:
    plan = this_year_plan(world, {"PUG_MAGLIE": 3}, {"PUG_MAGLIE": 1})  # declarations valid to 31/12/2026
    prepared = prepare_next_year(plan, by=world.coordinator)
    groups = PlanGroup.objects.filter(plan=prepared.plan)
    assert all(g.supervisor_id is not None and g.declaration_id is None for g in groups)
    assert prepared.warnings == [
        f"{g.name}: la dichiarazione di assenza di conflitti di Longo Chiara non copre il 2027: raccogline una "
        "nuova prima di trasmettere il POA."
        for g in groups.order_by("kind", "name")
    ]


def test_it_does_not_carry_a_supervisor_no_longer_active(world: World) -> None:
    plan = this_year_plan(world, {"PUG_MAGLIE": 3}, {})
    Supervisor.objects.update(active=False)
    prepared = prepare_next_year(plan, by=world.coordinator)
    group = PlanGroup.objects.get(plan=prepared.plan)
    assert (group.supervisor_id, group.declaration_id) == (None, None)
    assert prepared.warnings == [
        "Gruppo A1 n. 1: il supervisore Longo Chiara non è più attivo: il gruppo è senza supervisore."
    ]


# --- Who pays: the rule of leps.fnps on next year's FNPS rows ---------------------------------------------------


def own_rows_plan(world: World) -> tuple[Plan, dict[str, ContractFunding]]:
    """This year's plan of Maglie (3 AS, an équipe) and Casarano (2 AS, an équipe), one mixed A1 group; the
    contract's FNPS rows of 2027 name each ATS, and no agreement shares them."""
    factories.census_of(world, {"PUG_MAGLIE": 3, "PUG_CASARANO": 2}, equipes={"PUG_MAGLIE": 1, "PUG_CASARANO": 1})
    deal = factories.contract(world, end=datetime.date(2027, 12, 31))
    rows = {
        ambito.code: ContractFunding.objects.create(
            contract=deal.contract, measure="fnps", amount=Decimal("5000.00"), year=2027, ambito=ambito
        )
        for ambito in (world.maglie, world.casarano)
    }
    plan = actions.create_plan(world.partnership, 2026, by=world.coordinator)
    factories.assign_all(plan, factories.supervisor(world))
    Declaration.objects.update(valid_until=datetime.date(2027, 12, 31))
    return plan, rows


def test_each_equipe_goes_on_its_own_ats_row_and_a_mixed_group_on_none_without_an_agreement(world: World) -> None:
    plan, rows = own_rows_plan(world)
    prepared = prepare_next_year(plan, by=world.coordinator)
    funding = {g.name: g.funding_id for g in PlanGroup.objects.filter(plan=prepared.plan)}
    assert funding == {
        "Gruppo A1 n. 1": None,  # 3 AS of Maglie and 2 of Casarano: neither quota may pay for the other's staff
        "Équipe PUG_MAGLIE (Ambito di Maglie)": rows["PUG_MAGLIE"].pk,
        "Équipe PUG_CASARANO (Ambito di Casarano)": rows["PUG_CASARANO"].pk,
    }
    assert prepared.warnings == [
        (
            "Gruppo A1 n. 1: nessuna quota FNPS 2027 del contratto può pagarne la supervisione, il gruppo resta "
            "senza fonte di finanziamento. La quota FNPS di Ambito di Maglie paga solo la supervisione del personale "
            "di Ambito di Maglie, ma qui ci sono anche 2 persone di Ambito di Casarano. Registra l'accordo di "
            "partenariato con le quote di riparto tra gli ATS, oppure scegli la fonte di finanziamento dell'ATS di "
            "quelle persone."
        )
    ]
    page = plan_page(prepared.plan)
    assert page.problems == []  # nothing charged against the rule
    assert "Gruppo A1 n. 1: nessuna fonte di finanziamento indicata per le ore." in page.warnings
    entry = AuditEntry.objects.get(code="planning.plan.prepared_from_previous_year")
    assert "Da sistemare: Gruppo A1 n. 1: nessuna quota FNPS 2027" in entry.message


def test_it_never_charges_a_group_to_another_ats_row_without_an_agreement(world: World) -> None:
    """The capofila's row (Poggiardo) may not pay for the staff of Maglie: the group stays without it."""
    factories.census_of(world, {"PUG_MAGLIE": 3}, equipes={"PUG_MAGLIE": 1})
    deal = factories.contract(world, end=datetime.date(2027, 12, 31))
    ContractFunding.objects.create(
        contract=deal.contract, measure="fnps", amount=Decimal("5000.00"), year=2027, ambito=world.poggiardo
    )
    plan = actions.create_plan(world.partnership, 2026, by=world.coordinator)
    factories.assign_all(plan, factories.supervisor(world))
    prepared = prepare_next_year(plan, by=world.coordinator)
    assert not PlanGroup.objects.filter(plan=prepared.plan, funding__isnull=False).exists()
    unfunded = [w for w in prepared.warnings if "quota FNPS" in w]
    assert len(unfunded) == 2
    assert all("La quota FNPS di Ambito di Poggiardo paga solo" in w for w in unfunded)


def test_under_an_agreement_it_keeps_the_ats_that_paid_this_year(world: World) -> None:
    plan, rows = own_rows_plan(world)
    testing_factories.agreement(world.partnership, {world.maglie: Decimal(60), world.casarano: Decimal(40)})
    casarano_2026 = ContractFunding.objects.create(
        contract=rows["PUG_CASARANO"].contract, measure="fnps", amount=Decimal(900), year=2026, ambito=world.casarano
    )
    PlanGroup.objects.filter(plan=plan, kind=GroupKind.A1).update(funding=casarano_2026)
    prepared = prepare_next_year(plan, by=world.coordinator)
    funding = {g.name: g.funding_id for g in PlanGroup.objects.filter(plan=prepared.plan)}
    # The mixed group stays on Casarano's quota (shared by the agreement); each équipe on its own ATS's.
    assert funding["Gruppo A1 n. 1"] == rows["PUG_CASARANO"].pk
    assert funding["Équipe PUG_MAGLIE (Ambito di Maglie)"] == rows["PUG_MAGLIE"].pk
    assert [w for w in prepared.warnings if "quota FNPS" in w] == []


def test_a_contract_without_next_years_fnps_row_leaves_the_groups_without_one(world: World) -> None:
    factories.census_of(world, {"PUG_MAGLIE": 3}, equipes={})
    factories.contract(world, end=datetime.date(2027, 12, 31))  # PNRR only
    plan = actions.create_plan(world.partnership, 2026, by=world.coordinator)
    factories.assign_all(plan, factories.supervisor(world))
    prepared = prepare_next_year(plan, by=world.coordinator)
    group = PlanGroup.objects.get(plan=prepared.plan)
    assert group.funding_id is None  # never the PNRR row of a year the PNRR has ended
    assert (
        "Gruppo A1 n. 1: il contratto «Supervisione con Aurora» non ha una quota FNPS 2027: il gruppo resta senza "
        "fonte di finanziamento finché la quota FNPS 2027 non è aggiunta al contratto." in prepared.warnings
    )


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
    draft = prepare_next_year(plan, by=world.coordinator).plan
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
    draft = prepare_next_year(plan, by=world.coordinator).plan
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
    draft = prepare_next_year(plan, by=world.coordinator).plan
    equipe = PlanGroup.objects.select_related("funding").get(plan=draft, kind=GroupKind.A3)
    assert equipe.supervisor_id is None
    assert equipe.funding is not None
    assert (equipe.funding.measure, equipe.funding.year) == ("fnps", 2027)
