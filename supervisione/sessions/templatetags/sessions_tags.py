"""Template filters of the calendar: minutes as Italian hours."""

from __future__ import annotations

from django import template

from supervisione.sessions.usage import hours_text

register = template.Library()


@register.filter
def hours(minutes: int | None) -> str:
    """90 -> "1,5"; 100 -> "1,67": hours with a decimal comma, no trailing zeros."""
    value = (minutes or 0) / 60
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


@register.filter
def hours_words(minutes: int | None) -> str:
    """90 -> "1,5 ore"; 60 -> "1 ora"."""
    return hours_text(minutes or 0)
