from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from supervisione.lib.italian import (
    MONTHS,
    ItalianParseError,
    article,
    count_text,
    counted,
    decimal_text,
    duration_text,
    euro_text,
    file_size_text,
    hours_counted,
    hours_text,
    megabytes_text,
    minutes_hours_text,
    number_text,
    parse_date,
    parse_decimal,
    percent_text,
    percent_with_article,
    plural,
)


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


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (Decimal(16), None, "16"),
        (Decimal("7.50"), None, "7,5"),
        (Decimal("1E+2"), None, "100"),
        (Decimal("1234567.891"), None, "1.234.567,891"),
        (Decimal("1234.5"), 2, "1.234,50"),
        (Decimal("0.005"), 2, "0,01"),
        (Decimal("-0.001"), 2, "0,00"),
        (Decimal("-1234.5"), 0, "-1.235"),
        (15000, None, "15.000"),
    ],
)
def test_it_writes_numbers_as_italians_read_them(value: Decimal | int, decimals: int | None, expected: str) -> None:
    assert number_text(value, decimals) == expected


def test_it_writes_numbers_for_spreadsheets_without_thousands_dots() -> None:
    assert number_text(Decimal("1234.5"), 2, grouped=False) == "1234,50"
    assert number_text(15000, grouped=False) == "15000"


def test_it_writes_hours_money_counts_and_durations() -> None:
    assert hours_text(Decimal("7.50")) == "7,5"
    assert hours_text(Decimal("1.666"), 2) == "1,67"
    assert hours_text(Decimal("16.00"), 2) == "16"
    assert euro_text(Decimal("29297.33")) == "29.297,33 €"
    assert euro_text(Decimal("0.125")) == "0,13 €"  # half up, as accounts round
    assert euro_text(Decimal("1234.5"), 0) == "1.235 €"
    assert count_text(15000) == "15.000"
    assert percent_text(Decimal("82.5")) == "82,5 %"
    assert decimal_text(Decimal("18.50")) == "18,50"
    assert minutes_hours_text(90) == "1,5"
    assert minutes_hours_text(100) == "1,67"
    assert megabytes_text(1_572_864) == "1,5"
    assert [file_size_text(size) for size in (10, 12_800, 1_572_864)] == ["1 kB", "12 kB", "1,5 MB"]
    assert [duration_text(m) for m in (60, 720, 150, 80, 20)] == [
        "1 ora",
        "12 ore",
        "2,5 ore",
        "1 ora e 20 minuti",
        "20 minuti",
    ]


def test_it_reads_back_what_it_writes() -> None:
    for value in (Decimal("1234.5"), Decimal("-7.25"), Decimal("18.50")):
        assert parse_decimal(number_text(value)) == value
        assert parse_decimal(decimal_text(value)) == value


def test_it_names_the_months() -> None:
    assert MONTHS[0] == "gennaio"
    assert MONTHS[11] == "dicembre"


def test_it_puts_the_noun_in_the_singular_only_for_one() -> None:
    assert [plural(n, "riga", "righe") for n in (0, 1, 2)] == ["righe", "riga", "righe"]
    assert plural(Decimal("1.0"), "ora", "ore") == "ora"
    assert plural(Decimal("1.5"), "ora", "ore") == "ore"
    assert counted(1, "problema", "problemi") == "1 problema"
    assert counted(2, "problema", "problemi") == "2 problemi"
    assert counted(1234, "riga", "righe") == "1.234 righe"


def test_it_counts_hours_as_the_number_shown() -> None:
    assert hours_counted(Decimal("1.00")) == "1 ora"
    assert hours_counted(2) == "2 ore"
    assert hours_counted(Decimal("7.5")) == "7,5 ore"
    assert hours_counted(Decimal("0.5")) == "0,5 ore"
    assert hours_counted(Decimal("1.001"), 2) == "1 ora"


@pytest.mark.parametrize(
    ("value", "preposition", "expected"),
    [
        (50, "", "il 50 %"),
        (80, "", "l'80 %"),
        (80, "di", "dell'80 %"),
        (70, "di", "del 70 %"),
        (11, "a", "all'11 %"),
        (8, "su", "sull'8 %"),
        (1, "", "l'1 %"),
        (Decimal("1.5"), "di", "dell'1,5 %"),
        (18, "di", "del 18 %"),
        (85, "in", "nell'85 %"),
        (100, "di", "del 100 %"),
        (800, "da", "dall'800 %"),
        (Decimal("0.5"), "di", "dello 0,5 %"),
    ],
)
def test_it_elides_the_article_before_a_percentage_read_with_a_vowel(
    value: Decimal | int, preposition: str, expected: str
) -> None:
    assert percent_with_article(value, preposition) == expected


def test_it_reads_thousands_as_italians_do() -> None:
    assert article(8000) == "l'"  # ottomila
    assert article(11000, "di") == "dell'"  # undicimila
    assert article(1000, "di") == "del "  # mille
    assert article(21000) == "il "  # ventunomila
