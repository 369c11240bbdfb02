"""Figures of a group of respondents on one scale: mean with its 95 % confidence interval, share at or above the
cut-off, distribution in four bands. Pure and typed; callers show them only for cells the suppression allows."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

# Two-sided 95 % quantiles of Student's t for 1..30 degrees of freedom; beyond, the normal 1.96.
T95 = (
    12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
    2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
    2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
)  # fmt: skip


def t95(degrees: int) -> float:
    if degrees < 1:
        raise ValueError("A confidence interval needs at least two values.")
    return T95[degrees - 1] if degrees <= len(T95) else 1.96


@dataclass(frozen=True)
class Summary:
    n: int
    mean: float
    low: float  # the 95 % confidence interval of the mean, clipped to the scale
    high: float
    share_high: float | None  # share at or above the cut-off, 0-100 (None: the scale has no cut-off)
    bands: tuple[float, ...]  # share in each quarter of the scale, 0-100, adding up to 100


def summarise(scores: Sequence[float], *, low: int, high: int, cutoff: int | None) -> Summary:
    n = len(scores)
    if n < 2:
        raise ValueError("A summary needs at least two scores.")
    mean = sum(scores) / n
    variance = sum((score - mean) ** 2 for score in scores) / (n - 1)
    margin = t95(n - 1) * math.sqrt(variance / n)
    width = (high - low) / 4
    counts = [0, 0, 0, 0]
    for score in scores:
        counts[min(3, int((score - low) // width))] += 1
    return Summary(
        n=n,
        mean=mean,
        low=max(low, mean - margin),
        high=min(high, mean + margin),
        share_high=None if cutoff is None else 100 * sum(score >= cutoff for score in scores) / n,
        bands=tuple(100 * count / n for count in counts),
    )
