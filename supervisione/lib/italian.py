"""Parsing numbers and dates the way Italian users write them.

Pure functions, no Django: used by forms and by the spreadsheet imports.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal, InvalidOperation

_SPACES = re.compile(r"[\s\u00a0\u202f']")


class ItalianParseError(ValueError):
    """The text is not a number or a date; the message is in Italian and says what is expected."""


def parse_decimal(text: str) -> Decimal:
    """``"18"``, ``"18,5"``, ``"1.234,50"``, ``"1234.5"``, ``"€ 2.000"`` -> Decimal.

    A comma is the decimal separator. Dots are thousands separators when the number also has a comma, when
    there are several, or when one is followed by exactly three digits (``"1.000"`` is one thousand, as an
    Italian reads it); otherwise a single dot is a decimal point (``"18.5"``), as spreadsheets export it.
    """
    cleaned = _SPACES.sub("", text.replace("€", ""))
    if not cleaned:
        raise ItalianParseError("Manca il numero.")
    if "," in cleaned:
        cleaned = cleaned.replace(".", "").replace(",", ".", 1)
    elif cleaned.count(".") > 1 or re.fullmatch(r"[-+]?\d{1,3}\.\d{3}", cleaned):
        cleaned = cleaned.replace(".", "")
    if not re.fullmatch(r"[-+]?(\d+(\.\d*)?|\.\d+)", cleaned):
        raise ItalianParseError(f"«{text}» non è un numero (esempi validi: 18, 18,5, 1.234,50).")
    try:
        return Decimal(cleaned)
    except InvalidOperation:
        raise ItalianParseError(f"«{text}» non è un numero (esempi validi: 18, 18,5, 1.234,50).") from None


_DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d", "%d/%m/%y", "%d-%m-%y")


def parse_date(text: str) -> datetime.date:
    """``"17/04/2023"``, ``"17-04-2023"``, ``"2023-04-17"``, ``"17/04/23"`` -> date."""
    cleaned = text.strip()
    if not cleaned:
        raise ItalianParseError("Manca la data.")
    # An ISO date-time (as some spreadsheets export) keeps only its date.
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2})?", cleaned):
        cleaned = cleaned[:10]
    for pattern in _DATE_FORMATS:
        try:
            return datetime.datetime.strptime(cleaned, pattern).date()  # noqa: DTZ007  (a date, no time zone)
        except ValueError:
            continue
    raise ItalianParseError(f"«{text}» non è una data valida (usa gg/mm/aaaa, ad esempio 17/04/2023).")
