"""The partnership's agreements on the FNPS quotas: recorded, changed and deleted by its coordinator with quotas
adding up to exactly 100 %, read by the referents of its ATS, invisible to anyone else; and the FNPS funding row
that names the ATS whose quota pays."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from django.utils.html import escape

from supervisione.audit.models import AuditEntry
from supervisione.audit.queries import history_for
from supervisione.procurement import actions
from supervisione.procurement.models import AgreementShare, Contract, ContractFunding, FundingAgreement
from supervisione.procurement.payers import check_funding
from supervisione.procurement.tests.conftest import Records
from supervisione.testing import factories
from supervisione.testing.world import World

D = Decimal


def form(world: World, **changes: Any) -> dict[str, Any]:
    data = {
        "contract": "",
        "act": "Convenzione tra gli ATS",
        "number": "12",
        "act_date": "2026-06-20",
        "valid_from": "2026-07-01",
        "valid_to": "",
        "note": "",
        f"quota_{world.poggiardo.pk}": "35,72",
        f"quota_{world.maglie.pk}": "32,14",
        f"quota_{world.casarano.pk}": "32,14",
    }
    data.update(changes)
    return data


def shares_of(agreement: FundingAgreement) -> dict[str, Decimal]:
    return {share.ambito.code: share.percent for share in agreement.shares.select_related("ambito")}


def test_the_coordinator_records_an_agreement_with_quotas_for_a_contract(
    world: World, records: Records, client_for: Any
) -> None:
    client = client_for("coordinator")
    url = reverse("procurement:agreement_create", args=["POGGIARDO-114"])
    page = client.get(url, {"contratto": records.contract.pk}).content.decode()
    assert "Quota di Ambito di Maglie (%)" in page
    assert f'<option value="{records.contract.pk}" selected>' in page
    response = client.post(url, form(world, contract=records.contract.pk))
    agreement = FundingAgreement.objects.get()
    assert response.status_code == 302
    assert response["Location"] == agreement.get_absolute_url()
    assert (agreement.contract, str(agreement), agreement.valid_to) == (
        records.contract,
        "Convenzione tra gli ATS n. 12 del 20/06/2026",
        None,
    )
    assert shares_of(agreement) == {"PUG_POGGIARDO": D("35.72"), "PUG_MAGLIE": D("32.14"), "PUG_CASARANO": D("32.14")}
    codes = list(history_for(agreement).values_list("code", "partnership_id"))
    assert codes == [
        ("procurement.fundingagreement.shares_set", world.partnership.pk),
        ("procurement.fundingagreement.created", world.partnership.pk),
    ]
    detail = client.get(agreement.get_absolute_url()).content.decode()
    assert "35,72 %" in detail
    assert "Ambito di Casarano" in detail
    assert "Quote di riparto" in detail
    # The contract page shows it, and the partnership page links to the list.
    contract_page = client.get(records.contract.get_absolute_url()).content.decode()
    assert "Convenzione tra gli ATS n. 12 del 20/06/2026" in contract_page
    assert (
        reverse("procurement:agreement_list", args=["POGGIARDO-114"])
        in client.get(reverse("territory:partnership_detail", args=["POGGIARDO-114"])).content.decode()
    )


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"quota_POGGIARDO": "35,71"}, "Le quote sommano a 99,99 %: devono fare esattamente 100 %."),
        ({"quota_POGGIARDO": "", "quota_MAGLIE": "", "quota_CASARANO": ""}, "Indica la quota di riparto di almeno"),
        ({"quota_MAGLIE": "0", "quota_POGGIARDO": "67,86"}, "La quota di Ambito di Maglie deve essere maggiore di 0"),
        ({"quota_MAGLIE": "-32,14"}, "La quota di Ambito di Maglie deve essere maggiore di 0"),
        ({"quota_MAGLIE": "32,145"}, "2 cifre decimali"),
        ({"quota_MAGLIE": "trentadue"}, "«trentadue» non è un numero"),
        ({"quota_MAGLIE": "1000"}, "non vi siano più di 3 cifre prima della virgola"),
        ({"valid_to": "2026-06-30"}, "La fine della validità non può precedere l'inizio."),
        ({"act": ""}, "Questo campo è obbligatorio."),
        ({"valid_from": "31/02/2026"}, "Inserisci una data valida."),
        ({"contract": "99999999"}, "Scegli un&#x27;opzione valida."),
    ],
)
def test_it_refuses_bad_agreements_and_writes_nothing(
    world: World, client_for: Any, changes: dict[str, str], message: str
) -> None:
    codes = {"quota_POGGIARDO": world.poggiardo, "quota_MAGLIE": world.maglie, "quota_CASARANO": world.casarano}
    data = form(world, **{f"quota_{codes[k].pk}" if k in codes else k: v for k, v in changes.items()})
    response = client_for("coordinator").post(reverse("procurement:agreement_create", args=["POGGIARDO-114"]), data)
    assert response.status_code == 200
    assert escape(message) in response.content.decode() or message in response.content.decode()
    assert not FundingAgreement.objects.exists()
    assert not AgreementShare.objects.exists()


def test_it_refuses_a_second_agreement_for_the_same_contract_and_period(world: World, client_for: Any) -> None:
    first = factories.agreement(world.partnership, valid_from=datetime.date(2026, 7, 1))
    url = reverse("procurement:agreement_create", args=["POGGIARDO-114"])
    response = client_for("coordinator").post(url, form(world, valid_from="2027-01-01"))
    assert f"è già in vigore nello stesso periodo l&#x27;accordo «{escape(str(first))}»" in response.content.decode()
    # Before it, it is another period: allowed, until the first starts.
    assert client_for("coordinator").post(url, form(world, valid_from="2026-01-01", valid_to="2026-06-30")).status_code
    assert FundingAgreement.objects.count() == 2


def test_the_action_refuses_quotas_that_do_not_add_up_or_ats_outside_the_partnership(world: World) -> None:
    agreement = FundingAgreement(
        partnership=world.partnership,
        act="Convenzione",
        act_date=datetime.date(2026, 6, 1),
        valid_from=datetime.date(2026, 7, 1),
    )
    with pytest.raises(actions.AgreementError, match="sommano a 90 %"):
        actions.save_agreement(agreement, {world.poggiardo: D(50), world.maglie: D(40)}, by=world.coordinator)
    with pytest.raises(actions.AgreementError, match="Ambito Alto Tavoliere non fa parte del partenariato"):
        actions.save_agreement(agreement, {world.poggiardo: D(50), world.sansevero: D(50)}, by=world.coordinator)
    assert not FundingAgreement.objects.exists()


def test_the_coordinator_changes_the_quotas_and_the_log_says_how(world: World, client_for: Any) -> None:
    agreement = factories.agreement(world.partnership)
    client = client_for("coordinator")
    url = reverse("procurement:agreement_edit", args=["POGGIARDO-114", agreement.pk])
    page = client.get(url).content.decode()
    assert 'value="50,00"' in page
    data = form(world, lock_version=agreement.lock_version)
    data.update(
        {f"quota_{world.poggiardo.pk}": "60", f"quota_{world.maglie.pk}": "40", f"quota_{world.casarano.pk}": ""}
    )
    data.update({"act": "Convenzione tra gli ATS", "valid_from": "2025-01-01", "act_date": "2024-12-10", "number": ""})
    assert client.post(url, data).status_code == 302
    assert shares_of(agreement) == {"PUG_POGGIARDO": D(60), "PUG_MAGLIE": D(40)}
    entry = AuditEntry.objects.filter(code="procurement.fundingagreement.shares_set").latest("pk")
    assert entry.changes["shares"] == {
        "label": "quote di riparto",
        "old": "Ambito di Casarano 50 %; Ambito di Poggiardo 50 %",
        "new": "Ambito di Maglie 40 %; Ambito di Poggiardo 60 %",
    }


def test_the_coordinator_deletes_an_agreement_and_others_cannot(world: World, client_for: Any) -> None:
    agreement = factories.agreement(world.partnership)
    url = reverse("procurement:agreement_delete", args=["POGGIARDO-114", agreement.pk])
    assert client_for("referent").post(url).status_code == 403
    assert client_for("outsider").post(url).status_code == 404
    assert client_for("coordinator").get(url).status_code == 405
    response = client_for("coordinator").post(url)
    assert response["Location"] == reverse("procurement:agreement_list", args=["POGGIARDO-114"])
    assert not FundingAgreement.objects.exists()
    assert not AgreementShare.objects.exists()
    assert AuditEntry.objects.filter(code="procurement.fundingagreement.deleted").exists()


@pytest.mark.parametrize(
    ("persona", "read", "write"),
    [
        ("admin", 200, 200),
        ("coordinator", 200, 200),
        ("referent", 200, 403),  # of Maglie, a member: reads
        ("supervisor", 403, 403),  # sees the partnership, never its contracts
        ("observer", 403, 403),
        ("outsider", 404, 404),  # coordinator of Treviso: the partnership does not exist for them
        ("nobody", 404, 404),
    ],
)
def test_the_agreement_pages_follow_the_reach_of_contracts(
    world: World, client_for: Any, persona: str, read: int, write: int
) -> None:
    agreement = factories.agreement(world.partnership)
    client = client_for(persona)
    assert client.get(reverse("procurement:agreement_list", args=["POGGIARDO-114"])).status_code == read
    assert client.get(agreement.get_absolute_url()).status_code == read
    assert client.get(reverse("procurement:agreement_create", args=["POGGIARDO-114"])).status_code == write
    assert client.get(reverse("procurement:agreement_edit", args=["POGGIARDO-114", agreement.pk])).status_code == write
    if read == 200:
        page = client.get(agreement.get_absolute_url()).content.decode()
        edit = reverse("procurement:agreement_edit", args=["POGGIARDO-114", agreement.pk])
        assert (edit in page) is (write == 200)


def test_an_agreement_of_another_partnership_is_not_found_under_this_one(world: World, client_for: Any) -> None:
    theirs = factories.agreement(world.treviso_partnership)
    client = client_for("coordinator")
    assert client.get(reverse("procurement:agreement_detail", args=["POGGIARDO-114", theirs.pk])).status_code == 404
    assert client.get(reverse("procurement:agreement_list", args=["NESSUNO-1"])).status_code == 404


# --- The funding row names the ATS that pays ----------------------------------------------------------------


def test_an_fnps_row_names_one_of_the_partnership_ats(world: World, records: Records, client_for: Any) -> None:
    client = client_for("coordinator")
    url = reverse("procurement:funding_add", args=[records.contract.pk])
    page = client.get(url).content.decode()
    assert "ATS che paga" in page
    assert "Ambito di Casarano" in page
    assert "Ambito Alto Tavoliere" not in page  # not a member
    data = {"measure": "fnps", "amount": "1000", "year": "2027", "cup": "", "note": ""}
    missing = client.post(url, data).content.decode()
    assert "La quota FNPS è di un ATS: indica quale ATS paga." in missing
    outsider = client.post(url, {**data, "ambito": world.sansevero.pk}).content.decode()
    assert "Scegli un&#x27;opzione valida" in outsider
    assert client.post(url, {**data, "ambito": world.casarano.pk}).status_code == 302
    row = ContractFunding.objects.get(contract=records.contract, measure="fnps")
    assert (row.ambito, str(row)) == (world.casarano, "FNPS - quota supervisione · 2027 · Ambito di Casarano")
    # Other sources may leave it empty.
    other = {"measure": "other", "amount": "100", "year": "", "cup": "", "note": "Comune"}
    assert client.post(url, other).status_code == 302


def test_the_form_asks_which_ats_pays_for_a_row_the_migration_gave_the_capofila(
    world: World, records: Records, client_for: Any
) -> None:
    row = ContractFunding.objects.create(
        contract=records.contract, measure="fnps", amount=D(1000), year=2027, ambito=world.poggiardo
    )
    ContractFunding.objects.filter(pk=row.pk).update(payer_to_confirm=True)
    client = client_for("coordinator")
    assert "da confermare" in client.get(records.contract.get_absolute_url()).content.decode()
    url = reverse("procurement:funding_edit", args=[records.contract.pk, row.pk])
    page = client.get(url).content.decode()
    assert "Attribuita d&#x27;ufficio all&#x27;ATS capofila (Ambito di Poggiardo)" in page
    assert f'<option value="{world.poggiardo.pk}" selected>' not in page
    data = {"measure": "fnps", "amount": "1000", "year": "2027", "cup": "", "note": "", "lock_version": 0}
    assert "indica quale ATS paga" in client.post(url, data).content.decode()
    assert client.post(url, {**data, "ambito": world.maglie.pk}).status_code == 302
    row.refresh_from_db()
    assert (row.ambito, row.payer_to_confirm) == (world.maglie, False)
    assert "da confermare" not in client.get(records.contract.get_absolute_url()).content.decode()


def test_an_ats_contract_offers_its_own_ats(world: World, client_for: Any) -> None:
    contract = Contract.objects.create(ambito=world.maglie, title="Affidamento di Maglie", procedure="direct")
    page = client_for("coordinator").get(reverse("procurement:funding_add", args=[contract.pk])).content.decode()
    assert f'<option value="{world.maglie.pk}" selected>' in page
    assert "Ambito di Casarano" not in page


def test_check_funding_reads_the_agreement_in_force_for_the_contract(world: World, records: Records) -> None:
    row = ContractFunding.objects.create(
        contract=records.contract, measure="fnps", amount=D(1000), year=2027, ambito=world.poggiardo
    )
    people = {world.poggiardo.pk: 5, world.maglie.pk: 3}
    year = (datetime.date(2027, 1, 1), datetime.date(2027, 12, 31))
    refused = check_funding(row, people, *year)
    assert not refused.allowed
    assert "ci sono anche 3 persone di Ambito di Maglie" in refused.message
    factories.agreement(
        world.partnership,
        {world.poggiardo: D(60), world.maglie: D(40)},
        valid_from=datetime.date(2027, 3, 1),
    )
    assert not check_funding(row, people, *year).allowed  # not in force from January
    later = check_funding(row, people, datetime.date(2027, 3, 1), datetime.date(2027, 12, 31))
    assert later.allowed
    assert later.shared
    assert "Accordo: Convenzione tra gli ATS del 10/12/2024 (dal 01/03/2027)." in later.message
    assert later.cost_by_ats(D("100.01")) == [("Ambito di Maglie", D("40.00")), ("Ambito di Poggiardo", D("60.01"))]
    # A PNRR row is not bound by the rule.
    assert check_funding(records.funding, people, *year).allowed
    assert check_funding(records.funding, people, *year).message == ""
