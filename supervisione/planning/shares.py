"""A group's figure shared among the ATS of its members by head count, the parts adding up exactly to the whole.

A group of a partnership plan may gather social workers of several ATS; each ATS's POA counts the part of the
group's hours and cost that its members make ("3 di 12 partecipanti: 25 %"). Money is shared to the cent and hours
to the hundredth, by the largest remainder (Hamilton's method): every part is first rounded down to the unit, then
the units left over go one each to the parts with the largest remainders (ties: the first in the given order). So
the parts of a group always add up to the group's figure, and the ATS's POAs to the partnership's.

Pure Python: the planning app's per-ATS POA (``planning.ats_poa``) uses it, its tests need no database.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import TypeVar

K = TypeVar("K")

CENT = Decimal("0.01")
HOUR_HUNDREDTH = Decimal("0.01")


def split_by_head_count(total: Decimal, heads: Mapping[K, int], unit: Decimal) -> dict[K, Decimal]:
    """``total`` shared among the keys of ``heads`` in proportion to their head counts, each part a multiple of
    ``unit``, the parts adding up to ``total``. ``total`` must be a multiple of ``unit`` and some head count
    positive; a key with no heads gets zero."""
    if unit <= 0:
        raise ValueError("The unit of a share must be positive.")
    if any(count < 0 for count in heads.values()):
        raise ValueError("A head count cannot be negative.")
    people = sum(heads.values())
    if people == 0:
        raise ValueError("Nobody to share among.")
    units = total / unit
    if units != units.to_integral_value():
        raise ValueError(f"{total} is not a multiple of {unit}.")
    whole = int(units)
    floors = {key: whole * count // people for key, count in heads.items()}
    remainders = {key: whole * count % people for key, count in heads.items()}
    left = whole - sum(floors.values())
    # Stable sort: among equal remainders the first key in the given order gets the unit.
    for key in sorted(heads, key=lambda item: -remainders[item])[:left]:
        floors[key] += 1
    return {key: floors[key] * unit for key in heads}


def share_percent(part: int, whole: int) -> Decimal:
    """The part of the members as a percentage with one decimal, rounded half up: 3 of 12 -> 25.0; 1 of 3 -> 33.3.
    Shown to explain a share; the amounts themselves come from ``split_by_head_count``, never from this figure."""
    if whole <= 0:
        raise ValueError("A share of nobody.")
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
