"""The split in proportion (head counts or quotas) by the largest remainder: the parts add up to the whole,
whatever the figures. (Moved from planning, where the POA per ATS first used it; same cases.)"""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from supervisione.leps.rounding import CENT
from supervisione.leps.shares import HOUR_HUNDREDTH, share_percent, split_by_head_count, split_in_proportion

D = Decimal


def test_it_splits_in_proportion_to_the_members() -> None:
    assert split_by_head_count(D("24.0"), {"Maglie": 3, "Casarano": 9}, HOUR_HUNDREDTH) == {
        "Maglie": D("6.00"),
        "Casarano": D("18.00"),
    }


def test_it_gives_the_cents_left_over_to_the_largest_remainders() -> None:
    # 100 EUR among 3 equal ATS: 33.33 each and one cent left, to the first in order.
    assert split_by_head_count(D(100), {"a": 1, "b": 1, "c": 1}, CENT) == {
        "a": D("33.34"),
        "b": D("33.33"),
        "c": D("33.33"),
    }
    # 1,040 EUR (16 h x 65) for 7 + 5 + 2 members: 520, 371.428... and 148.571... EUR; rounded down, one cent is
    # left, and it goes to the largest remainder in cents (b's 0.857 before c's 0.143).
    assert split_by_head_count(D("1040.00"), {"a": 7, "b": 5, "c": 2}, CENT) == {
        "a": D("520.00"),
        "b": D("371.43"),
        "c": D("148.57"),
    }


def test_it_splits_by_quotas_and_by_any_unit() -> None:
    # The demo's agreement (35.72, 32.14, 32.14 %) on a 1,000 EUR cost: 357.2, 321.4, 321.4 exactly.
    quotas = {"Poggiardo": D("35.72"), "Maglie": D("32.14"), "Casarano": D("32.14")}
    assert split_in_proportion(D("1000.00"), quotas, CENT) == {
        "Poggiardo": D("357.20"),
        "Maglie": D("321.40"),
        "Casarano": D("321.40"),
    }
    # 10 EUR by the same quotas: 3.572, 3.214, 3.214 -> 3.57 + 3.21 + 3.21 = 9.99; the cent to the largest
    # remainder, the first of the two equal ones.
    assert split_in_proportion(D(10), quotas, CENT) == {
        "Poggiardo": D("3.57"),
        "Maglie": D("3.22"),
        "Casarano": D("3.21"),
    }
    # 5.5 hours by 1, 3 and 4 of 8 members: 0.6875, 2.0625, 2.75 -> the hundredth left to the largest remainder.
    assert split_by_head_count(D("5.5"), {"a": 1, "b": 3, "c": 4}, HOUR_HUNDREDTH) == {
        "a": D("0.69"),
        "b": D("2.06"),
        "c": D("2.75"),
    }
    # By the half hour: 16 h among 3 equal members are 5.5 + 5.5 + 5 (two half hours left over, to the first two).
    assert split_by_head_count(D(16), {"a": 1, "b": 1, "c": 1}, D("0.5")) == {"a": D("5.5"), "b": D("5.5"), "c": D(5)}
    # Parts are multiples of the unit, written with its decimals.
    assert [str(part) for part in split_by_head_count(D(24), {"a": 3, "b": 9}, HOUR_HUNDREDTH).values()] == [
        "6.00",
        "18.00",
    ]


def test_it_gives_nothing_to_an_ats_without_members() -> None:
    assert split_by_head_count(D("15.0"), {"a": 0, "b": 4}, HOUR_HUNDREDTH) == {"a": D(0), "b": D("15.00")}


@pytest.mark.parametrize(
    ("total", "heads", "unit"),
    [
        (D(10), {}, CENT),
        (D(10), {"a": 0}, CENT),
        (D(10), {"a": -1, "b": 2}, CENT),
        (D("10.005"), {"a": 1}, CENT),
        (D(10), {"a": 1}, D(0)),
        (D(-10), {"a": 1}, CENT),
    ],
)
def test_it_refuses_what_cannot_be_shared(total: Decimal, heads: dict[str, int], unit: Decimal) -> None:
    with pytest.raises(ValueError):  # noqa: PT011  (each refusal has its own message)
        split_by_head_count(total, heads, unit)


def test_it_states_the_share_as_a_percentage() -> None:
    assert share_percent(3, 12) == D("25.0")
    assert share_percent(1, 3) == D("33.3")
    assert share_percent(2, 3) == D("66.7")
    with pytest.raises(ValueError, match="nobody"):
        share_percent(0, 0)


@given(
    cents=st.integers(min_value=0, max_value=10**9),
    heads=st.lists(st.integers(min_value=0, max_value=60), min_size=1, max_size=12).filter(lambda h: sum(h) > 0),
)
def test_the_parts_always_add_up_to_the_whole_and_stay_within_a_unit_of_the_exact_share(
    cents: int, heads: list[int]
) -> None:
    total = D(cents) * CENT
    parts = split_by_head_count(total, dict(enumerate(heads)), CENT)
    assert sum(parts.values()) == total
    people = sum(heads)
    for key, count in enumerate(heads):
        exact = total * count / people
        assert abs(parts[key] - exact) < CENT
        assert parts[key] >= 0
        if count == 0:
            assert parts[key] == 0


@given(
    tenths=st.integers(min_value=0, max_value=99999),
    heads=st.lists(st.integers(min_value=1, max_value=15), min_size=1, max_size=5),
)
def test_more_members_never_get_a_smaller_share(tenths: int, heads: list[int]) -> None:
    parts = split_by_head_count(D(tenths) / 10, dict(enumerate(heads)), HOUR_HUNDREDTH)
    for a, count_a in enumerate(heads):
        for b, count_b in enumerate(heads):
            if count_a > count_b:
                assert parts[a] >= parts[b]
