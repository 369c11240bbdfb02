"""Numbers, hours and euro written as the interface and the exports write them (Italian: comma for decimals,
dot for thousands). The rules use them to say in words what they find; each is the project's one formatter of
its kind, ``supervisione.lib.italian`` (a pure helper at the bottom, like ``leps``)."""

from __future__ import annotations

from decimal import Decimal

from supervisione.lib import italian
from supervisione.lib.italian import counted, euro_text, hours_counted, hours_text, percent_text, plural

__all__ = ["counted", "euro_text", "hours_counted", "hours_text", "number_text", "percent_text", "plural"]


def number_text(value: Decimal, decimals: int = 2) -> str:
    """A figure of the rules' sentences, with two decimals unless told otherwise: 10.769 -> "10,77"."""
    return italian.number_text(value, decimals)
