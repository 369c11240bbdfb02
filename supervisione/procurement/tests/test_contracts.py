from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from supervisione.audit.models import AuditAction, AuditEntry
from supervisione.meetings.models import Minutes
from supervisione.meetings.tests.factories import sitting
from supervisione.procurement.models import (
    Contract,
    ContractFunding,
    ContractLine,
    ContractStatus,
    Postponement,
    TenderDeadline,
)
from supervisione.procurement.queries import contracts_in_force
from supervisione.procurement.tests.conftest import Records
from supervisione.testing.world import World

ROME = datetime.timezone(datetime.timedelta(hours=2))


def contract_data(**changes: Any) -> dict[str, Any]:
    data = {
        "title": "Gara MePA supervisione",
        "procedure": "mepa",
        "status": "procedure",
        "provider": "",
        "cig": "",
        "cup": "",
        "simog_code": "",
        "mepa_code": "",
        "amount": "",
        "start_date": "",
        "end_date": "",
        "signed_on": "",
        "notes": "",
    }
    data.update(changes)
    return data


def test_it_records_a_tender_with_its_codes(records: Records, world: World, client_for: Any) -> None:
    response = client_for("outsider").post(
        reverse("procurement:contract_create"),
        contract_data(
            tenant=f"p:{world.treviso_partnership.pk}",
            simog_code=" 9030232 ",
            mepa_code="3534973",
            cig="a1b2c3d4e5",
            amount="60.000,00",
        ),
    )
    assert response.status_code == 302
    contract = Contract.objects.get(title="Gara MePA supervisione")
    assert (contract.simog_code, contract.mepa_code, contract.cig) == ("9030232", "3534973", "A1B2C3D4E5")
    assert contract.amount == Decimal("60000.00")
    assert contract.partnership == world.treviso_partnership
    assert contract.provider is None


def test_it_explains_what_a_running_contract_needs(records: Records, world: World, client_for: Any) -> None:
    page = (
        client_for("coordinator")
        .post(
            reverse("procurement:contract_create"),
            contract_data(
                tenant=f"a:{world.maglie.pk}", status="active", cig="123", simog_code="ab", end_date="2024-01-01"
            ),
        )
        .content.decode()
    )
    assert "ha un fornitore: indicalo" in page
    assert "indica inizio e fine" in page
    assert "Il CIG è formato da 10 caratteri alfanumerici" in page
    assert "numero di gara SIMOG" in page
    assert not Contract.objects.filter(title="Gara MePA supervisione").exists()


def test_it_keeps_one_line_per_type_and_reads_italian_numbers(records: Records, client_for: Any) -> None:
    url = reverse("procurement:line_add", args=[records.contract.pk])
    client = client_for("coordinator")
    duplicate = client.post(url, {"kind": "A1", "hourly_rate": "70", "hours": "10"}).content.decode()
    assert "ha già una riga per A1 - gruppo monoprofessionale" in duplicate
    bad = client.post(url, {"kind": "A2", "hourly_rate": "sessanta", "hours": "0"}).content.decode()
    assert "non è un numero" in bad
    assert client.post(url, {"kind": "A2", "hourly_rate": "62,50", "hours": "60"}).status_code == 302
    line = ContractLine.objects.get(contract=records.contract, kind="A2")
    assert line.hourly_rate == Decimal("62.50")
    assert line.amount == Decimal("3750.00")


def test_it_refuses_funding_beyond_the_contract_amount(records: Records, client_for: Any) -> None:
    url = reverse("procurement:funding_add", args=[records.contract.pk])
    client = client_for("coordinator")
    over = client.post(url, {"measure": "fnps", "amount": "5.000,01", "year": "2025"}).content.decode()
    assert "oltre l&#x27;importo del contratto (20.000,00 €)" in over
    no_year = client.post(url, {"measure": "fnps", "amount": "1000"}).content.decode()
    assert "riferita a un&#x27;annualità" in no_year
    assert ContractFunding.objects.filter(contract=records.contract).count() == 1
    maglie = records.member.ambito_id
    assert client.post(url, {"measure": "fnps", "amount": "5000", "year": "2025", "ambito": maglie}).status_code == 302


def test_it_takes_the_contract_cup_for_pnrr_funding(records: Records, client_for: Any) -> None:
    records.contract.cup = "J81H22000130006"
    records.contract.save(update_fields=["cup"])
    records.funding.delete()
    url = reverse("procurement:funding_add", args=[records.contract.pk])
    assert client_for("coordinator").post(url, {"measure": "pnrr_114", "amount": "1000"}).status_code == 302
    assert ContractFunding.objects.get(contract=records.contract).cup == "J81H22000130006"


@pytest.mark.parametrize("due_at", ["0001-01-01T00:00", "9999-12-31T23:59", "1899-12-31T12:00"])
def test_it_refuses_a_deadline_in_an_impossible_year(records: Records, client_for: Any, due_at: str) -> None:
    """Year 1 overflowed in the conversion to UTC (a 500); such a date is a typing error anyway."""
    url = reverse("procurement:deadline_add", args=[records.contract.pk])
    before = TenderDeadline.objects.count()
    response = client_for("coordinator").post(url, {"kind": "offers", "description": "Offerte", "due_at": due_at})
    assert response.status_code == 200
    assert "Indica una data tra il 01/01/1900 e il 31/12/2199." in response.content.decode()
    assert TenderDeadline.objects.count() == before


def test_it_postpones_a_deadline_keeping_the_original_and_the_reason(records: Records, client_for: Any) -> None:
    client = client_for("coordinator")
    response = client.post(
        reverse("procurement:deadline_add", args=[records.contract.pk]),
        {"kind": "offers", "description": "Offerte su MePA", "due_at": "2023-05-19T12:00"},
    )
    assert response.status_code == 302
    deadline = TenderDeadline.objects.get(description="Offerte su MePA")
    assert deadline.original_due_at == deadline.due_at
    url = reverse("procurement:deadline_postpone", args=[records.contract.pk, deadline.pk])
    earlier = client.post(url, {"new_due_at": "2023-05-18T12:00", "reason": "x"}).content.decode()
    assert "Una proroga sposta il termine più avanti: quello in vigore è il 19/05/2023 12:00" in earlier
    no_reason = client.post(url, {"new_due_at": "2023-05-26T23:59", "reason": "   "}).content.decode()
    assert "Indica il motivo della proroga" in no_reason
    assert not Postponement.objects.exists()
    done = client.post(
        url, {"new_due_at": "2023-05-26T23:59", "reason": "Malfunzionamenti della piattaforma", "act": "Avviso"}
    )
    assert done.status_code == 302
    deadline.refresh_from_db()
    assert timezone.localtime(deadline.due_at).strftime("%d/%m/%Y %H:%M") == "26/05/2023 23:59"
    assert timezone.localtime(deadline.original_due_at).strftime("%d/%m/%Y %H:%M") == "19/05/2023 12:00"
    postponement = Postponement.objects.get()
    assert postponement.reason == "Malfunzionamenti della piattaforma"
    entry = AuditEntry.objects.filter(action=AuditAction.ACTION).latest("at")
    assert entry.message == "Proroga: Malfunzionamenti della piattaforma"
    assert entry.partnership_id == records.contract.partnership_id
    page = client.get(records.contract.get_absolute_url()).content.decode()
    assert "Dal 19/05/2023 12:00 al 26/05/2023 23:59: Malfunzionamenti della piattaforma (Avviso)" in page


def test_it_keeps_co_design_dates_in_order(records: Records, client_for: Any) -> None:
    client = client_for("coordinator")
    table_url = reverse("procurement:codesign_edit", args=[records.contract.pk])
    early = client.post(
        table_url, {"opened_on": "2024-10-23", "proposal_approved_on": "2024-10-01", "proposal_title": ""}
    ).content.decode()
    assert "prima dell&#x27;apertura del tavolo" in early
    assert "Indica quale proposta è stata approvata" in early
    sitting(records.table, datetime.date(2025, 1, 14), "Seduta conclusiva")
    approved = client.post(
        table_url,
        {
            "opened_on": "2024-10-23",
            "proposal_approved_on": "2025-01-14",
            "proposal_title": "Proposta Aurora",
            "lock_version": records.table.lock_version,  # the version the edit page rendered
        },
    )
    assert approved.status_code == 302
    page = client.get(records.contract.get_absolute_url()).content.decode()
    assert "Proposta approvata il 14/01/2025" in page
    # The sitting held on the day of the approval is the final one.
    assert '14/01/2025 · Seduta conclusiva</a> <span class="badge bg-primary">seduta conclusiva</span>' in page


def test_it_has_no_co_design_table_for_a_tender(records: Records, world: World, client_for: Any) -> None:
    tender = Contract.objects.create(partnership=world.partnership, title="Gara", procedure="mepa", status="procedure")
    assert client_for("coordinator").get(reverse("procurement:codesign_edit", args=[tender.pk])).status_code == 404
    assert client_for("coordinator").get(reverse("procurement:member_add", args=[tender.pk])).status_code == 404


def test_it_shows_bought_hours_and_no_usage_before_any_session(records: Records, client_for: Any) -> None:
    ContractLine.objects.create(contract=records.contract, kind="A3", hourly_rate=Decimal(70), hours=Decimal(18))
    page = client_for("referent").get(records.contract.get_absolute_url()).content.decode()
    assert "4.160,00 €" in page  # 64 h x 65 EUR
    assert "1.260,00 €" in page  # 18 h x 70 EUR
    assert "5.420,00 €" in page  # total of the lines
    assert "14.580,00 € non sono ripartiti sulle ore" in page
    assert "5.000,00 € dell'importo non hanno ancora una fonte" in page
    assert "Ore e importi utilizzati" in page
    assert '<td class="text-end">0,00 €</td>' in page  # nothing delivered yet
    assert "Modifica" not in page  # referents read only


def test_it_shows_a_contract_in_a_constant_number_of_queries(
    records: Records, client_for: Any, django_assert_max_num_queries: Any
) -> None:
    client = client_for("coordinator")
    url = records.contract.get_absolute_url()
    client.get(url)
    with django_assert_max_num_queries(30) as few:
        client.get(url)
    for index in range(5):
        made = sitting(records.table, datetime.date(2024, 11, index + 1), f"S{index}")
        Minutes.objects.create(meeting=made)
        deadline = TenderDeadline.objects.create(
            contract=records.contract,
            kind="other",
            description=f"Scadenza {index}",
            original_due_at=timezone.now(),
            due_at=timezone.now() + datetime.timedelta(days=1),
        )
        Postponement.objects.create(
            deadline=deadline,
            previous_due_at=deadline.original_due_at,
            new_due_at=deadline.due_at,
            reason="Motivo",
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(url).content.decode()
    assert "Scadenza 4" in page
    assert "01/11/2024 · S0" in page
    assert "05/11/2024 · S4" in page


ON = datetime.date(2025, 6, 1)


def test_it_gives_the_plan_the_contracts_in_force_with_their_rates(records: Records, world: World) -> None:
    Contract.objects.create(
        partnership=world.partnership, title="Gara chiusa", procedure="mepa", status=ContractStatus.CANCELLED
    )
    in_force = list(contracts_in_force(world.partnership, ON))
    assert in_force == [records.contract]
    lines = {line.kind: line.hourly_rate for line in in_force[0].lines.all()}
    assert lines == {"A1": Decimal(65)}
    assert list(contracts_in_force(world.partnership, datetime.date(2027, 1, 1))) == []
