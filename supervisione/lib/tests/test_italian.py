from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from supervisione.lib.italian import ItalianParseError, parse_date, parse_decimal


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("18", "18"),
        ("18,5", "18.5"),
        ("18.5", "18.5"),
        ("1.234,50", "1234.50"),
        ("1.000", "1000"),
        ("1.234.567", "1234567"),
        ("€ 2.000,00", "2000.00"),
        (" 36 ", "36"),
        ("-3,5", "-3.5"),
    ],
)
def test_it_parses_italian_numbers(text: str, expected: str) -> None:
    assert parse_decimal(text) == Decimal(expected)


@pytest.mark.parametrize("text", ["", "abc", "1,2,3", "18 ore", "1.2.3,4,5"])
def test_it_rejects_what_is_not_a_number(text: str) -> None:
    with pytest.raises(ItalianParseError):
        parse_decimal(text)


@pytest.mark.parametrize(
    "text", ["17/04/2023", "17-04-2023", "2023-04-17", "17.04.2023", "17/04/23", "2023-04-17 00:00:00"]
)
def test_it_parses_italian_dates(text: str) -> None:
    assert parse_date(text) == datetime.date(2023, 4, 17)


@pytest.mark.parametrize("text", ["", "31/02/2023", "2023/17/04", "ieri"])
def test_it_rejects_impossible_dates(text: str) -> None:
    with pytest.raises(ItalianParseError, match="data"):
        parse_date(text)
