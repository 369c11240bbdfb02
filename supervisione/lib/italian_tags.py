"""The ``italian`` template library: numbers, money and hours in templates as ``lib.italian`` writes them.

Registered for every template in ``settings.TEMPLATES`` (``{% load italian %}``), so that a page, a PDF and a
message say the same number the same way.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import template

from supervisione.lib import italian

register = template.Library()
DASH = "\u2013"  # en dash: no value


def _decimal(value: object) -> Decimal | None:
    """The value as a Decimal, or None when it is not a number (shown as nothing, as ``floatformat`` does)."""
    if isinstance(value, Decimal):
        return value if value.is_finite() else None
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


@register.filter
def euro(value: Decimal | int | None, decimals: int = 2) -> str:
    """1234.5 -> "1.234,50 €"; ``|euro:0`` -> "1.235 €"."""
    if value is None:
        return DASH
    number = _decimal(value)
    return "" if number is None else italian.euro_text(number, decimals)


@register.filter
def hours(value: Decimal | int | None, decimals: int | None = None) -> str:
    """7.5 -> "7,5"; ``|hours:1`` rounds to at most one decimal (7.25 -> "7,3")."""
    if value is None:
        return DASH
    number = _decimal(value)
    return "" if number is None else italian.hours_text(number, decimals)


@register.filter
def number(value: Decimal | int | None, decimals: int | None = None) -> str:
    """15000 -> "15.000"; ``|number:2`` -> "15.000,00"; a negative number of decimals rounds to at most that many
    and drops the trailing zeros (as Django's ``floatformat``)."""
    if value is None:
        return DASH
    number = _decimal(value)
    if number is None:
        return ""
    if decimals is not None and decimals < 0:
        return italian.number_text(number, -decimals, trim=True)
    return italian.number_text(number, decimals)


@register.filter
def minutes_as_hours(minutes: int | None) -> str:
    """90 -> "1,5"; 100 -> "1,67"."""
    return italian.minutes_hours_text(minutes or 0)


@register.filter
def duration(minutes: int | None) -> str:
    """90 -> "1,5 ore"; 60 -> "1 ora"."""
    return italian.duration_text(minutes or 0)
