"""Numbers, money, hours and dates the way Italian users write and read them: parsing and formatting.

Pure functions, no Django: used by forms, pages, messages, exports and the spreadsheet imports. Every number the
application shows in words goes through the ``*_text`` functions here (templates through the ``italian``
template library): a comma before the decimals, a dot between thousands, ``€`` after the amount.
"""

from __future__ import annotations

import datetime
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

MONTHS = (
    "gennaio",
    "febbraio",
    "marzo",
    "aprile",
    "maggio",
    "giugno",
    "luglio",
    "agosto",
    "settembre",
    "ottobre",
    "novembre",
    "dicembre",
)

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


# --- Formatting ------------------------------------------------------------------------------------------


def _group(integer: str) -> str:
    """``"-1234567"`` -> ``"-1.234.567"``."""
    sign, digits = ("-", integer[1:]) if integer.startswith("-") else ("", integer)
    groups: list[str] = []
    while len(digits) > 3:
        digits, tail = digits[:-3], digits[-3:]
        groups.insert(0, tail)
    return sign + ".".join([digits, *groups])


def number_text(value: Decimal | int, decimals: int | None = None, *, trim: bool = False, grouped: bool = True) -> str:
    """A number as an Italian reads it: 1234.5 -> ``"1.234,5"``.

    ``decimals=None`` keeps every significant decimal (no trailing zeros); a number of decimals rounds half up
    to it (``trim`` then drops the trailing zeros: hours 7.50 -> ``"7,5"``). ``grouped=False`` leaves out the
    thousands dots, for cells that a spreadsheet reads back as numbers.
    """
    number = Decimal(value) if isinstance(value, int) else value
    if decimals is not None:
        number = number.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    if decimals is None or trim:
        number = number.normalize()
    text = f"{number:f}"
    if text.startswith("-") and text.strip("-0.") == "":
        text = text[1:]  # -0,00 is 0,00
    integer, _, fraction = text.partition(".")
    if grouped:
        integer = _group(integer)
    return f"{integer},{fraction}" if fraction else integer


def decimal_text(value: Decimal) -> str:
    """A decimal as stored, with every decimal it has and no thousands dots (18.50 -> ``"18,50"``): the value of
    a form field, which ``parse_decimal`` reads back, and old and new values in the audit log."""
    return f"{value:f}".replace(".", ",")


def count_text(number: int) -> str:
    """A count: 15000 -> ``"15.000"``."""
    return number_text(number)


def hours_text(value: Decimal, decimals: int | None = None) -> str:
    """Hours: 16 -> ``"16"``, 7.5 -> ``"7,5"``, 1234.5 -> ``"1.234,5"``; with ``decimals``, rounded to at most that
    many (1.666 with 2 -> ``"1,67"``)."""
    return number_text(value, decimals, trim=True)


def euro_text(value: Decimal, decimals: int = 2) -> str:
    """Euro: 29297.33 -> ``"29.297,33 €"`` (rounded half up to the cent)."""
    return f"{number_text(value, decimals)} €"


def percent_text(value: Decimal | int) -> str:
    """A percentage: 82.5 -> ``"82,5 %"``."""
    return f"{number_text(value)} %"


# --- Plurals and articles --------------------------------------------------------------------------------
#
# The interface is only in Italian and these helpers are also used by ``leps`` (no Django), so they are plain
# functions rather than ``ngettext`` with a catalogue; the rule is gettext's for Italian (``plural=(n != 1)``).


def plural(count: Decimal | int, one: str, other: str) -> str:
    """The word for ``count``: ``one`` for exactly one, ``other`` for any other number (0, 2, 1,5)."""
    return one if count == 1 else other


def counted(count: int, one: str, other: str) -> str:
    """A count and its noun: ``counted(1, "riga", "righe")`` -> ``"1 riga"``, 1234 -> ``"1.234 righe"``."""
    return f"{count_text(count)} {plural(count, one, other)}"


def hours_counted(value: Decimal | int, decimals: int | None = None) -> str:
    """Hours and their noun: 1 -> ``"1 ora"``, 7.5 -> ``"7,5 ore"``; the noun agrees with the number shown
    (1.001 with ``decimals=2`` is ``"1 ora"``)."""
    text = hours_text(Decimal(value), decimals)
    return f"{text} {'ora' if text == '1' else 'ore'}"


# The definite article (il, l', lo) with a preposition: "del 70 %", "dell'80 %", "dello 0,5 %".
_ARTICLES = {
    "": ("il ", "l'", "lo "),
    "di": ("del ", "dell'", "dello "),
    "a": ("al ", "all'", "allo "),
    "da": ("dal ", "dall'", "dallo "),
    "in": ("nel ", "nell'", "nello "),
    "su": ("sul ", "sull'", "sullo "),
}


def _read_with_vowel(whole: int) -> bool:
    """Whether a whole number, read aloud, begins with a vowel: uno, otto, undici, ottanta…, ottocento…, and the
    thousands of those (ottomila, undicimila), but not mille."""
    if whole >= 1000:
        thousands = whole // 1000
        return thousands != 1 and thousands < 1000 and _read_with_vowel(thousands)
    return whole in (1, 8, 11) or 80 <= whole <= 89 or 800 <= whole <= 899


def article(value: Decimal | int, preposition: str = "") -> str:
    """The article, maybe joined to ``preposition`` (di, a, da, in, su), to put before ``value`` as it is read:
    ``"il "`` before 50, ``"l'"`` before 80, 8, 11 or 1, ``"lo "`` before 0 (zero); ``"dell'"`` before 80."""
    forms = _ARTICLES[preposition]
    whole = int(Decimal(value).copy_abs())
    if whole == 0:
        return forms[2]
    return forms[1] if _read_with_vowel(whole) else forms[0]


def percent_with_article(value: Decimal | int, preposition: str = "") -> str:
    """A percentage after its article: ``"il 50 %"``, ``"l'80 %"``, ``"dell'80 %"``, ``"all'11 %"``, ``"del 70 %"``."""
    return article(value, preposition) + percent_text(value)


def minutes_hours_text(minutes: int) -> str:
    """Minutes as hours with up to two decimals: 90 -> ``"1,5"``, 100 -> ``"1,67"``."""
    return hours_text(Decimal(minutes) / 60, 2)


def duration_text(minutes: int) -> str:
    """Minutes in words: ``"1 ora"``, ``"12 ore"``, ``"2,5 ore"``, ``"1 ora e 20 minuti"``."""
    hours, rest = divmod(minutes, 60)
    if rest == 0:
        return "1 ora" if hours == 1 else f"{hours} ore"
    if rest == 30:
        return f"{hours},5 ore"
    if hours == 0:
        return f"{rest} minuti"
    return f"{'1 ora' if hours == 1 else f'{hours} ore'} e {rest} minuti"


def megabytes_text(size: int) -> str:
    """A file size in MB with one decimal: 1572864 -> ``"1,5"``."""
    return number_text(Decimal(size) / 1_048_576, 1)


def file_size_text(size: int) -> str:
    """The size of an uploaded file: ``"12 kB"`` below a megabyte (at least 1), else ``"1,5 MB"``."""
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} kB"
    return f"{megabytes_text(size)} MB"
