"""The head-count split of a group's figures: the parts add up to the whole, whatever the figures."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from supervisione.planning.shares import CENT, HOUR_HUNDREDTH, share_percent, split_by_head_count

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
