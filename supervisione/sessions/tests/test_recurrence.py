"""Expansion of recurring sessions: weekly, every N weeks, monthly on the n-th weekday; until a date or a count."""

from __future__ import annotations

import datetime

import pytest

from supervisione.sessions.recurrence import (
    MAX_OCCURRENCES,
    Frequency,
    Recurrence,
    RecurrenceError,
    expand,
    nth_weekday,
    nth_weekday_ordinal,
)

D = datetime.date


def test_it_repeats_weekly_until_a_date_included() -> None:
    dates = expand(D(2026, 3, 3), Recurrence(Frequency.WEEKLY, until=D(2026, 3, 24)))
    assert dates == [D(2026, 3, 3), D(2026, 3, 10), D(2026, 3, 17), D(2026, 3, 24)]


def test_it_repeats_every_other_week_for_a_count() -> None:
    dates = expand(D(2026, 3, 3), Recurrence(Frequency.WEEKLY, interval=2, count=3))
    assert dates == [D(2026, 3, 3), D(2026, 3, 17), D(2026, 3, 31)]


def test_it_keeps_the_nth_weekday_of_each_month() -> None:
    # 10/03/2026 is the second Tuesday of March.
    dates = expand(D(2026, 3, 10), Recurrence(Frequency.MONTHLY, count=4))
    assert dates == [D(2026, 3, 10), D(2026, 4, 14), D(2026, 5, 12), D(2026, 6, 9)]
    assert all(day.weekday() == 1 for day in dates)


def test_it_treats_a_fifth_weekday_as_the_last_of_each_month() -> None:
    # 30/01/2026 is the fifth (and last) Friday of January; February has only four.
    dates = expand(D(2026, 1, 30), Recurrence(Frequency.MONTHLY, count=3))
    assert dates == [D(2026, 1, 30), D(2026, 2, 27), D(2026, 3, 27)]


def test_it_repeats_every_two_months_across_the_year_end() -> None:
    dates = expand(D(2025, 11, 4), Recurrence(Frequency.MONTHLY, interval=2, until=D(2026, 5, 31)))
    assert dates == [D(2025, 11, 4), D(2026, 1, 6), D(2026, 3, 3), D(2026, 5, 5)]


def test_it_finds_nth_weekdays() -> None:
    assert nth_weekday(2026, 6, 0, 1) == D(2026, 6, 1)
    assert nth_weekday(2026, 6, 0, -1) == D(2026, 6, 29)
    assert nth_weekday_ordinal(D(2026, 6, 29)) == -1
    assert nth_weekday_ordinal(D(2026, 6, 22)) == 4


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        (Recurrence(Frequency.WEEKLY), "Indica quando finisce la serie"),
        (Recurrence(Frequency.WEEKLY, until=D(2026, 5, 1), count=3), "Indica quando finisce la serie"),
        (Recurrence(Frequency.WEEKLY, interval=0, count=3), "L'intervallo va da 1 a 12"),
        (Recurrence(Frequency.WEEKLY, count=MAX_OCCURRENCES + 1), "Una serie ha da 1 a 120 incontri"),
        (Recurrence(Frequency.WEEKLY, until=D(2026, 2, 1)), "precede il primo incontro"),
        (Recurrence(Frequency.WEEKLY, until=D(2030, 1, 1)), "supererebbe 120 incontri"),
    ],
)
def test_it_refuses_rules_that_cannot_make_a_series(rule: Recurrence, message: str) -> None:
    with pytest.raises(RecurrenceError, match=message):
        expand(D(2026, 3, 3), rule)


def test_it_describes_the_rule_in_italian() -> None:
    weekly = Recurrence(Frequency.WEEKLY, interval=2, until=D(2026, 6, 30))
    assert weekly.describe(D(2026, 3, 3)) == "ogni 2 settimane, il martedì, fino al 30/06/2026"
    monthly = Recurrence(Frequency.MONTHLY, count=5)
    assert monthly.describe(D(2026, 3, 10)) == "ogni mese, il secondo martedì, per 5 incontri"
    assert monthly.describe(D(2026, 3, 29)) == "ogni mese, l'ultima domenica, per 5 incontri"
