"""The ``italian`` template library: numbers, money and hours in templates as ``lib.italian`` writes them.

Registered for every template in ``settings.TEMPLATES`` (``{% load italian %}``), so that a page, a PDF and a
message say the same number the same way.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import template
from django.utils.safestring import mark_safe

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


def _forms(forms: str) -> tuple[str, str]:
    one, _, other = forms.partition(",")
    return one, other or one


@register.filter
def plural(value: Decimal | int | None, forms: str) -> str:
    """The word that agrees with a number: ``{{ n|plural:"riga,righe" }}`` -> "riga" for 1, else "righe"."""
    number = _decimal(value)
    one, other = _forms(forms)
    return italian.plural(number if number is not None else 0, one, other)


@register.filter
def counted(value: int | None, forms: str) -> str:
    """A count and its noun: ``{{ n|counted:"problema,problemi" }}`` -> "1 problema", "1.234 problemi"."""
    one, other = _forms(forms)
    return italian.counted(value or 0, one, other)


@register.filter
def hours_counted(value: Decimal | int | None, decimals: int | None = None) -> str:
    """Hours and their noun: 1 -> "1 ora", 7.5 -> "7,5 ore"; ``|hours_counted:1`` rounds to one decimal."""
    number = _decimal(value)
    return italian.hours_counted(number if number is not None else 0, decimals)


@register.filter
def percent_with(value: Decimal | int | None, preposition: str = "") -> str:
    """A percentage after its article: ``{{ 80|percent_with:"di" }}`` -> "dell'80 %", 70 -> "del 70 %"."""
    number = _decimal(value)
    if number is None:
        return ""
    # Safe: a number and one of lib.italian's own articles, so that "dell'80 %" is not escaped to "dell&#x27;80 %".
    return mark_safe(italian.percent_with_article(number, preposition))  # noqa: S308
