"""The end of a PNRR project: what may still be charged to its CUP, the exception, the split of a period. No
database."""

from __future__ import annotations

import datetime
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from supervisione.leps.pnrr import (
    ACTIVITIES_END,
    LATEST_EXCEPTION,
    PeriodSplit,
    ProjectEnd,
    exception_problem,
    period_refusal,
    refusal,
    split_amount,
    split_period,
    within_activities,
)

D = Decimal
day = datetime.date
CUP = "B61H22000370006"


def test_it_charges_up_to_the_end_and_not_after() -> None:
    assert within_activities(day(2026, 6, 30), ACTIVITIES_END)
    assert not within_activities(day(2026, 7, 1), ACTIVITIES_END)


def test_it_takes_the_exception_when_it_is_later() -> None:
    assert within_activities(day(2026, 8, 31), ACTIVITIES_END, day(2026, 8, 31))
    assert not within_activities(day(2026, 9, 1), ACTIVITIES_END, day(2026, 8, 31))
    # An exception before the end does not shorten it.
    assert ProjectEnd(ACTIVITIES_END, day(2026, 5, 1)).last_day == ACTIVITIES_END


def test_it_refuses_an_exception_after_31_august_2026() -> None:
    assert "31/08/2026" in exception_problem(ACTIVITIES_END, day(2026, 9, 1), "Decreto n. 5")
    assert exception_problem(ACTIVITIES_END, LATEST_EXCEPTION, "Decreto n. 5") == ""


def test_it_asks_for_the_act_and_a_later_date() -> None:
    assert "atto" in exception_problem(ACTIVITIES_END, day(2026, 7, 31), " ")
    assert "oltre la fine ordinaria" in exception_problem(ACTIVITIES_END, day(2026, 6, 30), "Decreto")
    assert "data della deroga" in exception_problem(ACTIVITIES_END, None, "Decreto")
    assert exception_problem(ACTIVITIES_END, None, "") == ""


def test_it_says_why_and_what_to_do() -> None:
    message = refusal(CUP, ProjectEnd(ACTIVITIES_END), "l'incontro", [day(2026, 7, 2)])
    assert message == (
        f"Il progetto PNRR (CUP {CUP}) ha concluso le attività il 30/06/2026: non si può imputare l'incontro del "
        "02/07/2026. Imputa l'incontro alla quota FNPS dell'ATS o ad altra fonte."
    )
    assert refusal(CUP, ProjectEnd(ACTIVITIES_END), "l'incontro", [day(2026, 6, 30)]) == ""


def test_it_names_the_exception_and_many_dates() -> None:
    project = ProjectEnd(ACTIVITIES_END, day(2026, 7, 31), "Decreto n. 5 del 10/06/2026")
    days = [day(2026, 8, d) for d in range(1, 9)]
    message = refusal(CUP, project, "la serie", days)
    assert "il 31/07/2026 (in deroga: Decreto n. 5 del 10/06/2026" in message
    assert "di 8 date dal 01/08/2026 al 08/08/2026" in message


def test_it_splits_a_year_at_the_end() -> None:
    split = split_period(day(2026, 1, 1), day(2026, 12, 31), ProjectEnd(ACTIVITIES_END))
    assert split == PeriodSplit(181, 184)
    assert split.straddles
    assert split_amount(D("3650.00"), split) == (D("1810.00"), D("1840.00"))
    assert split_period(day(2027, 1, 1), day(2027, 12, 31), ProjectEnd(ACTIVITIES_END)) == PeriodSplit(0, 365)
    assert split_period(day(2025, 1, 1), day(2025, 12, 31), ProjectEnd(ACTIVITIES_END)) == PeriodSplit(365, 0)


@given(
    amount=st.decimals(min_value=0, max_value=10**7, places=2, allow_nan=False, allow_infinity=False),
    first=st.dates(min_value=day(2025, 1, 1), max_value=day(2027, 12, 31)),
    length=st.integers(min_value=0, max_value=800),
)
def test_the_parts_always_add_up(amount: Decimal, first: datetime.date, length: int) -> None:
    split = split_period(first, first + datetime.timedelta(days=length), ProjectEnd(ACTIVITIES_END))
    assert split.total == length + 1
    within, after = split_amount(amount, split)
    assert within + after == amount
    assert within >= 0
    assert after >= 0


def test_it_names_the_part_of_a_period_after_the_end() -> None:
    project = ProjectEnd(ACTIVITIES_END)
    message = period_refusal(CUP, project, "le ore del gruppo", day(2026, 1, 1), day(2026, 12, 31))
    assert "non si può imputare le ore del gruppo dal 01/07/2026 al 31/12/2026." in message
    assert period_refusal(CUP, project, "x", day(2026, 1, 1), day(2026, 6, 30)) == ""
    assert "dal 01/01/2027 al 31/12/2027" in period_refusal(CUP, project, "x", day(2027, 1, 1), day(2027, 12, 31))
