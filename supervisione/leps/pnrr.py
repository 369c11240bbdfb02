"""The end of a PNRR M5C2 1.1.4 project: nothing is charged to its CUP after its activities end (issue 16).

The projects' activities ended on **30/06/2026** (Ministry note of November 2025, which moved the deadline of
31/03/2026); in residual cases, only where it is needed to reach the target and with an act that says so, they
may go on to **31/08/2026** at the latest (the exception, "deroga"). From the day after, supervision is paid by
each ATS's FNPS quota or by another source: a session, a cost or a contract's funding row of a later date is not
chargeable to the project's CUP.

``ProjectEnd`` is a project's end with its exception; ``within_activities`` says whether a day may be charged to it;
``refusal`` says, in the words every app uses, why a day is refused and what to do instead; ``split_period`` splits
a period (a plan's months) at the end, and ``split_amount`` a cost by the days each side.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from supervisione.leps.rounding import CENT, ZERO

# The end of the activities of every PNRR M5C2 1.1.4 project (the setting PNRR_ACTIVITIES_END defaults to it).
ACTIVITIES_END = datetime.date(2026, 6, 30)
# The latest an exception may take the activities (residual cases, to reach the target).
LATEST_EXCEPTION = datetime.date(2026, 8, 31)


@dataclass(frozen=True)
class ProjectEnd:
    """When a project's activities end: ``end``, or the exception's day when an act grants one."""

    end: datetime.date
    exception: datetime.date | None = None
    exception_act: str = ""

    @property
    def last_day(self) -> datetime.date:
        """The last day that may be charged to the project."""
        if self.exception is not None and self.exception > self.end:
            return self.exception
        return self.end

    def within_activities(self, day: datetime.date) -> bool:
        return within_activities(day, self.end, self.exception)

    def describe(self) -> str:
        """ "il 30/06/2026" or "il 31/08/2026 (in deroga: decreto n. 12 del 10/06/2026)"."""
        if self.last_day == self.end:
            return f"il {self.end:%d/%m/%Y}"
        act = f": {self.exception_act}" if self.exception_act else ""
        return f"il {self.last_day:%d/%m/%Y} (in deroga{act}; la fine ordinaria era il {self.end:%d/%m/%Y})"


def within_activities(day: datetime.date, end: datetime.date, exception: datetime.date | None = None) -> bool:
    """May ``day`` be charged to a project whose activities end on ``end`` (or on ``exception``, if later)?"""
    return day <= ProjectEnd(end, exception).last_day


def exception_problem(end: datetime.date, exception: datetime.date | None, act: str) -> str:
    """Why an exception date is not acceptable ("" when it is, or when there is none)."""
    if exception is None:
        return "Indica la data della deroga insieme al suo atto." if act.strip() else ""
    if exception > LATEST_EXCEPTION:
        return (
            f"La deroga non può andare oltre il {LATEST_EXCEPTION:%d/%m/%Y}: è il termine ultimo per i casi "
            "residuali, solo dove serve per raggiungere il target."
        )
    if exception <= end:
        return f"La deroga deve prolungare le attività oltre la fine ordinaria del {end:%d/%m/%Y}."
    if not act.strip():
        return "Indica l'atto che concede la deroga (es. decreto o nota con numero e data)."
    return ""


def refusal(cup: str, project: ProjectEnd, what: str, days: list[datetime.date]) -> str:
    """Why ``what`` (e.g. "l'incontro", "il costo") of these days cannot be charged to the project, and what to do
    instead; "" when every day is within the activities."""
    after = sorted(day for day in set(days) if not project.within_activities(day))
    if not after:
        return ""
    if len(after) == 1:
        dates = f"del {after[0]:%d/%m/%Y}"
    elif len(after) <= 5:
        dates = "delle date " + ", ".join(f"{day:%d/%m/%Y}" for day in after)
    else:
        dates = f"di {len(after)} date dal {after[0]:%d/%m/%Y} al {after[-1]:%d/%m/%Y}"
    code = f"CUP {cup}" if cup else "CUP non indicato"
    return (
        f"Il progetto PNRR ({code}) ha concluso le attività {project.describe()}: non si può imputare "
        f"{what} {dates}. Imputa {what} alla quota FNPS dell'ATS o ad altra fonte."
    )


def period_refusal(cup: str, project: ProjectEnd, what: str, first: datetime.date, last: datetime.date) -> str:
    """Why ``what`` of a period (a plan's months) cannot be charged to the project after its end ("" when the whole
    period is within the activities): the same words as ``refusal``, naming the days after the end."""
    if project.within_activities(last):
        return ""
    since = max(first, project.last_day + datetime.timedelta(days=1))
    code = f"CUP {cup}" if cup else "CUP non indicato"
    return (
        f"Il progetto PNRR ({code}) ha concluso le attività {project.describe()}: non si può imputare {what} "
        f"dal {since:%d/%m/%Y} al {last:%d/%m/%Y}. Imputa {what} alla quota FNPS dell'ATS o ad altra fonte."
    )


@dataclass(frozen=True)
class PeriodSplit:
    """A period's days within the project's activities and after them."""

    within: int
    after: int

    @property
    def total(self) -> int:
        return self.within + self.after

    @property
    def straddles(self) -> bool:
        return self.within > 0 and self.after > 0


def split_period(first: datetime.date, last: datetime.date, project: ProjectEnd) -> PeriodSplit:
    """How many days from ``first`` to ``last`` (both included) fall within the activities, and how many after."""
    total = (last - first).days + 1
    if total <= 0:
        return PeriodSplit(0, 0)
    within = min(max((project.last_day - first).days + 1, 0), total)
    return PeriodSplit(within, total - within)


def split_amount(amount: Decimal, split: PeriodSplit) -> tuple[Decimal, Decimal]:
    """The part of a cost within the activities (by days, to the cent, half up) and the rest: they add up."""
    if split.total == 0:
        return ZERO, ZERO
    within = (amount * split.within / split.total).quantize(CENT, rounding=ROUND_HALF_UP)
    return within, amount - within
