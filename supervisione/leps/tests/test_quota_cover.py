from decimal import Decimal

import pytest

from supervisione.leps.cofinancing import describe_quota_cover, quota_against_minimum


def test_it_costs_two_a1_groups_and_one_equipe_at_the_ats_rates() -> None:
    cover = quota_against_minimum(Decimal("14648.66"), 2, 1, Decimal(65), Decimal(60), Decimal(70))
    assert (cover.a1_hours, cover.a2_hours, cover.a3_hours) == (Decimal(32), Decimal(30), Decimal(6))
    assert (cover.a1_cost, cover.a2_cost, cover.a3_cost) == (Decimal(2080), Decimal(1800), Decimal(420))
    assert cover.minimum_cost == Decimal(4300)
    assert cover.covered
    assert cover.left == Decimal("10348.66")
    assert cover.extra_a1_hours == Decimal(159)
    assert "lascia 10.348,66" in describe_quota_cover(cover)


def test_it_says_what_is_missing_when_the_quota_is_short() -> None:
    cover = quota_against_minimum(Decimal(4000), 2, 1, Decimal(65), Decimal(60), Decimal(70))
    assert not cover.covered
    assert cover.missing == Decimal(300)
    assert cover.extra_a1_hours == 0
    assert "mancano 300,00" in describe_quota_cover(cover)


def test_it_needs_no_a3_without_an_equipe() -> None:
    cover = quota_against_minimum(Decimal(1000), 1, 0, Decimal(65), Decimal(60), Decimal(70))
    assert cover.a3_hours == 0
    assert cover.a3_cost == 0
    assert cover.minimum_cost == Decimal(1940)


def test_it_refuses_a_negative_quota_or_a_zero_rate() -> None:
    with pytest.raises(ValueError, match="negative"):
        quota_against_minimum(Decimal(-1), 1, 0, Decimal(65), Decimal(60), Decimal(70))
    with pytest.raises(ValueError, match="positive"):
        quota_against_minimum(Decimal(1), 1, 0, Decimal(0), Decimal(60), Decimal(70))
