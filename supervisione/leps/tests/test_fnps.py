"""Who pays with the FNPS quota: an ATS's row pays for its own staff, others' only under an agreement with quotas;
costs split by quotas or head count to the cent. No database."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from supervisione.leps.fnps import (
    PayerVerdict,
    check_payer,
    cost_by_ats,
    describe_head_count,
    describe_payer,
    head_count_shares,
    shares_problems,
    split_cost,
)

D = Decimal
POGGIARDO, MAGLIE, CASARANO = "Ambito di Poggiardo", "Ambito di Maglie", "Ambito di Casarano"
# The demo's agreement: quotas proportional to the AS of the census (20, 18 and 18 of 56).
AGREEMENT = {POGGIARDO: D("35.72"), MAGLIE: D("32.14"), CASARANO: D("32.14")}


# --- The rule ------------------------------------------------------------------------------------------------


def test_it_lets_an_ats_pay_for_its_own_staff() -> None:
    check = check_payer(POGGIARDO, {POGGIARDO: 12})
    assert check.verdict is PayerVerdict.OWN_STAFF
    assert check.allowed
    assert describe_payer(check) == (
        "La quota FNPS di Ambito di Poggiardo paga la supervisione del solo personale di Ambito di Poggiardo."
    )
    assert cost_by_ats(check, D("1040.00")) == {POGGIARDO: D("1040.00")}


def test_under_an_agreement_the_quotas_share_even_the_cost_of_the_payers_own_staff() -> None:
    # The convention shares the contract's cost, not group by group: a group of Poggiardo's AS alone on its row.
    check = check_payer(POGGIARDO, {POGGIARDO: 14}, AGREEMENT)
    assert (check.verdict, check.shared) == (PayerVerdict.OWN_STAFF, True)
    assert describe_payer(check) == (
        "La quota FNPS di Ambito di Poggiardo paga la supervisione del solo personale di Ambito di Poggiardo; "
        "l'accordo di partenariato ripartisce la spesa tra gli ATS secondo le quote (Ambito di Poggiardo 35,72 %; "
        "Ambito di Maglie 32,14 %; Ambito di Casarano 32,14 %)."
    )
    assert cost_by_ats(check, D("2460.00")) == {POGGIARDO: D("878.71"), MAGLIE: D("790.65"), CASARANO: D("790.64")}
    # An ATS outside the agreement paying for its own staff pays alone.
    alone = check_payer("Ambito di Gallipoli", {"Ambito di Gallipoli": 10}, AGREEMENT)
    assert (alone.allowed, alone.shared) == (True, False)
    assert cost_by_ats(alone, D(100)) == {"Ambito di Gallipoli": D(100)}


def test_it_lets_an_empty_group_be_charged_to_any_row() -> None:
    assert check_payer(POGGIARDO, {}).allowed
    assert check_payer(POGGIARDO, {MAGLIE: 0}).allowed


def test_it_refuses_a_row_paying_for_another_ats_staff_without_an_agreement() -> None:
    check = check_payer(POGGIARDO, {POGGIARDO: 9, MAGLIE: 3, CASARANO: 1})
    assert check.verdict is PayerVerdict.NO_AGREEMENT
    assert not check.allowed
    assert check.others == ((MAGLIE, 3), (CASARANO, 1))
    assert describe_payer(check) == (
        "La quota FNPS di Ambito di Poggiardo paga solo la supervisione del personale di Ambito di Poggiardo, ma qui "
        "ci sono anche 3 persone di Ambito di Maglie e 1 persona di Ambito di Casarano. Registra l'accordo di "
        "partenariato con le quote di riparto tra gli ATS, oppure scegli la fonte di finanziamento dell'ATS di quelle "
        "persone."
    )
    # Refused, the cost stays where it was charged.
    assert cost_by_ats(check, D(100)) == {POGGIARDO: D(100)}


def test_it_refuses_a_row_paying_only_for_another_ats_staff() -> None:
    check = check_payer(MAGLIE, {CASARANO: 4})
    assert check.verdict is PayerVerdict.NO_AGREEMENT
    assert "ci sono anche 4 persone di Ambito di Casarano" in describe_payer(check)


def test_it_allows_a_mixed_group_under_an_agreement_and_splits_the_cost_by_its_quotas() -> None:
    check = check_payer(POGGIARDO, {POGGIARDO: 9, MAGLIE: 3}, AGREEMENT)
    assert check.verdict is PayerVerdict.SHARED
    assert check.allowed
    assert describe_payer(check) == (
        "La quota FNPS di Ambito di Poggiardo paga anche per 3 persone di Ambito di Maglie: l'accordo di partenariato "
        "ripartisce la spesa tra gli ATS secondo le quote (Ambito di Poggiardo 35,72 %; Ambito di Maglie 32,14 %; "
        "Ambito di Casarano 32,14 %)."
    )
    # 24 h A1 at 65 EUR/h and 15 h A2 at 60 EUR/h: 2,460 EUR, Casarano's quota applied although none of its AS is in.
    parts = cost_by_ats(check, D("2460.00"))
    assert parts == {POGGIARDO: D("878.71"), MAGLIE: D("790.65"), CASARANO: D("790.64")}
    assert sum(parts.values()) == D("2460.00")


def test_it_refuses_when_the_agreement_gives_no_quota_to_an_ats_concerned() -> None:
    two = {POGGIARDO: D(60), MAGLIE: D(40)}
    check = check_payer(POGGIARDO, {POGGIARDO: 5, CASARANO: 2}, two)
    assert check.verdict is PayerVerdict.NOT_IN_AGREEMENT
    assert check.missing == (CASARANO,)
    assert describe_payer(check) == (
        "La quota FNPS di Ambito di Poggiardo paga anche per 2 persone di Ambito di Casarano, ma nell'accordo di "
        "partenariato Ambito di Casarano non ha una quota di riparto: aggiorna le quote dell'accordo, oppure "
        "scegli un'altra fonte di finanziamento."
    )
    # Nor may a row of an ATS outside the agreement pay for the others.
    outside = check_payer(CASARANO, {MAGLIE: 3}, two)
    assert outside.missing == (CASARANO,)
    both = check_payer(CASARANO, {MAGLIE: 3, "Ambito di Gallipoli": 1}, two)
    assert "Ambito di Casarano e Ambito di Gallipoli non hanno una quota" in describe_payer(both)


def test_it_names_the_ats_as_the_caller_labels_them() -> None:
    check = check_payer(1, {1: 2, 2: 3})
    names = {1: "Ambito di Poggiardo (PUG_POGGIARDO)", 2: "Ambito di Maglie (PUG_MAGLIE)"}
    assert "3 persone di Ambito di Maglie (PUG_MAGLIE)" in describe_payer(check, names.__getitem__)


def test_it_refuses_impossible_input() -> None:
    with pytest.raises(ValueError, match="negative"):
        check_payer(POGGIARDO, {POGGIARDO: -1})
    with pytest.raises(ValueError, match="100"):
        check_payer(POGGIARDO, {MAGLIE: 1}, {POGGIARDO: D(50), MAGLIE: D(49)})


# --- The quotas of an agreement ---------------------------------------------------------------------------


def test_it_accepts_quotas_adding_up_to_exactly_100() -> None:
    assert shares_problems(AGREEMENT) == []
    assert shares_problems({POGGIARDO: D(100)}) == []


def test_it_says_what_is_wrong_with_quotas() -> None:
    assert shares_problems({POGGIARDO: D("35.71"), MAGLIE: D("32.14"), CASARANO: D("32.14")}) == [
        "Le quote sommano a 99,99 %: devono fare esattamente 100 %."
    ]
    assert shares_problems({POGGIARDO: D("60"), MAGLIE: D("40.5")}) == [
        "Le quote sommano a 100,5 %: devono fare esattamente 100 %."
    ]
    assert shares_problems({POGGIARDO: D(0), MAGLIE: D(100)}) == [
        "La quota di Ambito di Poggiardo deve essere maggiore di 0 e al massimo 100 %."
    ]
    assert shares_problems({POGGIARDO: D("33.333"), MAGLIE: D("66.667")}) == [
        "La quota di Ambito di Poggiardo ha al massimo due decimali.",
        "La quota di Ambito di Maglie ha al massimo due decimali.",
    ]
    assert shares_problems({}) == ["Indica la quota di riparto di almeno un ATS."]


# --- Splitting a cost --------------------------------------------------------------------------------------


def test_it_splits_to_the_cent_giving_the_cents_left_to_the_largest_remainders() -> None:
    assert split_cost(D(100), {"a": 1, "b": 1, "c": 1}) == {"a": D("33.34"), "b": D("33.33"), "c": D("33.33")}
    # 10 EUR by 20/18/18 AS: 3.5714..., 3.2142..., 3.2142... -> 3.57 + 3.21 + 3.21 = 9.99; the cent left goes to
    # the larger remainder (0.428 of a cent against 0.142), the first of the two equal ones.
    assert split_cost(D(10), {"a": 20, "b": 18, "c": 18}) == {"a": D("3.57"), "b": D("3.22"), "c": D("3.21")}
    # Casarano's FNPS quota of 2023-2024 (29,297.33 EUR) halved: the odd cent to the first year.
    assert split_cost(D("29297.33"), {2023: 1, 2024: 1}) == {2023: D("14648.67"), 2024: D("14648.66")}
    assert split_cost(D("0.01"), {"a": D(50), "b": D(50)}) == {"a": D("0.01"), "b": D(0)}
    assert split_cost(D(0), {"a": 1}) == {"a": D(0)}
    assert split_cost(D(500), {"a": 0, "b": 3}) == {"a": D(0), "b": D(500)}


def test_it_refuses_to_split_what_cannot_be_split() -> None:
    with pytest.raises(ValueError, match="cents"):
        split_cost(D("1.005"), {"a": 1})
    with pytest.raises(ValueError, match="negative"):
        split_cost(D(-1), {"a": 1})
    with pytest.raises(ValueError, match="negative"):
        split_cost(D(1), {"a": -1, "b": 2})
    with pytest.raises(ValueError, match="positive"):
        split_cost(D(1), {"a": 0})
    with pytest.raises(ValueError, match="positive"):
        split_cost(D(1), {})


@given(
    st.decimals(min_value=0, max_value=1_000_000, places=2),
    st.lists(st.integers(min_value=0, max_value=60), min_size=1, max_size=8).filter(any),
)
def test_the_parts_always_add_up_to_the_total_and_differ_from_the_exact_share_by_less_than_a_cent(
    total: Decimal, weights: list[int]
) -> None:
    parts = split_cost(total, dict(enumerate(weights)))
    assert sum(parts.values()) == total
    whole = sum(weights)
    for key, weight in enumerate(weights):
        assert abs(parts[key] - total * weight / whole) < D("0.01")
        assert parts[key] >= 0


# --- Head count ----------------------------------------------------------------------------------------------


def test_it_states_each_ats_part_of_a_group_by_head_count() -> None:
    parts = head_count_shares({POGGIARDO: 9, MAGLIE: 3, CASARANO: 0})
    assert [(p.ambito, p.members, p.total, p.percent) for p in parts] == [
        (POGGIARDO, 9, 12, D(75)),
        (MAGLIE, 3, 12, D(25)),
    ]
    assert [describe_head_count(p) for p in parts] == ["9 di 12 partecipanti: 75 %", "3 di 12 partecipanti: 25 %"]
    thirds = head_count_shares({"a": 1, "b": 1, "c": 1})
    assert [p.percent for p in thirds] == [D("33.34"), D("33.33"), D("33.33")]
    assert describe_head_count(thirds[1]) == "1 di 3 partecipanti: 33,33 %"
    assert describe_head_count(head_count_shares({"a": 1})[0]) == "1 di 1 partecipante: 100 %"
    assert head_count_shares({}) == ()


def test_head_count_shares_of_the_demo_census_are_a_valid_agreement() -> None:
    parts = head_count_shares({POGGIARDO: 20, MAGLIE: 18, CASARANO: 18})
    assert {p.ambito: p.percent for p in parts} == AGREEMENT
    assert shares_problems({p.ambito: p.percent for p in parts}) == []


@given(st.lists(st.integers(min_value=0, max_value=40), min_size=1, max_size=10).filter(any))
def test_head_count_percentages_always_add_up_to_100(members: list[int]) -> None:
    parts = head_count_shares(dict(enumerate(members)))
    assert sum(p.percent for p in parts) == 100
    assert shares_problems({p.ambito: p.percent for p in parts}) == []
