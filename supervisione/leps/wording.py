"""Numbers, hours and euro written as the interface and the exports write them (Italian: comma for decimals,
dot for thousands). The rules use them to say in words what they find."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal


def hours_text(value: Decimal) -> str:
    """Hours as the interface writes them: 16 -> "16", 7.5 -> "7,5"."""
    text = f"{value.normalize():f}"
    return text.replace(".", ",")


def number_text(value: Decimal, decimals: int = 2) -> str:
    """A number with Italian separators: 70000 -> "70.000", 10.769 -> "10,77"."""
    quantised = value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    integer, _, fraction = f"{quantised:f}".partition(".")
    grouped = f"{int(integer):,}".replace(",", ".") if integer.lstrip("-").isdigit() else integer
    return f"{grouped},{fraction}" if fraction and decimals else grouped


def euro_text(value: Decimal) -> str:
    """Euro as the interface writes them: 29297.33 -> "29.297,33 €"."""
    return f"{number_text(value, 2)} €"
