"""Recurring sessions: the dates of a series from its first date and its rule.

Pure Python. A series repeats

- weekly, every ``interval`` weeks (1 = every week, 2 = every other week...), on the first date's weekday;
- monthly, every ``interval`` months, on the n-th weekday of the month (``ordinal`` 1-4, or -1 for the last),
  e.g. "the second Tuesday of every month";

and ends on a date (``until``, included) or after a number of occurrences (``count``): exactly one of the two.
A series never has more than ``MAX_OCCURRENCES`` dates, so that a typo cannot book ten years of sessions.
"""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass
from enum import StrEnum

from supervisione.lib.italian import counted

MAX_OCCURRENCES = 120
MAX_INTERVAL = 12
SUNDAY = 6

WEEKDAY_NAMES = ("lunedì", "martedì", "mercoledì", "giovedì", "venerdì", "sabato", "domenica")
ORDINAL_NAMES = {1: "primo", 2: "secondo", 3: "terzo", 4: "quarto", -1: "ultimo"}
# Italian weekday nouns are masculine except domenica.
ORDINAL_NAMES_FEMININE = {1: "prima", 2: "seconda", 3: "terza", 4: "quarta", -1: "ultima"}


class Frequency(StrEnum):
    WEEKLY = "weekly"
    MONTHLY = "monthly"


class RecurrenceError(ValueError):
    """A rule that cannot produce a series; the message is the Italian sentence shown to the user."""


@dataclass(frozen=True)
class Recurrence:
    frequency: Frequency
    interval: int = 1
    until: datetime.date | None = None
    count: int | None = None

    def describe(self, first: datetime.date) -> str:
        """The rule in Italian words, e.g. "ogni 2 settimane, il martedì, fino al 30/06/2026"."""
        weekday = WEEKDAY_NAMES[first.weekday()]
        if self.frequency is Frequency.WEEKLY:
            every = "ogni settimana" if self.interval == 1 else f"ogni {self.interval} settimane"
            text = f"{every}, {_article(first)} {weekday}"
        else:
            every = "ogni mese" if self.interval == 1 else f"ogni {self.interval} mesi"
            ordinal = nth_weekday_ordinal(first)
            feminine = first.weekday() == SUNDAY
            name = (ORDINAL_NAMES_FEMININE if feminine else ORDINAL_NAMES)[ordinal]
            article = "l'" if ordinal == -1 else _article(first) + " "
            text = f"{every}, {article}{name} {weekday}"
        if self.until is not None:
            return f"{text}, fino al {self.until:%d/%m/%Y}"
        return f"{text}, per {counted(self.count or 0, 'incontro', 'incontri')}"


def _article(day: datetime.date) -> str:
    return "la" if day.weekday() == SUNDAY else "il"


def nth_weekday_ordinal(day: datetime.date) -> int:
    """1-4 for the first to fourth such weekday of its month, -1 for a fifth one (the last)."""
    position = (day.day - 1) // 7 + 1
    return -1 if position == 5 else position  # a fifth weekday is always the last


def nth_weekday(year: int, month: int, weekday: int, ordinal: int) -> datetime.date:
    """The ``ordinal``-th ``weekday`` (0 = Monday) of a month; ``ordinal`` -1 is the last one."""
    if ordinal == -1:
        last = datetime.date(year, month, calendar.monthrange(year, month)[1])
        return last - datetime.timedelta(days=(last.weekday() - weekday) % 7)
    first = datetime.date(year, month, 1)
    return first + datetime.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (ordinal - 1))


def check(rule: Recurrence, first: datetime.date) -> None:
    if (rule.until is None) == (rule.count is None):
        raise RecurrenceError("Indica quando finisce la serie: una data di fine oppure il numero di incontri.")
    if not 1 <= rule.interval <= MAX_INTERVAL:
        raise RecurrenceError(f"L'intervallo va da 1 a {MAX_INTERVAL}.")
    if rule.count is not None and not 1 <= rule.count <= MAX_OCCURRENCES:
        raise RecurrenceError(f"Una serie ha da 1 a {MAX_OCCURRENCES} incontri.")
    if rule.until is not None and rule.until < first:
        raise RecurrenceError(
            f"La data di fine della serie ({rule.until:%d/%m/%Y}) precede il primo incontro ({first:%d/%m/%Y})."
        )


def expand(first: datetime.date, rule: Recurrence) -> list[datetime.date]:
    """Every date of the series, ``first`` included, in order.

    Monthly series keep the first date's position in its month: a series starting on the second Tuesday
    meets on the second Tuesday of each month; one starting on the last Friday (even a fifth one) meets on
    the last Friday.
    """
    check(rule, first)
    limit = rule.count if rule.count is not None else MAX_OCCURRENCES
    dates: list[datetime.date] = []
    if rule.frequency is Frequency.WEEKLY:
        step = datetime.timedelta(weeks=rule.interval)
        day = first
        while len(dates) < limit and (rule.until is None or day <= rule.until):
            dates.append(day)
            day += step
    else:
        ordinal = nth_weekday_ordinal(first)
        index = 0
        while len(dates) < limit:
            months = first.month - 1 + index * rule.interval
            day = nth_weekday(first.year + months // 12, months % 12 + 1, first.weekday(), ordinal)
            if rule.until is not None and day > rule.until:
                break
            dates.append(day)
            index += 1
    if rule.until is not None and len(dates) == MAX_OCCURRENCES:
        following = _next_after(dates[-1], first, rule)
        if following <= rule.until:
            raise RecurrenceError(
                f"La serie supererebbe {MAX_OCCURRENCES} incontri: anticipa la data di fine o allunga l'intervallo."
            )
    return dates


def _next_after(last: datetime.date, first: datetime.date, rule: Recurrence) -> datetime.date:
    if rule.frequency is Frequency.WEEKLY:
        return last + datetime.timedelta(weeks=rule.interval)
    months = last.month - 1 + rule.interval
    return nth_weekday(last.year + months // 12, months % 12 + 1, first.weekday(), nth_weekday_ordinal(first))
