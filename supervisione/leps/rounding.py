"""Zero, the half hour and the cent: hours are planned and counted by the half hour, money to the cent."""

from __future__ import annotations

from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

ZERO = Decimal(0)
HALF_HOUR = Decimal("0.5")
CENT = Decimal("0.01")


def round_up_to_half_hour(hours: Decimal) -> Decimal:
    return (hours / HALF_HOUR).to_integral_value(rounding=ROUND_CEILING) * HALF_HOUR


def round_down_to_half_hour(hours: Decimal) -> Decimal:
    return (hours / HALF_HOUR).to_integral_value(rounding=ROUND_FLOOR) * HALF_HOUR
