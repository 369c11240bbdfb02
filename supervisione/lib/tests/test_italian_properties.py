"""Properties of the Italian parsers, for any input: what a form or a spreadsheet cell may contain."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from supervisione.lib.italian import ItalianParseError, parse_date, parse_decimal

# Amounts and hours as the product stores them: finite, up to about a trillion, with 0 to 4 decimals.
decimals = st.builds(
    lambda digits, places: Decimal(digits).scaleb(-places), st.integers(-(10**16), 10**16), st.integers(0, 4)
)
# strptime reads four-digit years only; earlier years are not dates anyone types here.
dates = st.dates(min_value=datetime.date(1000, 1, 1), max_value=datetime.date(9999, 12, 31))


def italian(value: Decimal, *, thousands: bool) -> str:
    """``Decimal("-1234.5")`` -> ``"-1.234,5"`` (or ``"-1234,5"``), as an Italian writes it."""
    sign = "-" if value < 0 else ""
    integer, _, fraction = f"{abs(value):f}".partition(".")
    if thousands:
        integer = f"{int(integer):,}".replace(",", ".")
    return f"{sign}{integer},{fraction}" if fraction else f"{sign}{integer}"


@given(st.text())
@example("1e5")
@example("NaN")
@example("Infinity")
@example("\u0663")  # ARABIC-INDIC DIGIT THREE
@example("1.")
@example(".")
def test_it_parses_any_text_or_refuses_it_in_italian(text: str) -> None:
    try:
        value: Decimal | str = parse_decimal(text)
    except ItalianParseError as error:
        value = str(error)
    assert value.is_finite() if isinstance(value, Decimal) else "non è un numero" in value or "Manca" in value


@given(decimals, st.booleans())
def test_it_reads_back_a_number_written_the_italian_way(value: Decimal, thousands: bool) -> None:
    assert parse_decimal(italian(value, thousands=thousands)) == value


@given(decimals, st.sampled_from(["€ ", "", " "]), st.sampled_from(["", " ", "\u00a0€"]))
def test_it_ignores_spaces_and_the_euro_sign(value: Decimal, before: str, after: str) -> None:
    assert parse_decimal(f"{before}{italian(value, thousands=True)}{after}") == value


@given(decimals)
def test_it_reads_back_a_spreadsheet_number_unless_it_looks_like_thousands(value: Decimal) -> None:
    text = f"{value:f}"
    integer, _, fraction = text.lstrip("-").partition(".")
    # "1.000" is one thousand to an Italian reader: the documented exception to the dot-as-decimal rule.
    looks_like_thousands = len(fraction) == 3 and len(integer) <= 3
    assert parse_decimal(text) == (value * 1000 if looks_like_thousands else value)


@given(st.text())
@example("2023-04-17T25:00")
@example("31/02/2023")
@example("00/00/00")
def test_it_parses_any_text_as_a_date_or_refuses_it_in_italian(text: str) -> None:
    try:
        result: datetime.date | str = parse_date(text)
    except ItalianParseError as error:
        result = str(error)
    assert isinstance(result, datetime.date) or "data" in result


@pytest.mark.parametrize(
    "pattern",
    ["{d:%d/%m/%Y}", "{d:%d-%m-%Y}", "{d:%d.%m.%Y}", "{d:%Y-%m-%d}", "{d:%Y-%m-%d}T12:30:00", " {d:%d/%m/%Y} "],
)
@given(day=dates)
def test_it_reads_back_a_date_in_every_accepted_layout(pattern: str, day: datetime.date) -> None:
    assert parse_date(pattern.format(d=day)) == day


@given(st.dates(min_value=datetime.date(1969, 1, 1), max_value=datetime.date(2068, 12, 31)))
def test_it_reads_two_digit_years_in_the_window_python_uses(day: datetime.date) -> None:
    assert parse_date(f"{day:%d/%m/%y}") == day
