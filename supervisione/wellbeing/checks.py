"""System checks: the smallest cell shown (``WELLBEING_MIN_CELL``) is never below 3, the minimum of the SISTAN
rules (art. 5), and the instrument files load."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, register

from supervisione.wellbeing import instruments

FLOOR = 3


@register()
def min_cell_check(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    value = getattr(settings, "WELLBEING_MIN_CELL", 5)
    if not isinstance(value, int) or value < FLOOR:
        return [
            Error(
                f"WELLBEING_MIN_CELL è {value!r}: i risultati dei questionari si mostrano solo per almeno {FLOOR} "
                "risposte (Regole deontologiche SISTAN, art. 5); il valore consigliato è 5.",
                id="wellbeing.E001",
            )
        ]
    return []


@register()
def instruments_check(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    try:
        instruments.available()
    except instruments.InstrumentError as error:
        return [Error(f"Questionario non utilizzabile: {error}", id="wellbeing.E002")]
    return []
