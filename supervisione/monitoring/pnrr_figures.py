"""The figures of a PNRR project (CUP) at its close-out, which the final report and the ReGiS extract share
(issue 16.4).

What counts for the project is what was charged to its rows up to each row's own end of activities (a session
after the end belongs to whoever pays it then, see ``funding.pnrr``): sessions held (register confirmed) per year
and type, the hours the plans gave the project (a plan that goes past the end counts for the project the days
before it, as ``planning.project_end.source_parts`` splits its costs), the people present at least once, the money
per contract (the rows' amounts, and the confirmed hours at the contract's rates, "maturato"). The LEPS minimums
per year are the monitoring's own compliance (``figures`` on the project's groups for the year: a group's minimum
counts every hour it held that year, whoever paid for it).

A fixed number of queries for a project, whatever its sessions and people: the plans, per year of the plans the
figures' group queries, and five aggregates.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.db.models.functions import ExtractYear
from django.utils import timezone

from supervisione.accounts.models import User
from supervisione.funding.pnrr.queries import Project, charged_within
from supervisione.leps.cofinancing import hours_cost
from supervisione.leps.compliance import ComplianceStatus
from supervisione.leps.pnrr import split_amount
from supervisione.leps.rounding import ZERO
from supervisione.planning.models import GroupKind, Plan, PlanStatus
from supervisione.planning.project_end import period_split
from supervisione.procurement.models import Contract, ContractLine
from supervisione.sessions.models import Attendance, AttendanceStatus, Session
from supervisione.sessions.usage import minutes_to_hours
from supervisione.territory.models import Partnership

from .figures import Figures, figures
from .figures.groups import KIND_ORDER
from .figures.sums import CONFIRMED, percent
from .selection import YEAR, Selection, pick_plans

PRESENT = (AttendanceStatus.PRESENT, AttendanceStatus.PARTIAL)


@dataclass
class KindYear:
    """One type of supervision in one year of the project."""

    year: int
    kind: str
    sessions: int = 0  # held: register confirmed
    delivered: Decimal = ZERO  # hours of those sessions
    planned: Decimal = ZERO  # the plans' hours given to the project (its share of a plan past the end)

    @property
    def delivered_percent(self) -> int | None:
        return percent(self.delivered, self.planned)


@dataclass
class ContractMoney:
    contract: Contract
    charged: Decimal = ZERO  # the amounts of the contract's PNRR rows of this CUP
    hours: Decimal = ZERO  # confirmed hours charged to those rows within the activities
    accrued: Decimal = ZERO  # those hours at the contract's rates

    @property
    def residual(self) -> Decimal:
        return self.charged - self.accrued


@dataclass
class LepsYear:
    """The monitoring's compliance of the project's groups for one year, read on ``as_of``."""

    year: int
    as_of: datetime.date
    figures: Figures

    @property
    def counts(self) -> dict[ComplianceStatus, int]:
        return dict(self.figures.status_counts)

    @property
    def groups(self) -> int:
        return len(self.figures.leps_groups)


@dataclass
class ProjectFigures:
    partnership: Partnership
    project: Project
    today: datetime.date
    start: datetime.date | None  # the first contract's start
    closed_at: datetime.datetime | None
    closed_by: str
    kinds: list[KindYear] = field(default_factory=list)
    leps: list[LepsYear] = field(default_factory=list)
    people: int = 0
    people_by_ambito: list[tuple[str, int]] = field(default_factory=list)
    money: list[ContractMoney] = field(default_factory=list)

    @property
    def closed_on(self) -> datetime.date | None:
        """The day the project was closed, in Italy."""
        return None if self.closed_at is None else timezone.localtime(self.closed_at).date()

    @property
    def cup(self) -> str:
        return self.project.cup

    @property
    def target_indicator(self) -> str:
        return self.project.target[0] or "Operatori sociali supervisionati"

    @property
    def target_value(self) -> int | None:
        return self.project.target[1]

    @property
    def target_percent(self) -> int | None:
        value = self.target_value
        return percent(Decimal(self.people), Decimal(value)) if value else None

    @property
    def sessions(self) -> int:
        return sum(item.sessions for item in self.kinds)

    @property
    def delivered(self) -> Decimal:
        return sum((item.delivered for item in self.kinds), ZERO)

    @property
    def planned(self) -> Decimal:
        return sum((item.planned for item in self.kinds), ZERO)

    def per_kind(self) -> list[KindYear]:
        """The years added up, per type (year 0)."""
        found: dict[str, KindYear] = {}
        for item in self.kinds:
            total = found.setdefault(item.kind, KindYear(0, item.kind))
            total.sessions += item.sessions
            total.delivered += item.delivered
            total.planned += item.planned
        return [found[kind] for kind in KIND_ORDER if kind in found]


def project_figures(partnership: Partnership, project: Project, today: datetime.date) -> ProjectFigures:
    row_ids = [row.pk for row in project.rows]
    closed = next((row for row in project.rows if row.closed_at is not None), None)
    closer = User.objects.filter(pk=closed.closed_by_id).first() if closed is not None and closed.closed_by_id else None
    contracts = {row.contract_id: row.contract for row in project.rows}
    starts = [contract.start_date for contract in contracts.values() if contract.start_date is not None]
    found = ProjectFigures(
        partnership,
        project,
        today,
        start=min(starts) if starts else None,
        closed_at=closed.closed_at if closed is not None else None,
        closed_by=str(closer) if closer is not None else "",
    )
    kinds: dict[tuple[int, str], KindYear] = {}
    _plans_and_leps(found, row_ids, kinds)
    _sessions(found, kinds)
    found.kinds = sorted(kinds.values(), key=lambda item: (item.year, KIND_ORDER.index(item.kind)))
    _people(found)
    return found


def _plans_and_leps(found: ProjectFigures, row_ids: list[int], kinds: dict[tuple[int, str], KindYear]) -> None:
    """Per year of the plans with a group charged to the project: its compliance and the hours given to it."""
    plans = pick_plans(
        Plan.objects.filter(groups__funding_id__in=row_ids)
        .exclude(status=PlanStatus.SUPERSEDED)
        .distinct()
        .select_related("partnership", "partnership__capofila__region", "ambito", "ambito__region")
    )
    by_year: dict[int, list[Plan]] = defaultdict(list)
    for plan in plans:
        by_year[plan.year].append(plan)
    for year in sorted(by_year):
        selection = Selection(year, YEAR, found.today, tuple(by_year[year]), group_q=Q(funding_id__in=row_ids))
        year_figures = figures(selection, groups_only=True)
        found.leps.append(LepsYear(year, selection.as_of, year_figures))
        for row in year_figures.groups:
            split = period_split(row.plan, row.group.funding)
            parts = [(row.kind, row.planned)]
            if row.kind == GroupKind.A1:
                parts.append(("A2", row.pool))
            for kind, hours in parts:
                share = hours if split is None or split.after == 0 else split_amount(hours, split)[0]
                kinds.setdefault((year, kind), KindYear(year, kind)).planned += share


def _sessions(found: ProjectFigures, kinds: dict[tuple[int, str], KindYear]) -> None:
    """Sessions held and hours per year and type, and the money per contract (two queries)."""
    held = list(
        Session.objects.filter(charged_within(found.project))
        .filter(CONFIRMED)
        .annotate(year=ExtractYear("date"))
        .values("year", "kind", "contract_id")
        .annotate(sessions=Count("pk"), minutes=Sum("minutes", default=0))
        .order_by()
    )
    contracts = {row.contract_id: row.contract for row in found.project.rows}
    rates = {
        (line.contract_id, line.kind): line.hourly_rate
        for line in ContractLine.objects.filter(contract_id__in=list(contracts))
    }
    money = {pk: ContractMoney(contract) for pk, contract in contracts.items()}
    for row in found.project.rows:
        money[row.contract_id].charged += row.amount
    for item in held:
        hours = minutes_to_hours(item["minutes"])
        entry = kinds.setdefault((item["year"], item["kind"]), KindYear(item["year"], item["kind"]))
        entry.sessions += item["sessions"]
        entry.delivered += hours
        line = money.get(item["contract_id"])
        if line is not None:
            line.hours += hours
            rate = rates.get((item["contract_id"], item["kind"]))
            line.accrued += ZERO if rate is None else hours_cost(hours, rate)
    found.money = sorted(money.values(), key=lambda line: (line.contract.title, line.contract.pk))


def _people(found: ProjectFigures) -> None:
    """The people present at least once at a session held for the project, in all and per ATS (two queries)."""
    attended = Attendance.objects.filter(
        session__in=Session.objects.filter(charged_within(found.project)).filter(CONFIRMED), status__in=PRESENT
    )
    found.people = attended.values("person_id").distinct().count()
    found.people_by_ambito = [
        (item["ambito__name"], item["people"])
        for item in attended.values("ambito__name")
        .annotate(people=Count("person_id", distinct=True))
        .order_by("ambito__name")
    ]
