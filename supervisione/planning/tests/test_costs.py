"""Costs: hours x rate per contract, added up by funding source against the funds; the FNPS what-if on the plan
page (the FNPS page itself is funding's: ``funding/tests/test_fnps.py``)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.urls import reverse

from supervisione.funding.models import FnpsAllocation
from supervisione.planning import actions
from supervisione.planning.models import GroupKind
from supervisione.planning.plan_page import plan_page
from supervisione.planning.tests import factories
from supervisione.procurement.models import Contract, ContractFunding
from supervisione.testing.world import World

D = Decimal


def test_it_costs_each_group_at_its_contract_rate_by_funding_source(world: World) -> None:
    plan = factories.ready_plan(world)  # 1 A1 group (16 h + 15 h A2) and 1 équipe (6 h), all PNRR
    deal_contract = Contract.objects.get()
    fnps = ContractFunding.objects.create(
        contract=deal_contract, measure="fnps", amount=D(1000), year=2023, ambito=world.maglie
    )
    other = ContractFunding.objects.create(contract=deal_contract, measure="other", amount=D(300), note="Comune")
    equipe = plan.groups.get(kind=GroupKind.A3)
    equipe.funding = fnps
    equipe.save(update_fields=["funding"])
    FnpsAllocation.objects.create(ambito=world.maglie, first_year=2023, last_year=2023, amount=D("11870.40"))
    page = plan_page(plan)
    lines = {line.key: line for line in page.costs}
    pnrr = lines[f"pnrr_114:{factories.CUP}"]
    assert (pnrr.label, pnrr.hours, pnrr.planned) == (f"PNRR M5C2 1.1.4 · CUP {factories.CUP}", D(31), D("1940.00"))
    assert (pnrr.funds, pnrr.residual) == (D(27000), D("25060.00"))
    fnps_line = lines["fnps:2023"]
    assert (fnps_line.label, fnps_line.planned, fnps_line.funds) == (
        "FNPS quota supervisione 2023",
        D("420.00"),
        D(1000),
    )
    assert fnps_line.fnps_quotas == [("Ambito di Maglie", D("11870.40"))]
    assert f"other:{other.pk}" not in lines  # a source no group uses is not a cost line
    assert page.total_cost == D("2360.00")


def test_it_counts_other_years_and_warns_when_a_source_is_overspent(world: World) -> None:
    plan = factories.ready_plan(world)
    actions.submit_plan(plan, expected=plan.lock_version, by=world.coordinator)
    actions.approve_plan(plan, expected=plan.lock_version, by=world.coordinator)
    ContractFunding.objects.filter(measure="pnrr_114").update(amount=D(3000))
    later = actions.create_plan(world.partnership, 2026, by=world.coordinator)
    # Within the PNRR project's activities (to 30/06/2026): the project pays it all (the split: test_project_end).
    later.last_month = 6
    later.save(update_fields=["last_month"])
    [line] = plan_page(later).costs
    # 2025 (approved) already uses 2,360 of the 3,000; 2026 plans as much again.
    assert (line.planned, line.other_plans, line.residual) == (D("2360.00"), D("2360.00"), D("-1720.00"))
    assert line.over_budget
    assert f"{line.label}: il costo pianificato supera i fondi disponibili di 1.720,00 €." in plan_page(later).warnings


def test_it_says_what_has_no_cost_and_no_source(world: World) -> None:
    factories.census_of(world, {"PUG_MAGLIE": 2})
    plan = actions.create_plan(world.partnership, 2025, by=world.coordinator)
    page = plan_page(plan)
    assert [line.key for line in page.costs] == ["none"]
    assert "Gruppo A1 n. 1: nessun contratto indicato, il costo delle ore non è calcolabile." in page.warnings
    deal = factories.contract(world, rates={"A1": "65"})
    group = plan.groups.get()
    group.contract, group.funding = deal.contract, None
    group.save(update_fields=["contract", "funding"])
    warnings = plan_page(plan).warnings
    assert "Gruppo A1 n. 1: il contratto non ha una tariffa per la supervisione individuale (A2)." in warnings
    assert "Gruppo A1 n. 1: nessuna fonte di finanziamento indicata per le ore." in warnings


def test_it_names_a_two_year_allocation_on_the_cost_line_of_each_of_its_years(world: World) -> None:
    plan = factories.ready_plan(world)
    deal_contract = Contract.objects.get()
    fnps = ContractFunding.objects.create(
        contract=deal_contract, measure="fnps", amount=D(1000), year=2024, ambito=world.casarano
    )
    plan.groups.filter(kind=GroupKind.A3).update(funding=fnps)
    FnpsAllocation.objects.create(ambito=world.casarano, first_year=2023, last_year=2024, amount=D("29297.33"))
    lines = {line.key: line for line in plan_page(plan).costs}
    assert lines["fnps:2024"].fnps_quotas == [("Ambito di Casarano (FNPS 2023-2024)", D("29297.33"))]


def test_it_shows_what_the_fnps_quota_adds_on_the_plan_page(world: World, client_for: Any) -> None:
    plan = factories.ready_plan(world, social_workers={"PUG_MAGLIE": 20})
    FnpsAllocation.objects.create(ambito=world.casarano, first_year=2023, last_year=2024, amount=D("29297.33"))
    FnpsAllocation.objects.create(ambito=world.casarano, first_year=2022, last_year=2022, amount=D("14648.66"))
    # A later year is not offered, nor an allocation that could be spent only before the plan's year.
    FnpsAllocation.objects.create(ambito=world.casarano, first_year=2030, last_year=2030, amount=D("1"))
    FnpsAllocation.objects.create(ambito=world.casarano, first_year=2020, last_year=2020, amount=D(1), spend_until=2021)
    page = plan_page(plan)
    assert page.rates is not None
    assert (page.rates.a1, page.rates.a2) == (D(65), D(60))
    items = {item.label: item for item in page.what_ifs}
    two_years = "Ambito di Casarano, FNPS 2023-2024, per anno (29.297,33 € in 2 anni)"
    assert set(items) == {two_years, "Ambito di Casarano, FNPS 2022", "Tutte le quote insieme"}
    # The allocation of 2023 and 2024 simulates one year of it: 29,297.33 / 2 = 14,648.66 (down to the cent), as
    # the one of 2022: (14,648.66 - 0) / 65 = 225.36 -> 225 more A1 hours (every AS already in a group).
    assert items[two_years].amount == D("14648.66")
    assert items[two_years].result.extra_a1_hours == D("225")
    assert items["Ambito di Casarano, FNPS 2022"].result.extra_a1_hours == D("225")
    # All together: the whole amounts, 43,945.99 EUR.
    assert items["Tutte le quote insieme"].amount == D("43945.99")
    assert items["Tutte le quote insieme"].result.total_hours == D(676)
    html = client_for("coordinator").get(plan.get_absolute_url()).content.decode()
    assert "Cofinanziamento con la quota FNPS" in html
    assert "43.945,99 €" in html
    assert "Uno stanziamento di più anni si simula per un anno" in html
    assert reverse("funding:fnps", args=["POGGIARDO-114"]) in html


def test_it_keeps_a_funding_source_that_a_plan_charges_its_hours_to(world: World, client_for: Any) -> None:
    plan = factories.ready_plan(world)
    funding = plan.groups.first().funding  # type: ignore[union-attr]  # a ready plan has groups
    assert funding is not None
    url = reverse("procurement:funding_delete", args=[funding.contract_id, funding.pk])
    response = client_for("coordinator").post(url, follow=True)
    assert (
        "finanzia le ore di un piano annuale (POA): cambia prima la fonte dei suoi gruppi." in response.content.decode()
    )
    assert ContractFunding.objects.filter(pk=funding.pk).exists()
