"""The demo's present: every date of the demo that describes "now", computed from the day it is loaded.

Pure Python (no models), so that the demo loaders, its tests and the browser journeys compute the same dates from
the same day. The historical facts stay on their real dates (San Severo's letter of 2023, the Poggiardo
co-design table of 2024-2025, Treviso's tender of 2023, the end of the PNRR activities on 30/06/2026); what
describes the present follows ``today``:

- **Years.** Poggiardo-Maglie-Casarano delivers supervision from February 2025 (the convention with Raggio di
  Sole Onlus) to the present: one plan (POA) a year, approved for every year before the current one; the
  current year's plan is a draft still to transmit (deadline ``DRAFT_DEADLINE_DAYS`` ahead); the next year's
  plan is in preparation on the FNPS quotas, whatever the day: the coordinator prepared it from the current one
  with "Prepara il POA" (``planning.next_year``), and the convention, its FNPS row and the ATS's allocations
  (foreseen, until the Region's decree) reach into it.
- **Calendar.** A1 groups meet monthly, A3 équipes every other month, A2 individual hours monthly in rotation
  (the rules in ``demo/sessions.py``); every session is placed by its date alone, so that a later load adds
  sessions without moving any. Sessions up to yesterday are held; registers of the last
  ``OPEN_REGISTER_DAYS`` days are still open (the supervisor confirms them); the calendar is booked to the
  end of the year, at least ``MIN_HORIZON_DAYS`` ahead, except group 2, booked only ``SHORT_BOOKING_DAYS``
  ahead (its supervisor books month by month: "a rischio" until its hours are in the calendar).
- **Funding.** Sessions up to the end of the PNRR activities (30/06/2026) are charged to the project's CUP;
  from the next day to the FNPS quota of that year.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from supervisione.leps.pnrr import ACTIVITIES_END

# Real dates (PRODUCT.md, section 6, and the Ministry's note of November 2025).
FIRST_YEAR = 2025  # the convention with Raggio di Sole Onlus runs from 01/02/2025
FIRST_MONTH = 2
PNRR_END = ACTIVITIES_END  # end of the PNRR M5C2 1.1.4 activities

# The present's shape (illustrative choices of the demo).
OPEN_REGISTER_DAYS = 7  # registers of the sessions of the last week are still to confirm
MIN_HORIZON_DAYS = 70  # the calendar is booked at least ten weeks ahead: every group has a next meeting
SHORT_BOOKING_DAYS = 35  # group 2 books one session ahead
DRAFT_DEADLINE_DAYS = 10  # the current year's POA is due within the fortnight of the deadline alerts
SHORT_BOOKING_GROUP = 2  # "a rischio": its calendar is short
UNASSIGNED_GROUP = 4  # the current year's group without a supervisor: "in ritardo"


@dataclass(frozen=True)
class Present:
    """The demo seen from ``today``."""

    today: datetime.date

    @property
    def year(self) -> int:
        return self.today.year

    @property
    def horizon(self) -> datetime.date:
        """The last day with sessions in the calendar: the end of the year, or six weeks ahead if later."""
        return max(datetime.date(self.year, 12, 31), self.today + datetime.timedelta(days=MIN_HORIZON_DAYS))

    @property
    def short_horizon(self) -> datetime.date:
        """The last day group 2 has booked."""
        return min(self.horizon, self.today + datetime.timedelta(days=SHORT_BOOKING_DAYS))

    @property
    def last_confirmed(self) -> datetime.date:
        """Sessions held up to this day have their register confirmed; later ones are still open."""
        return self.today - datetime.timedelta(days=OPEN_REGISTER_DAYS)

    @property
    def next_year(self) -> int:
        """The year whose POA is in preparation."""
        return self.year + 1

    @property
    def plan_years(self) -> range:
        """The years with a plan: from the first of the convention to the next year, in preparation (the calendar
        reaches into it at most ten weeks before)."""
        return range(FIRST_YEAR, max(self.horizon.year, self.next_year, FIRST_YEAR) + 1)

    @property
    def convention_end(self) -> datetime.date:
        """The convention is renewed year by year: it runs to the end of the last year with a plan (and the
        supervisors' declarations with it)."""
        return datetime.date(self.plan_years[-1], 12, 31)

    def draft_deadline(self, year: int) -> datetime.date:
        """The current year's draft is due within ten days; the next year's by the end of its March."""
        if year > self.year:
            return datetime.date(year, 3, 31)
        return self.today + datetime.timedelta(days=DRAFT_DEADLINE_DAYS)

    def plan_is_approved(self, year: int) -> bool:
        """Plans of past years are approved; the current year's (and the next one's) are drafts."""
        return year < self.year

    def first_month(self, year: int) -> int:
        return FIRST_MONTH if year == FIRST_YEAR else 1

    def is_held(self, day: datetime.date) -> bool:
        return day < self.today

    def is_confirmed(self, day: datetime.date) -> bool:
        return day <= self.last_confirmed

    def is_booked(self, day: datetime.date, group_number: int | None = None) -> bool:
        """Whether the calendar reaches ``day`` (for an A1 group, by its number)."""
        last = self.short_horizon if group_number == SHORT_BOOKING_GROUP else self.horizon
        return day <= last


def is_pnrr(day: datetime.date) -> bool:
    """Whether a session of ``day`` is charged to the PNRR project (its activities ended on 30/06/2026)."""
    return day <= PNRR_END


def christmas_leave(year: int) -> tuple[datetime.date, datetime.date]:
    """The supervisors' Christmas leave that starts in ``year``: 24 December to 6 January."""
    return datetime.date(year, 12, 24), datetime.date(year + 1, 1, 6)


def in_leave(day: datetime.date) -> bool:
    return day >= christmas_leave(day.year)[0] or day <= christmas_leave(day.year - 1)[1]
