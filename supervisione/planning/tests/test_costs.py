"""Costs: hours x rate per contract, added up by funding source against the funds; the FNPS what-if."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.urls import reverse

from supervisione.census.tests import factories as census_factories
from supervisione.planning import actions
from supervisione.planning.models import FnpsQuota, GroupKind
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
    FnpsQuota.objects.create(ambito=world.maglie, year=2023, amount=D("29297.33"))
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
    assert fnps_line.fnps_quotas == [("Ambito di Maglie", D("29297.33"))]
    assert f"other:{other.pk}" not in lines  # a source no group uses is not a cost line
    assert page.total_cost == D("2360.00")


def test_it_counts_other_years_and_warns_when_a_source_is_overspent(world: World) -> None:
    plan = factories.ready_plan(world)
    actions.submit_plan(plan, expected=plan.lock_version, by=world.coordinator)
    actions.approve_plan(plan, expected=plan.lock_version, by=world.coordinator)
    ContractFunding.objects.filter(measure="pnrr_114").update(amount=D(3000))
    later = actions.create_plan(world.partnership, 2026, by=world.coordinator)
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


def test_it_shows_what_the_fnps_quota_adds_on_the_plan_page(world: World, client_for: Any) -> None:
    plan = factories.ready_plan(world, social_workers={"PUG_MAGLIE": 20})
    FnpsQuota.objects.create(ambito=world.casarano, year=2023, amount=D("29297.33"))
    FnpsQuota.objects.create(ambito=world.casarano, year=2022, amount=D("14648.66"))
    FnpsQuota.objects.create(ambito=world.casarano, year=2030, amount=D("1"))  # a later year is not offered
    page = plan_page(plan)
    assert page.rates is not None
    assert (page.rates.a1, page.rates.a2) == (D(65), D(60))
    items = {item.label: item.result for item in page.what_ifs}
    assert set(items) == {"Ambito di Casarano, FNPS 2023", "Ambito di Casarano, FNPS 2022", "Tutte le quote insieme"}
    assert items["Ambito di Casarano, FNPS 2023"].extra_a1_hours == D("450.5")  # every AS already in a group
    assert items["Tutte le quote insieme"].total_hours == D(676)
    html = client_for("coordinator").get(plan.get_absolute_url()).content.decode()
    assert "Cofinanziamento con la quota FNPS" in html
    assert "43.945,99 €" in html


def test_it_simulates_the_san_severo_cofinancing_at_the_regions_rates(world: World, client_for: Any) -> None:
    factories.contract(world)  # Puglia's only contract: 65 and 60 EUR/h
    campaign = census_factories.campaign(world.sansevero_partnership)
    census = campaign.censuses.get()
    for number in range(1, 24):
        census_factories.position(census, census_factories.person(500 + number))
    FnpsQuota.objects.create(ambito=world.sansevero, year=2023, amount=D("19740.00"), fnps_allocation=D("658000.00"))
    client = client_for("outsider")
    assert client.get(reverse("planning:fnps", args=["SANSEVERO-114"])).status_code == 404
    client.force_login(world.admin)
    html = client.get(reverse("planning:fnps", args=["SANSEVERO-114"])).content.decode()
    assert "media delle tariffe dei contratti in corso nella regione (1 contratto)" in html
    assert "(quota 3 %)" in html
    assert "Servono 2 nuovi gruppi per 23 assistenti sociali oggi senza gruppo (62 ore A1 e A2)." in html
    assert "Restano 244 ore A1 in più per i gruppi." in html
    # Other rates, typed the Italian way; bad ones get a message and no figures.
    html = client.get(reverse("planning:fnps", args=["SANSEVERO-114"]), {"a1_rate": "70,00", "a2_rate": "60"}).content
    assert "a 70,00 €/h per A1" in html.decode()
    html = client.get(reverse("planning:fnps", args=["SANSEVERO-114"]), {"a1_rate": "zero", "a2_rate": "60"}).content
    assert "Cosa aggiunge" not in html.decode()
    assert "is-invalid" in html.decode()


def test_it_records_an_fnps_quota_once_per_ambito_and_year(world: World, client_for: Any) -> None:
    client = client_for("referent")
    url = reverse("planning:fnps_create", args=["POGGIARDO-114"])
    data = {
        "ambito": world.maglie.pk,
        "year": "2023",
        "amount": "29.297,33",
        "fnps_allocation": "",
        "act": "",
        "note": "",
    }
    assert client.post(url, data).status_code == 302
    quota = FnpsQuota.objects.get()
    assert (quota.ambito, quota.amount) == (world.maglie, D("29297.33"))
    response = client.post(url, data)
    assert "Per questo ATS e questo anno la quota FNPS è già registrata: modificala." in response.content.decode()
    response = client.post(url, {**data, "year": "2024", "fnps_allocation": "100"})
    assert "Il riparto FNPS dell&#x27;ATS non può essere inferiore alla quota." in response.content.decode()
    # A referent records only their own ATS's quota.
    response = client.post(url, {**data, "ambito": world.casarano.pk, "year": "2024"})
    assert "Scegli un&#x27;opzione valida" in response.content.decode()
    assert FnpsQuota.objects.count() == 1


def test_it_keeps_a_funding_source_that_a_plan_charges_its_hours_to(world: World, client_for: Any) -> None:
    plan = factories.ready_plan(world)
    funding = plan.groups.first().funding  # type: ignore[union-attr]
    assert funding is not None
    url = reverse("procurement:funding_delete", args=[funding.contract_id, funding.pk])
    response = client_for("coordinator").post(url, follow=True)
    assert (
        "finanzia le ore di un piano annuale (POA): cambia prima la fonte dei suoi gruppi." in response.content.decode()
    )
    assert ContractFunding.objects.filter(pk=funding.pk).exists()
