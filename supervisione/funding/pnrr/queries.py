"""The PNRR projects of a partnership and what is still charged to each CUP after the end of its activities."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.db.models import Q

from supervisione.leps.pnrr import PeriodSplit, ProjectEnd, split_period
from supervisione.planning.models import PlanGroup, PlanStatus
from supervisione.procurement.models import Contract, ContractFunding
from supervisione.sessions.models import Session, SessionStatus
from supervisione.territory.models import FundingMeasure, Partnership


@dataclass
class Project:
    """A CUP of the partnership's contracts, with the PNRR rows that report to it."""

    cup: str
    rows: list[ContractFunding]

    @property
    def end(self) -> ProjectEnd:
        """The end of the project, as its first row states it (rows of one CUP normally agree; each row's own end
        is the one every check reads)."""
        return row_end(self.rows[0])

    @property
    def start(self) -> datetime.date | None:
        """The first day of the project's contracts (None when none says it): where its evidence pack starts."""
        return min((row.contract.start_date for row in self.rows if row.contract.start_date), default=None)

    @property
    def ends_differ(self) -> bool:
        return len({row.project_end for row in self.rows}) > 1

    @property
    def target(self) -> tuple[str, int | None]:
        for row in self.rows:
            if row.target_indicator or row.target_value is not None:
                return row.target_indicator, row.target_value
        return "", None


def projects_of(partnership: Partnership) -> list[Project]:
    """The PNRR projects of the partnership's contracts, by CUP (the row's own, or its contract's)."""
    rows = (
        ContractFunding.objects.filter(contract__partnership=partnership, measure=FundingMeasure.PNRR_114)
        .select_related("contract")
        .order_by("pk")
    )
    by_cup: dict[str, list[ContractFunding]] = defaultdict(list)
    for row in rows:
        by_cup[row.project_cup].append(row)
    return [Project(cup, found) for cup, found in sorted(by_cup.items())]


def project_of(partnership: Partnership, cup: str) -> Project | None:
    return next((project for project in projects_of(partnership) if project.cup == cup), None)


@dataclass(frozen=True)
class GroupAfterEnd:
    group: PlanGroup
    split: PeriodSplit

    @property
    def wholly_after(self) -> bool:
        return self.split.within == 0


@dataclass
class AfterEnd:
    """What is charged to a project after its end: sessions (not cancelled), plan groups whose plan goes past it
    without a row to pay afterwards (or wholly after it), PNRR rows of contracts that start after it."""

    project: Project
    sessions: list[Session] = field(default_factory=list)
    groups: list[GroupAfterEnd] = field(default_factory=list)
    rows: list[ContractFunding] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.sessions or self.groups or self.rows)

    @property
    def contracts(self) -> list[Contract]:
        """The contracts the items belong to (a hand-over moves them to another row of the same contract)."""
        found: dict[int, Contract] = {}
        for session in self.sessions:
            found.setdefault(session.contract_id, session.contract)
        for item in self.groups:
            if item.group.contract is not None:
                found.setdefault(item.group.contract.pk, item.group.contract)
        for row in self.rows:
            found.setdefault(row.contract_id, row.contract)
        return sorted(found.values(), key=lambda contract: (contract.title, contract.pk))

    def of_contract(self, contract_id: int) -> AfterEnd:
        return AfterEnd(
            self.project,
            [session for session in self.sessions if session.contract_id == contract_id],
            [item for item in self.groups if item.group.contract_id == contract_id],
            [row for row in self.rows if row.contract_id == contract_id],
        )

    @property
    def confirmed_sessions(self) -> int:
        return sum(1 for session in self.sessions if session.is_confirmed)

    @property
    def minutes(self) -> int:
        return sum(session.minutes for session in self.sessions)


def row_end(row: ContractFunding) -> ProjectEnd:
    """The end of a PNRR row's project (the rows here are PNRR rows: anything else is a bug)."""
    project = row.project_end
    if project is None:
        raise ValueError(f"La fonte {row.pk} non è di un progetto PNRR.")
    return project


def charged_within(project: Project) -> Q:
    """The sessions charged to the project up to the end of its activities (each row's own end), not cancelled:
    what its close-out checks and its final report counts."""
    charged = reduce(or_, (Q(funding_id=row.pk, date__lte=row_end(row).last_day) for row in project.rows))
    return charged & ~Q(status=SessionStatus.CANCELLED)


def _last_day(row: ContractFunding) -> datetime.date:
    return row_end(row).last_day


def after_end(project: Project, *, contract_id: int | None = None, lock: bool = False) -> AfterEnd:
    """Everything charged to the project after its end (three queries), optionally of one contract only; ``lock``
    takes the sessions' rows for a hand-over."""
    rows = [row for row in project.rows if contract_id is None or row.contract_id == contract_id]
    found = AfterEnd(project)
    if not rows:
        return found
    charged = reduce(or_, (Q(funding_id=row.pk, date__gt=_last_day(row)) for row in rows))
    sessions = (
        Session.objects.filter(charged)
        .exclude(status=SessionStatus.CANCELLED)
        .select_related("group", "supervisor", "contract", "funding")
        .order_by("date", "start_time", "pk")
    )
    if lock:
        sessions = sessions.select_for_update(of=("self",))
    found.sessions = list(sessions)
    by_pk = {row.pk: row for row in rows}
    groups = (
        PlanGroup.objects.filter(funding_id__in=by_pk)
        .exclude(plan__status=PlanStatus.SUPERSEDED)
        .select_related("plan", "contract", "funding_after")
        .order_by("plan__year", "plan__version", "kind", "name", "pk")
    )
    for group in groups:
        row = by_pk[group.funding_id or 0]
        split = split_period(group.plan.starts_on, group.plan.ends_on, row_end(row))
        if split.after and (split.within == 0 or group.funding_after_id is None):
            found.groups.append(GroupAfterEnd(group, split))
    found.rows = [
        row for row in rows if row.contract.start_date is not None and row.contract.start_date > _last_day(row)
    ]
    return found
