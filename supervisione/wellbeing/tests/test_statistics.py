"""The summary of a cell, on worked numbers."""

from __future__ import annotations

import pytest

from supervisione.wellbeing.statistics import summarise, t95


def test_it_gives_the_mean_the_t_interval_the_share_above_the_cutoff_and_the_bands() -> None:
    # Scores 40, 50, 60, 70, 80: mean 60, sd = sqrt(250) = 15.81, se = 7.07, t(4) = 2.776 -> 60 ± 19.63.
    summary = summarise([40, 50, 60, 70, 80], low=0, high=100, cutoff=50)
    assert summary.n == 5
    assert summary.mean == 60
    assert summary.low == pytest.approx(60 - 2.776 * 7.0711, abs=0.01)
    assert summary.high == pytest.approx(79.63, abs=0.01)
    assert summary.share_high == 80  # 50, 60, 70, 80 are at or above 50
    assert summary.bands == (0, 20, 60, 20)  # 0-24: -, 25-49: 40, 50-74: 50 60 70, 75-100: 80


def test_it_clips_the_interval_to_the_scale() -> None:
    summary = summarise([0, 0, 0, 25], low=0, high=100, cutoff=50)
    assert summary.low == 0
    assert summary.share_high == 0


def test_it_has_no_share_without_a_cutoff_and_needs_two_scores() -> None:
    assert summarise([8, 10], low=0, high=10, cutoff=None).share_high is None
    with pytest.raises(ValueError, match="two scores"):
        summarise([5], low=0, high=10, cutoff=None)
    assert t95(200) == 1.96
