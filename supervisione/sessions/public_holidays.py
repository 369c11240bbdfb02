"""Italian public holidays, from the ``holidays`` package (pinned in pyproject.toml), named in Italian.

National holidays only: patron saints' days are holidays of one comune, not of an ATS of several comuni,
so a session on such a day is the coordinator's call and is not refused here.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from functools import cache

import holidays


@cache
def _italy(year: int) -> dict[datetime.date, str]:
    return dict(holidays.country_holidays("IT", years=year, language="it_IT").items())


def holiday_name(day: datetime.date) -> str | None:
    """The Italian name of the public holiday on ``day`` (e.g. "Festa della Repubblica"), or None."""
    return _italy(day.year).get(day)


def holidays_among(days: Iterable[datetime.date]) -> dict[datetime.date, str]:
    """The public holidays among ``days``, with their names."""
    found: dict[datetime.date, str] = {}
    for day in days:
        name = holiday_name(day)
        if name is not None:
            found[day] = name
    return found


def describe_holidays(found: dict[datetime.date, str]) -> str:
    """ "il 02/06/2026 (Festa della Repubblica) e il 15/08/2026 (...)" for a message."""
    parts = [f"il {day:%d/%m/%Y} ({name})" for day, name in sorted(found.items())]
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " e " + parts[-1]
