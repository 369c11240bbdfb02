"""The funds page of an ATS and its forms, through the HTTP client: who sees what, who changes what, the
refusals of the ledger in Italian with nothing written, the audit codes, and a constant number of queries."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from supervisione.audit.models import AuditEntry
from supervisione.funding import actions
from supervisione.funding.models import FnpsAllocation, LedgerEntry, Stage
from supervisione.planning import actions as planning_actions
from supervisione.procurement.models import Contract
from supervisione.testing import factories
from supervisione.testing.world import PERSONAS, World

D = Decimal
PERSONA_NAMES = [name for name, _role, _where in PERSONAS]


@dataclass
class Books:
    allocation: FnpsAllocation  # Maglie, 2023-2024, 10,000 EUR
    contract: Contract
    commitment: LedgerEntry  # 6,000
    liquidation: LedgerEntry  # 2,000 of it
    payment: LedgerEntry  # 2,000


@pytest.fixture
def books(world: World) -> Books:
    allocation = FnpsAllocation.objects.create(
        ambito=world.maglie,
        first_year=2023,
        last_year=2024,
        amount=D(10000),
        decree_number="A.D. n. 538/2023",
        decree_date=datetime.date(2023, 12, 20),
        plan_row="PdZ 2022-2024, riga 2023",
    )
    contract = factories.contract(world.partnership, title="Convenzione Aurora", cig="B123456789")
    by = world.referent
    commitment = actions.save_entry(
        LedgerEntry(
            allocation=allocation,
            stage=Stage.COMMITTED,
            amount=D(6000),
            date=datetime.date(2024, 2, 1),
            act_number="45/2024",
            contract=contract,
        ),
        by=by,
    )
    liquidation = actions.save_entry(
        LedgerEntry(
            allocation=allocation,
            stage=Stage.LIQUIDATED,
            amount=D(2000),
            date=datetime.date(2024, 4, 25),
            act_number="L-7/2024",
            parent=commitment,
        ),
        by=by,
    )
    payment = actions.save_entry(
        LedgerEntry(
            allocation=allocation,
            stage=Stage.PAID,
            amount=D(2000),
            date=datetime.date(2024, 5, 10),
            act_number="M-1107/2024",
            parent=liquidation,
        ),
        by=by,
    )
    return Books(allocation, contract, commitment, liquidation, payment)


def page(client: Any, code: str = "PUG_MAGLIE") -> tuple[int, str]:
    response = client.get(reverse("funding:ambito_funds", args=[code]))
    return response.status_code, response.content.decode()


# --- Who sees what --------------------------------------------------------------------------------------------


def test_it_shows_each_persona_what_the_scope_allows(books: Books, client_for: Any) -> None:
    seen = {persona: page(client_for(persona)) for persona in PERSONA_NAMES}
    # The supervisee is of Casarano (Maglie is not theirs); the outsider and users without roles see nothing.
    assert {persona: status for persona, (status, _html) in seen.items()} == {
        "admin": 200,
        "coordinator": 200,
        "referent": 200,
        "supervisor": 200,
        "supervisee": 404,
        "observer": 200,
        "national_observer": 200,
        "outsider": 404,
        "nobody": 404,
    }
    for persona in ("admin", "coordinator", "referent"):
        html = seen[persona][1]
        assert "Impegno n. 45/2024 del 01/02/2024" in html, persona
        assert "Convenzione Aurora" in html, persona
        assert "Storico delle modifiche" in html, persona
    for persona in ("supervisor", "observer", "national_observer"):
        html = seen[persona][1]
        assert "Solo i totali" in html, persona
        assert "45/2024" not in html, persona
        assert "Convenzione Aurora" not in html, persona
        assert "A.D. n. 538/2023" not in html, persona
        assert "Storico delle modifiche" not in html, persona
        assert "4.000,00 €" in html, persona  # the residual: 10,000 - 6,000
    # The ATS keeps its ledger; the capofila's coordinator reads it.
    assert "Registra un impegno" in seen["referent"][1]
    assert "Registra un impegno" in seen["admin"][1]
    assert "Registra un impegno" not in seen["coordinator"][1]
    assert "Consultazione: la contabilità è dell'ATS" in seen["coordinator"][1]


def test_the_capofilas_coordinator_keeps_the_capofilas_ledger(world: World, client_for: Any) -> None:
    status, html = page(client_for("coordinator"), "PUG_POGGIARDO")
    assert status == 200
    assert "Registra uno stanziamento" in html
    status, html = page(client_for("referent"), "PUG_POGGIARDO")
    assert status == 404  # a partner's referent sees its own ATS only


def test_it_lets_only_who_keeps_the_ledger_change_it(books: Books, world: World, client_for: Any) -> None:
    url = reverse("funding:allocation_create", args=["PUG_MAGLIE"])
    data = {"first_year": "2025", "last_year": "2025", "amount": "9.000,00"}
    answers = {persona: client_for(persona).post(url, data).status_code for persona in PERSONA_NAMES}
    assert answers == {
        "admin": 302,
        "coordinator": 403,
        "referent": 200,  # may: refused only because the administrator recorded it first
        "supervisor": 403,
        "supervisee": 404,
        "observer": 403,
        "national_observer": 403,
        "outsider": 404,
        "nobody": 404,
    }
    assert FnpsAllocation.objects.filter(ambito=world.maglie, first_year=2025).count() == 1
    for name, args in (
        ("entry_edit", [books.commitment.pk]),
        ("entry_delete", [books.payment.pk]),
        ("allocation_delete", [books.allocation.pk]),
        ("ledger_import", []),
    ):
        target = reverse(f"funding:{name}", args=["PUG_MAGLIE", *args])
        assert client_for("coordinator").post(target, {}).status_code == 403, name
        assert client_for("observer").post(target, {}).status_code == 403, name
        assert client_for("outsider").post(target, {}).status_code == 404, name
    assert LedgerEntry.objects.count() == 3


# --- Allocations ----------------------------------------------------------------------------------------------


def test_it_records_a_two_year_allocation_once_and_refuses_to_double_it(world: World, client_for: Any) -> None:
    client = client_for("referent")
    url = reverse("funding:allocation_create", args=["PUG_MAGLIE"])
    data = {
        "first_year": "2023",
        "last_year": "2024",
        "amount": "29.297,33",
        "decree_number": "A.D. n. 538/2023",
        "decree_date": "2023-12-20",
        "plan_row": "PdZ 2022-2024, riga «2023»",
        "spend_until": "2026",
    }
    assert client.post(url, data).status_code == 302
    allocation = FnpsAllocation.objects.get(ambito=world.maglie)
    assert (allocation.years_text, allocation.amount, allocation.per_year) == (
        "2023-2024",
        D("29297.33"),
        D("14648.66"),
    )
    entry = AuditEntry.objects.get(code="funding.fnpsallocation.created")
    assert entry.ambito_id == world.maglie.pk
    # The second year again, alone: refused, nothing written.
    html = client.post(url, {**data, "first_year": "2024", "last_year": "2024"}).content.decode()
    assert "Lo stanziamento FNPS 2023-2024 di questo ATS copre già uno di questi anni" in html
    html = client.post(url, {**data, "first_year": "2022", "last_year": "2025"}).content.decode()
    assert "Uno stanziamento copre al massimo 3 annualità" in html
    html = client.post(url, {**data, "first_year": "2025", "last_year": "2024"}).content.decode()
    assert "L&#x27;ultima annualità non può precedere la prima." in html
    html = client.post(url, {**data, "first_year": "2026", "last_year": "2026", "spend_until": "2025"}).content
    assert "Lo stanziamento non può essere spendibile solo prima della sua annualità." in html.decode()
    html = client.post(url, {**data, "first_year": "2026", "last_year": "2026", "amount": "dieci"}).content.decode()
    assert "«dieci» non è un numero" in html
    assert FnpsAllocation.objects.count() == 1
    # The funds page says what the allocation is.
    html = page(client)[1]
    assert "Stanziamento FNPS 2023-2024 · 29.297,33 €" in html
    assert "2 annualità insieme (14.648,66 € l'anno)" in html
    assert "Spendibile dal 2023 al 2026" in html


def test_it_refuses_an_allocation_below_what_is_committed_and_keeps_one_with_acts(
    books: Books, client_for: Any
) -> None:
    client = client_for("referent")
    url = reverse("funding:allocation_edit", args=["PUG_MAGLIE", books.allocation.pk])
    data = {
        "first_year": "2023",
        "last_year": "2024",
        "amount": "5.000",
        "lock_version": books.allocation.lock_version,
    }
    html = client.post(url, data).content.decode()
    assert (
        "Lo stanziamento FNPS 2023-2024 risulterebbe impegnato per 6.000,00 €: 1.000,00 € oltre l&#x27;importo "
        "stanziato di 5.000,00 €." in html
    )
    books.allocation.refresh_from_db()
    assert books.allocation.amount == D(10000)
    response = client.post(reverse("funding:allocation_delete", args=["PUG_MAGLIE", books.allocation.pk]), follow=True)
    assert "ha atti registrati" in response.content.decode()
    assert FnpsAllocation.objects.filter(pk=books.allocation.pk).exists()


def test_it_deletes_an_allocation_without_acts(world: World, client_for: Any) -> None:
    allocation = factories.fnps_allocation(world.maglie, 2026)
    client_for("referent").post(reverse("funding:allocation_delete", args=["PUG_MAGLIE", allocation.pk]))
    assert not FnpsAllocation.objects.filter(pk=allocation.pk).exists()
    assert AuditEntry.objects.filter(code="funding.fnpsallocation.deleted", ambito=world.maglie).exists()


# --- Acts of the ledger ---------------------------------------------------------------------------------------


def _entry_url(books: Books, stage: str) -> str:
    return reverse("funding:entry_create", args=["PUG_MAGLIE", books.allocation.pk, stage])


def test_it_commits_liquidates_and_pays_with_their_codes(books: Books, world: World, client_for: Any) -> None:
    client = client_for("referent")
    data = {"act_number": " 46 / 2024 ", "date": "2024-03-01", "amount": "4.000", "contract": books.contract.pk}
    assert client.post(_entry_url(books, "impegno"), data).status_code == 302
    commitment = LedgerEntry.objects.get(act_number="46 / 2024")
    assert (commitment.ambito, commitment.contract, commitment.created_by) == (
        world.maglie,
        books.contract,
        world.referent,
    )
    # A liquidation page opened from the commitment's row has it chosen.
    html = client.get(_entry_url(books, "liquidazione") + f"?atto={commitment.pk}").content.decode()
    assert f'<option value="{commitment.pk}" selected>' in html
    data = {"parent": commitment.pk, "act_number": "L-8/2024", "date": "2024-06-30", "amount": "1.500"}
    assert client.post(_entry_url(books, "liquidazione"), data).status_code == 302
    liquidation = LedgerEntry.objects.get(act_number="L-8/2024")
    assert liquidation.contract == books.contract  # from its commitment
    data = {"parent": liquidation.pk, "act_number": "M-1108/2024", "date": "2024-07-15", "amount": "1.500"}
    assert client.post(_entry_url(books, "mandato"), data).status_code == 302
    codes = set(AuditEntry.objects.filter(ambito=world.maglie).values_list("code", flat=True))
    assert {"funding.commitment.created", "funding.liquidation.created", "funding.payment.created"} <= codes
    html = page(client)[1]
    assert "0,00 €" in html  # nothing left to commit: 6,000 + 4,000 of 10,000


def test_it_refuses_over_commitment_with_a_clear_message_and_writes_nothing(books: Books, client_for: Any) -> None:
    client = client_for("referent")
    before = (LedgerEntry.objects.count(), AuditEntry.objects.count())
    data = {"act_number": "47/2024", "date": "2024-03-01", "amount": "4.000,01", "contract": books.contract.pk}
    html = client.post(_entry_url(books, "impegno"), data).content.decode()
    assert (
        "Lo stanziamento FNPS 2023-2024 risulterebbe impegnato per 10.000,01 €: 0,01 € oltre l&#x27;importo "
        "stanziato di 10.000,00 €. Gli impegni non possono superare lo stanziamento." in html
    )
    data = {"parent": books.commitment.pk, "act_number": "L-9/2024", "date": "2024-06-30", "amount": "4.000,01"}
    html = client.post(_entry_url(books, "liquidazione"), data).content.decode()
    assert "L&#x27;impegno n. 45/2024 del 01/02/2024 risulterebbe liquidato per 6.000,01 €" in html
    data = {"parent": books.liquidation.pk, "act_number": "M-2/2024", "date": "2024-06-30", "amount": "1"}
    html = client.post(_entry_url(books, "mandato"), data).content.decode()
    assert "La liquidazione n. L-7/2024 del 25/04/2024 risulterebbe pagata per 2.001,00 €" in html
    data = {"parent": books.liquidation.pk, "act_number": "M-3/2024", "date": "2024-04-01", "amount": "1"}
    html = client.post(_entry_url(books, "mandato"), data).content.decode()
    assert "precede la liquidazione n. L-7/2024 del 25/04/2024 a cui si riferisce" in html
    data = {"act_number": "45/2024", "date": "2024-03-01", "amount": "1", "contract": books.contract.pk}
    html = client.post(_entry_url(books, "impegno"), data).content.decode()
    assert "Impegno n. 45/2024 del 01/02/2024 è già registrato per questo ATS" in html
    data = {"act_number": "48/2024", "date": "1999-12-31", "amount": "1", "contract": books.contract.pk}
    html = client.post(_entry_url(books, "impegno"), data).content.decode()
    assert "Indica una data tra il 01/01/2000 e il 31/12/2100." in html
    # A contract of another partnership is not a choice.
    outside = factories.contract(world_treviso(), title="Altro")
    data = {"act_number": "49/2024", "date": "2024-03-01", "amount": "1", "contract": outside.pk}
    assert "Scegli un&#x27;opzione valida" in client.post(_entry_url(books, "impegno"), data).content.decode()
    assert (LedgerEntry.objects.count(), AuditEntry.objects.count()) == before
    assert client.get(_entry_url(books, "altro")).status_code == 404


def world_treviso() -> Any:
    return World.load().treviso_partnership


def test_it_edits_an_act_with_its_version_and_refuses_to_lower_it_below_its_liquidations(
    books: Books, client_for: Any
) -> None:
    client = client_for("referent")
    url = reverse("funding:entry_edit", args=["PUG_MAGLIE", books.commitment.pk])
    data = {
        "act_number": "45/2024",
        "date": "2024-02-01",
        "amount": "1.999,99",
        "contract": books.contract.pk,
        "lock_version": books.commitment.lock_version,
    }
    assert "risulterebbe liquidato per 2.000,00 €" in client.post(url, data).content.decode()
    assert client.post(url, {**data, "amount": "7.000"}).status_code == 302
    books.commitment.refresh_from_db()
    assert books.commitment.amount == D(7000)
    assert AuditEntry.objects.filter(code="funding.commitment.updated").exists()


def test_it_deletes_acts_from_the_last_one(books: Books, client_for: Any) -> None:
    client = client_for("referent")
    response = client.post(reverse("funding:entry_delete", args=["PUG_MAGLIE", books.commitment.pk]), follow=True)
    assert "ha liquidazioni registrati che vi si riferiscono: eliminali prima." in response.content.decode()
    client.post(reverse("funding:entry_delete", args=["PUG_MAGLIE", books.payment.pk]))
    assert not LedgerEntry.objects.filter(pk=books.payment.pk).exists()
    assert AuditEntry.objects.filter(code="funding.payment.deleted").exists()


def test_it_programs_from_a_poa_of_the_ats_or_its_partnerships(world: World, books: Books, client_for: Any) -> None:
    plan = planning_actions.create_plan(world.partnership, 2025, by=world.coordinator)
    client = client_for("referent")
    html = client.get(_entry_url(books, "programmazione")).content.decode()
    assert f"POA 2025 di {world.partnership.name}, versione 1 (bozza)" in html
    data = {"plan": plan.pk, "date": "2024-12-15", "amount": "3.000"}
    assert client.post(_entry_url(books, "programmazione"), data).status_code == 302
    entry = LedgerEntry.objects.get(stage=Stage.PROGRAMMED)
    assert (entry.plan, entry.contract, entry.act_number) == (plan, None, "")
    assert "Programmazione nei POA" in page(client)[1]


# --- Queries ----------------------------------------------------------------------------------------------------


def test_it_reads_the_funds_page_in_a_constant_number_of_queries(
    books: Books, world: World, client_for: Any, django_assert_max_num_queries: Any
) -> None:
    client = client_for("referent")
    page(client)
    with django_assert_max_num_queries(25) as few:
        page(client)
    for year in (2025, 2026, 2027):
        allocation = factories.fnps_allocation(world.maglie, year, amount=D(20000))
        for number in range(4):
            commitment = factories.commitment(world.maglie, world.partnership)
            commitment.allocation = allocation
            commitment.save(update_fields=["allocation"])
            LedgerEntry.objects.create(
                ambito=world.maglie,
                allocation=allocation,
                stage=Stage.LIQUIDATED,
                amount=D(100),
                date=datetime.date(2025, 1, 1),
                act_number=f"L-{year}-{number}",
                contract=commitment.contract,
                parent=commitment,
            )
    assert LedgerEntry.objects.count() > 20
    with django_assert_max_num_queries(len(few.captured_queries)):
        status, html = page(client)
    assert status == 200
    assert "Stanziamento FNPS 2027" in html
