"""A figure shared in proportion, the parts adding up exactly to the whole (the largest remainder method).

A group of a partnership plan may gather social workers of several ATS; each ATS's POA counts the part of the
group's hours and cost that its members make ("3 di 12 partecipanti: 25 %"), and its SIOSS report the part of
the hours held. An agreement's quotas share an FNPS cost among the ATS (``leps.fnps.split_cost``), and an
allocation of two years is spent one year at a time. Each is the same arithmetic: money to the cent, hours to
the hundredth, every part first rounded down to the unit, then the units left over one each to the parts with
the largest remainders (Hamilton's method; a tie goes to the part listed first). So the parts always add up to
the whole: the ATS's POAs to the partnership's, the quotas' costs to the cost.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import TypeVar

K = TypeVar("K", bound=Hashable)

HOUR_HUNDREDTH = Decimal("0.01")
PERCENT_TENTH = Decimal("0.1")


def split_in_proportion(total: Decimal, weights: Mapping[K, Decimal | int], unit: Decimal) -> dict[K, Decimal]:
    """``total`` shared among the keys of ``weights`` (head counts, or quotas) in proportion to them, each part a
    multiple of ``unit``, the parts adding up to ``total``: 100 EUR by thirds is 33.34 + 33.33 + 33.33. ``total``
    must be a non-negative multiple of ``unit`` and some weight positive; a key of weight 0 gets zero."""
    if unit <= 0:
        raise ValueError("The unit of a share must be positive.")
    if total < 0:
        raise ValueError("The total to share cannot be negative.")
    units = Fraction(total) / Fraction(unit)
    if units.denominator != 1:
        raise ValueError(f"{total} is not a multiple of {unit}.")
    if any(weight < 0 for weight in weights.values()):
        raise ValueError("A weight cannot be negative.")
    whole = sum((Fraction(weight) for weight in weights.values()), Fraction(0))
    if whole == 0:
        raise ValueError("Nobody to share among: at least one weight must be positive.")
    exact = {key: units.numerator * Fraction(weight) / whole for key, weight in weights.items()}
    parts = {key: value.numerator // value.denominator for key, value in exact.items()}
    left = units.numerator - sum(parts.values())
    # Stable sort: among equal remainders the first key in the given order gets the unit.
    for key in sorted(exact, key=lambda item: exact[item] - parts[item], reverse=True)[:left]:
        parts[key] += 1
    return {key: part * unit for key, part in parts.items()}


def split_by_head_count(total: Decimal, heads: Mapping[K, int], unit: Decimal) -> dict[K, Decimal]:
    """``total`` shared by the members each key has: 24 h for 3 of Maglie and 9 of Casarano are 6 h and 18 h."""
    return split_in_proportion(total, heads, unit)


def share_percent(part: int, whole: int) -> Decimal:
    """The part of the members as a percentage with one decimal, rounded half up: 3 of 12 -> 25.0; 1 of 3 -> 33.3.
    Shown to explain a share; the amounts themselves come from ``split_by_head_count``, never from this figure."""
    if whole <= 0:
        raise ValueError("A share of nobody.")
    return (Decimal(part) * 100 / Decimal(whole)).quantize(PERCENT_TENTH, rounding=ROUND_HALF_UP)
