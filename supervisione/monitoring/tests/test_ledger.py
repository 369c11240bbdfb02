"""Dashboards show the ledgers' money (committed, liquidated, paid) with the delivered hours x rate beside it as
"maturato": a partnership per ATS, an ATS per allocation, the observatory per ATS of a region or per region."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest

from supervisione.funding.models import FnpsAllocation, LedgerEntry, Stage
from supervisione.procurement.models import ContractFunding
from supervisione.sessions.models import Session

from .conftest import Year

D = Decimal


@pytest.fixture
def books(year: Year) -> Year:
    """The équipe's hours on the FNPS quota 2026 (4 h confirmed x 70 EUR = 280 EUR accrued); Casarano's
    allocation with a commitment, a liquidation and a payment, and a liquidation after the day of reading;
    Maglie's allocation without acts."""
    cal = year.cal
    fnps = ContractFunding.objects.create(
        contract=cal.contract, measure="fnps", amount=D(5000), year=2026, ambito=cal.world.casarano
    )
    cal.equipe_group.funding = fnps
    cal.equipe_group.save(update_fields=["funding"])
    Session.objects.filter(group=cal.equipe_group).update(funding=fnps)
    world = cal.world
    allocation = FnpsAllocation.objects.create(ambito=world.casarano, first_year=2026, last_year=2026, amount=D(10000))
    FnpsAllocation.objects.create(ambito=world.maglie, first_year=2026, last_year=2026, amount=D(8000))

    def act(stage: str, number: str, day: str, amount: str, parent: LedgerEntry | None = None) -> LedgerEntry:
        return LedgerEntry.objects.create(
            ambito=world.casarano,
            allocation=allocation,
            stage=stage,
            act_number=number,
            date=datetime.date.fromisoformat(day),
            amount=D(amount),
            contract=cal.contract,
            parent=parent,
        )

    commitment = act(Stage.COMMITTED, "45/2026", "2026-02-01", "5000")
    liquidation = act(Stage.LIQUIDATED, "L-1/2026", "2026-06-30", "1500", commitment)
    act(Stage.PAID, "M-1/2026", "2026-07-15", "1500", liquidation)
    act(Stage.LIQUIDATED, "L-2/2026", "2026-11-05", "700", commitment)  # after the day of reading
    return year


def table(client: Any, url: str) -> list[list[str]]:
    response = client.get(url, {"anno": "2026", "tabella": "contabilita-fnps", "formato": "csv"})
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return [line.split(";") for line in text.strip().splitlines()]


def test_the_partnership_shows_each_ats_ledger_and_what_the_hours_accrued(
    books: Year, on_today: datetime.date, client_for: Any
) -> None:
    client = client_for("coordinator")
    rows = table(client, "/monitoraggio/partenariati/POGGIARDO-114/")
    assert rows[0][0] == "ATS"
    body = {row[0]: row[1:] for row in rows[1:]}
    assert body["Ambito di Casarano"] == ["10000,00", "0,00", "5000,00", "1500,00", "1500,00", "5000,00", ""]
    assert body["Ambito di Maglie"] == ["8000,00", "0,00", "0,00", "0,00", "0,00", "8000,00", ""]
    assert body["Totale"] == ["18000,00", "0,00", "5000,00", "1500,00", "1500,00", "13000,00", "280,00"]
    html = client.get("/monitoraggio/partenariati/POGGIARDO-114/", {"anno": "2026"}).content.decode()
    assert "pagati con mandato su 5.000,00 € impegnati (contabilità FNPS a oggi); maturati 280,00 €" in html
    assert "Maturato per fonte di finanziamento" in html
    # Supervisors read no money.
    assert (
        "Contabilità FNPS"
        not in client_for("supervisor").get("/monitoraggio/partenariati/POGGIARDO-114/").content.decode()
    )


def test_the_ats_shows_its_allocations_and_observers_the_ats_or_the_regions(
    books: Year, on_today: datetime.date, client_for: Any
) -> None:
    rows = table(client_for("coordinator"), "/monitoraggio/ats/PUG_CASARANO/")
    assert [row[0] for row in rows] == ["Stanziamento", "FNPS 2026", "Totale"]
    regional = table(client_for("observer"), "/monitoraggio/osservatorio/")
    assert [row[0] for row in regional] == ["ATS", "Ambito di Casarano", "Ambito di Maglie", "Totale"]
    national = table(client_for("national_observer"), "/monitoraggio/osservatorio/")
    assert [row[0] for row in national] == ["Regione", "Puglia", "Totale"]
    assert national[1][3] == "5000,00"
