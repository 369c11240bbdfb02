"""The ledger's arithmetic with numbers (pure: no database): balances, residuals, two-year allocations, the
refusals and their words."""

from __future__ import annotations

import datetime
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from supervisione.funding import ledger
from supervisione.funding.ledger import COMMITTED, LIQUIDATED, PAID, PROGRAMMED, Allocation, Entry
from supervisione.leps.cofinancing import amount_per_year

D = Decimal
DAY = datetime.date(2025, 3, 12)
CASARANO_2022 = Allocation(1, D("14648.66"), 2022, 2022)
CASARANO_2023_2024 = Allocation(2, D("29297.33"), 2023, 2024)


def entry(key: object, allocation: object, stage: str, amount: str, parent: object = None, **fields: object) -> Entry:
    return Entry(key, allocation, stage, D(amount), fields.pop("day", DAY), str(fields.pop("act", key)), parent)  # type: ignore[arg-type]  # the fields the test gives are typed object


def test_it_keeps_a_two_year_allocation_as_one_with_its_yearly_share() -> None:
    assert (CASARANO_2023_2024.years, CASARANO_2023_2024.label) == (2, "stanziamento FNPS 2023-2024")
    # 29,297.33 / 2 = 14,648.665: down to the cent, as the 2022 allocation (the Piano di Zona's reading).
    assert CASARANO_2023_2024.per_year == D("14648.66") == CASARANO_2022.amount
    assert CASARANO_2023_2024.covers(2024)
    assert not CASARANO_2023_2024.covers(2025)
    assert ledger.years_text(2022, 2022) == "2022"


def test_it_adds_up_each_allocation_and_its_residual() -> None:
    entries = [
        entry("p1", 2, PROGRAMMED, "20000.00"),
        entry("i1", 2, COMMITTED, "14648.66"),
        entry("i2", 2, COMMITTED, "10000.00"),
        entry("l1", 2, LIQUIDATED, "3000.00", "i1"),
        entry("l2", 2, LIQUIDATED, "2000.00", "i2"),
        entry("m1", 2, PAID, "3000.00", "l1"),
        entry("i3", 1, COMMITTED, "14648.66"),
    ]
    found = ledger.balances([CASARANO_2022, CASARANO_2023_2024], entries)
    two_years = found[2]
    assert (two_years.programmed, two_years.committed, two_years.liquidated, two_years.paid) == (
        D("20000.00"),
        D("24648.66"),
        D("5000.00"),
        D("3000.00"),
    )
    assert (two_years.residual, two_years.to_liquidate, two_years.to_pay) == (D("4648.67"), D("19648.66"), D(2000))
    assert found[1].residual == 0
    total = ledger.totals(found.values())
    assert (total.amount, total.committed, total.residual, total.to_pay) == (
        D("43945.99"),
        D("39297.32"),
        D("4648.67"),
        D("36297.32"),
    )
    assert ledger.problems([CASARANO_2022, CASARANO_2023_2024], entries) == []


def test_it_refuses_to_commit_more_than_the_allocation_with_the_figures() -> None:
    before = [entry("i1", 2, COMMITTED, "29000.00", act="45/2025")]
    after = [*before, entry("i2", 2, COMMITTED, "1000.00", act="46/2025")]
    refused = ledger.new_problems(([CASARANO_2023_2024], before), ([CASARANO_2023_2024], after))
    assert refused == [
        (
            "Lo stanziamento FNPS 2023-2024 risulterebbe impegnato per 30.000,00 €: 702,67 € oltre l'importo stanziato "
            "di 29.297,33 €. Gli impegni non possono superare lo stanziamento."
        )
    ]
    # Exactly the amount is fine.
    exact = [*before, entry("i2", 2, COMMITTED, "297.33")]
    assert ledger.new_problems(([CASARANO_2023_2024], before), ([CASARANO_2023_2024], exact)) == []


def test_it_refuses_programming_beyond_the_allocation() -> None:
    after = [entry("p1", 1, PROGRAMMED, "15000.00")]
    [problem] = ledger.problems([CASARANO_2022], after)
    assert problem.message.startswith("Lo stanziamento FNPS 2022 risulterebbe programmato per 15.000,00 €")
    assert problem.message.endswith("La programmazione non può superare lo stanziamento.")


def test_it_refuses_to_liquidate_more_than_the_commitment_and_to_pay_more_than_the_liquidation() -> None:
    commitment = entry("i1", 2, COMMITTED, "5000.00", act="45/2025")
    liquidation = entry("l1", 2, LIQUIDATED, "3000.00", "i1", act="L-7/2025", day=datetime.date(2025, 6, 30))
    base = [commitment, liquidation]
    over_liquidated = [*base, entry("l2", 2, LIQUIDATED, "2500.00", "i1", day=datetime.date(2025, 9, 30))]
    assert ledger.new_problems(([CASARANO_2023_2024], base), ([CASARANO_2023_2024], over_liquidated)) == [
        (
            "L'impegno n. 45/2025 del 12/03/2025 risulterebbe liquidato per 5.500,00 €: 500,00 € oltre il suo importo "
            "di 5.000,00 €. Le liquidazioni non possono superare l'impegno a cui si riferiscono."
        )
    ]
    over_paid = [*base, entry("m1", 2, PAID, "3000.01", "l1", day=datetime.date(2025, 7, 15))]
    assert ledger.new_problems(([CASARANO_2023_2024], base), ([CASARANO_2023_2024], over_paid)) == [
        (
            "La liquidazione n. L-7/2025 del 30/06/2025 risulterebbe pagata per 3.000,01 €: 0,01 € oltre il suo "
            "importo di 3.000,00 €. I mandati non possono superare la liquidazione a cui si riferiscono."
        )
    ]
    # Lowering a commitment below what was liquidated of it is the same refusal.
    lowered = [entry("i1", 2, COMMITTED, "2000.00", act="45/2025"), liquidation]
    [message] = ledger.new_problems(([CASARANO_2023_2024], base), ([CASARANO_2023_2024], lowered))
    assert "risulterebbe liquidato per 3.000,00 €: 1.000,00 € oltre il suo importo di 2.000,00 €" in message


def test_it_checks_what_each_act_points_to() -> None:
    commitment = entry("i1", 2, COMMITTED, "5000.00", act="45/2025")
    other = entry("i2", 1, COMMITTED, "5000.00", act="46/2025")
    cases = {
        "L'impegno n. x del 12/03/2025 non si riferisce ad altri atti.": entry("x", 2, COMMITTED, "1", "i1"),
        "La liquidazione n. x del 12/03/2025 deve riferirsi a un impegno dell'ATS.": entry("x", 2, LIQUIDATED, "1"),
        "Il mandato n. x del 12/03/2025 deve riferirsi a una liquidazione: l'atto indicato è l'impegno n. 45/2025 "
        "del 12/03/2025.": entry("x", 2, PAID, "1", "i1"),
        "La liquidazione n. x del 12/03/2025 e l'impegno n. 46/2025 del 12/03/2025 sono di stanziamenti "
        "diversi.": entry("x", 2, LIQUIDATED, "1", "i2"),
        "La liquidazione n. x del 01/03/2025 precede l'impegno n. 45/2025 del 12/03/2025 a cui si riferisce.": entry(
            "x", 2, LIQUIDATED, "1", "i1", day=datetime.date(2025, 3, 1)
        ),
        "L'impegno n. x del 12/03/2025 non appartiene a uno stanziamento dell'ATS.": entry("x", 9, COMMITTED, "1"),
    }
    allocations = [CASARANO_2022, CASARANO_2023_2024]
    for message, wrong in cases.items():
        assert [p.message for p in ledger.problems(allocations, [commitment, other, wrong])] == [message]


def test_an_old_inconsistency_does_not_block_an_unrelated_change_but_may_not_grow() -> None:
    # Written around the application (an old import, a database edit): already over by 100 EUR.
    before = [entry("i1", 1, COMMITTED, "14748.66")]
    unrelated = [*before, entry("i2", 2, COMMITTED, "100.00")]
    allocations = [CASARANO_2022, CASARANO_2023_2024]
    assert ledger.new_problems((allocations, before), (allocations, unrelated)) == []
    smaller = [entry("i1", 1, COMMITTED, "14700.00")]
    assert ledger.new_problems((allocations, before), (allocations, smaller)) == []
    larger = [entry("i1", 1, COMMITTED, "14800.00")]
    assert len(ledger.new_problems((allocations, before), (allocations, larger))) == 1


def test_it_replaces_and_removes_entries_of_a_ledger() -> None:
    entries = [entry("a", 1, COMMITTED, "1"), entry("b", 1, COMMITTED, "2")]
    changed = ledger.replace(entries, [entry("b", 1, COMMITTED, "3"), entry("c", 1, COMMITTED, "4")], ["a"])
    assert [(e.key, e.amount) for e in changed] == [("b", D(3)), ("c", D(4))]


@given(
    amount=st.decimals(min_value=D("0.01"), max_value=D("10000000"), places=2),
    years=st.integers(min_value=1, max_value=3),
)
def test_the_years_of_an_allocation_never_add_up_to_more_than_it(amount: Decimal, years: int) -> None:
    share = amount_per_year(amount, years)
    assert share * years <= amount < (share + D("0.01")) * years


@given(st.lists(st.decimals(min_value=D("0.01"), max_value=D(5000), places=2), min_size=1, max_size=8))
def test_commitments_within_the_amount_are_never_refused(amounts: list[Decimal]) -> None:
    allocation = Allocation(1, sum(amounts, D(0)), 2025, 2025)
    entries = [entry(index, 1, COMMITTED, str(amount)) for index, amount in enumerate(amounts)]
    assert ledger.problems([allocation], entries) == []
    assert ledger.balances([allocation], entries)[1].residual == 0
