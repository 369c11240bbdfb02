"""What a dashboard looks at: a year or part of it, the plans in force, and optional filters (ATS, type).

- ``Period``: the whole year, a half or a quarter; dashboards show the hours of the period, and the
  compliance of each group on the period's last day (or today, if earlier).
- ``plans_of_year``: for each owner (partnership or ATS), the plan whose groups the sessions of the year are
  booked on: the approved version or, while the year has none, the version being prepared (as
  ``sessions.views.common.is_bookable`` decides). Sessions booked on an earlier version's groups count for
  the same group of the version shown (``PlanGroup.copied_from``).
- ``Selection``: all of this together, with the filters a dashboard adds (a supervisor, a group, an ATS).
"""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Q

from supervisione.planning.models import Plan, PlanStatus
from supervisione.territory.models import Ambito, Partnership


@dataclass(frozen=True)
class Period:
    key: str
    label: str
    first_month: int
    last_month: int

    def start(self, year: int) -> datetime.date:
        return datetime.date(year, self.first_month, 1)

    def end(self, year: int) -> datetime.date:
        return datetime.date(year, self.last_month, calendar.monthrange(year, self.last_month)[1])

    @property
    def months(self) -> range:
        return range(self.first_month, self.last_month + 1)

    @property
    def is_year(self) -> bool:
        return self.first_month == 1 and self.last_month == 12


PERIODS: dict[str, Period] = {
    period.key: period
    for period in (
        Period("anno", "Intero anno", 1, 12),
        Period("s1", "Primo semestre (gennaio-giugno)", 1, 6),
        Period("s2", "Secondo semestre (luglio-dicembre)", 7, 12),
        Period("t1", "Primo trimestre", 1, 3),
        Period("t2", "Secondo trimestre", 4, 6),
        Period("t3", "Terzo trimestre", 7, 9),
        Period("t4", "Quarto trimestre", 10, 12),
    )
}
YEAR = PERIODS["anno"]

KINDS = {
    "A1": "A1 - gruppi monoprofessionali",
    "A2": "A2 - supervisione individuale",
    "A3": "A3 - équipe",
    "extra": "Extra-LEPS",
}


@dataclass(frozen=True)
class Selection:
    """The plans, period and filters of one dashboard."""

    year: int
    period: Period
    today: datetime.date
    plans: tuple[Plan, ...]
    kind: str | None = None  # A1, A2, A3, extra
    ambito: Ambito | None = None
    group_q: Q = field(default_factory=Q)  # on PlanGroup: a dashboard's own restriction (a supervisor, a group)
    session_q: Q = field(default_factory=Q)  # on Session: e.g. the sessions of one supervisor

    @property
    def provisional_plans(self) -> list[Plan]:
        """Plans read while no version is approved yet: their compliance is provisional (an approved version, when
        there is one, is always the one read: ``pick_plans``)."""
        return [plan for plan in self.plans if plan.is_provisional]

    @property
    def start(self) -> datetime.date:
        return self.period.start(self.year)

    @property
    def end(self) -> datetime.date:
        return self.period.end(self.year)

    @property
    def year_start(self) -> datetime.date:
        return datetime.date(self.year, 1, 1)

    @property
    def year_end(self) -> datetime.date:
        return datetime.date(self.year, 12, 31)

    @property
    def as_of(self) -> datetime.date:
        """Compliance is read on the period's last day, or today if the period is not over."""
        return min(self.today, self.end)

    @property
    def plan_ids(self) -> list[int]:
        return [plan.pk for plan in self.plans]

    def owners_q(self, prefix: str = "") -> Q:
        """Every version of the shown plans' owners for the year (for sessions booked on earlier versions)."""
        partnerships = {plan.partnership_id for plan in self.plans if plan.partnership_id}
        ambiti = {plan.ambito_id for plan in self.plans if plan.ambito_id}
        if not partnerships and not ambiti:
            return Q(pk__in=[])
        condition = Q(**{f"{prefix}year": self.year})
        owners = Q(pk__in=[])
        if partnerships:
            owners |= Q(**{f"{prefix}partnership_id__in": sorted(partnerships)})
        if ambiti:
            owners |= Q(**{f"{prefix}ambito_id__in": sorted(ambiti)})
        return condition & owners


def pick_plans(plans: Iterable[Plan]) -> list[Plan]:
    """Of the versions of each owner's plan for one year, the approved one, else the latest not superseded."""
    chosen: dict[tuple[int | None, int | None, int], Plan] = {}
    for plan in plans:
        if plan.status == PlanStatus.SUPERSEDED:
            continue
        key = (plan.partnership_id, plan.ambito_id, plan.year)
        current = chosen.get(key)
        if (
            current is None
            or (plan.status == PlanStatus.APPROVED and current.status != PlanStatus.APPROVED)
            or (current.status != PlanStatus.APPROVED and plan.version > current.version)
        ):
            chosen[key] = plan
    return sorted(chosen.values(), key=lambda plan: (plan.tenant.name, plan.pk))


def plans_of_year(year: int, owners: Q) -> list[Plan]:
    """The plan in force of each owner matching ``owners`` (a filter on ``Plan``) for a year (one query)."""
    # Unordered: pick_plans chooses by status and version (one of each per owner and year, by the plans'
    # constraints) and sorts what it chose, and the model's ordering made Django match the ORDER BY against each
    # of the 74 columns selected.
    return pick_plans(
        Plan.objects.filter(owners, year=year)
        .exclude(status=PlanStatus.SUPERSEDED)
        .select_related("partnership", "partnership__capofila__region", "ambito", "ambito__region")
        .order_by()
    )


def partnership_plans(partnership: Partnership, year: int) -> list[Plan]:
    return plans_of_year(year, Q(partnership=partnership))


def ambito_plans(ambito: Ambito, year: int) -> list[Plan]:
    """The plans that cover an ATS: its own and those of the partnerships it belongs to."""
    return plans_of_year(
        year, Q(ambito=ambito) | Q(partnership__memberships__ambito=ambito) | Q(partnership__capofila=ambito)
    )
