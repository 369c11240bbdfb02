"""Reads of the FNPS allocations and ledgers, each in a fixed number of queries whatever the number of rows.

- ``ambito_funds(ambito)``: the funds page of an ATS: its allocations, each with its balance and its acts as a
  tree (commitments with their liquidations and payments; programming apart), and the totals (two queries).
- ``allocation_totals(ambito_ids, as_of)``: each allocation's ledger added up, with its ATS and region, for the
  dashboards (two aggregate queries; ``None``: every ATS, for national observers).
- ``plan_allocations``: the allocations a plan's year may spend, for the plan page (``planning.fnps_allocations``).
- ``contracts_of``, ``plans_of``: what a commitment may name as its contract and a programming as its POA.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q, QuerySet, Sum

from supervisione.audit.models import AuditEntry
from supervisione.funding import ledger
from supervisione.funding.models import FnpsAllocation, LedgerEntry, Stage
from supervisione.planning.fnps_allocations import AllocationFigure
from supervisione.planning.models import Plan, PlanStatus
from supervisione.procurement.models import Contract
from supervisione.territory.models import Ambito, Partnership, PartnershipMember


@dataclass
class Act:
    """An act of the ledger with the acts that execute it (a commitment's liquidations, a liquidation's
    payments), for the tree of the funds page."""

    entry: LedgerEntry
    children: list[Act] = field(default_factory=list)

    @property
    def executed(self) -> Decimal:
        """What its children add up to (liquidated of a commitment, paid of a liquidation)."""
        return sum((child.entry.amount for child in self.children), ledger.ZERO)

    @property
    def left(self) -> Decimal:
        return self.entry.amount - self.executed


@dataclass
class AllocationLedger:
    allocation: FnpsAllocation
    balance: ledger.Balance
    programming: list[LedgerEntry]
    commitments: list[Act]

    @property
    def is_empty(self) -> bool:
        return not self.programming and not self.commitments


@dataclass
class AmbitoFunds:
    ambito: Ambito
    allocations: list[AllocationLedger]
    totals: ledger.Totals
    problems: list[str]  # what the stored ledger breaks (only if rows were written around the application)


def ambito_funds(ambito: Ambito) -> AmbitoFunds:
    """Every allocation of the ATS with its ledger: two queries."""
    allocations = list(FnpsAllocation.objects.filter(ambito=ambito).order_by("-first_year"))
    entries = list(
        LedgerEntry.objects.filter(ambito=ambito)
        .select_related("contract", "plan", "plan__partnership", "plan__ambito")
        .order_by("date", "pk")
    )
    for allocation in allocations:
        allocation.ambito = ambito
    facts = [allocation.as_ledger() for allocation in allocations]
    found = ledger.balances(facts, [entry.as_ledger() for entry in entries])
    acts = {entry.pk: Act(entry) for entry in entries}
    per_allocation: dict[int, list[Act]] = defaultdict(list)
    programming: dict[int, list[LedgerEntry]] = defaultdict(list)
    for entry in entries:
        if entry.stage == Stage.PROGRAMMED:
            programming[entry.allocation_id].append(entry)
        elif entry.stage == Stage.COMMITTED:
            per_allocation[entry.allocation_id].append(acts[entry.pk])
        elif entry.parent_id in acts:
            acts[entry.parent_id].children.append(acts[entry.pk])
    rows = [
        AllocationLedger(allocation, found[allocation.pk], programming[allocation.pk], per_allocation[allocation.pk])
        for allocation in allocations
    ]
    problems = [problem.message for problem in ledger.problems(facts, [entry.as_ledger() for entry in entries])]
    return AmbitoFunds(ambito, rows, ledger.totals(row.balance for row in rows), problems)


@dataclass(frozen=True)
class AllocationTotals:
    """An allocation's ledger added up, with its ATS and region, for dashboards."""

    allocation_id: int
    ambito_id: int
    ambito_name: str
    region_id: int
    region_name: str
    first_year: int
    last_year: int
    totals: ledger.Totals

    @property
    def years_text(self) -> str:
        return ledger.years_text(self.first_year, self.last_year)


def allocation_totals(ambito_ids: Collection[int] | None, as_of: datetime.date | None = None) -> list[AllocationTotals]:
    """Every allocation of the ATS (``None``: of every ATS) with its ledger added up per stage: two aggregate
    queries whatever the number of acts. ``as_of``: only the acts dated up to that day."""
    allocations = FnpsAllocation.objects.all()
    entries = LedgerEntry.objects.all()
    if ambito_ids is not None:
        allocations = allocations.filter(ambito_id__in=ambito_ids)
        entries = entries.filter(ambito_id__in=ambito_ids)
    if as_of is not None:
        entries = entries.filter(date__lte=as_of)
    sums: dict[tuple[int, str], Decimal] = {
        (row["allocation_id"], row["stage"]): row["total"]
        for row in entries.values("allocation_id", "stage").annotate(total=Sum("amount")).order_by()
    }
    rows = allocations.values(
        "pk",
        "ambito_id",
        "ambito__name",
        "ambito__region_id",
        "ambito__region__name",
        "first_year",
        "last_year",
        "amount",
    ).order_by("ambito__name", "ambito_id", "first_year")
    return [
        AllocationTotals(
            row["pk"],
            row["ambito_id"],
            row["ambito__name"],
            row["ambito__region_id"],
            row["ambito__region__name"],
            row["first_year"],
            row["last_year"],
            ledger.Totals(row["amount"], *(sums.get((row["pk"], stage), ledger.ZERO) for stage in ledger.STAGES)),
        )
        for row in rows
    ]


def plan_allocations(ambito_ids: Collection[int], year: int) -> list[AllocationFigure]:
    """The allocations of the ATS that a plan of ``year`` may spend: begun by then, and not spendable only
    before it (one query)."""
    rows = (
        FnpsAllocation.objects.filter(ambito_id__in=ambito_ids, first_year__lte=year)
        .filter(Q(spend_until__isnull=True) | Q(spend_until__gte=year))
        .select_related("ambito")
        .order_by("ambito__name", "-first_year")
    )
    return [AllocationFigure(row.ambito.name, row.first_year, row.last_year, row.amount) for row in rows]


def partnerships_of(ambito: Ambito) -> QuerySet[Partnership]:
    """The partnerships the ATS leads or has belonged to (an ATS that left keeps its acts on their contracts)."""
    member_of = PartnershipMember.objects.filter(ambito=ambito).values("partnership_id")
    return Partnership.objects.filter(Q(capofila=ambito) | Q(pk__in=member_of))


def contracts_of(ambito: Ambito) -> QuerySet[Contract]:
    """The contracts a commitment of the ATS may pay: its own and those of its partnerships."""
    return Contract.objects.filter(Q(ambito=ambito) | Q(partnership__in=partnerships_of(ambito))).order_by(
        "-start_date", "title", "pk"
    )


def plans_of(ambito: Ambito) -> QuerySet[Plan]:
    """The POA a programming of the ATS may come from: its own and those of its partnerships, not superseded."""
    return (
        Plan.objects.filter(Q(ambito=ambito) | Q(partnership__in=partnerships_of(ambito)))
        .exclude(status=PlanStatus.SUPERSEDED)
        .select_related("partnership", "ambito")
        .order_by("-year", "-version")
    )


def ledger_of(allocation_ids: Collection[int]) -> tuple[list[ledger.Allocation], list[ledger.Entry]]:
    """The pure ledger of some allocations (two queries), for the checks of a change."""
    allocations = [row.as_ledger() for row in FnpsAllocation.objects.filter(pk__in=allocation_ids)]
    entries = [row.as_ledger() for row in LedgerEntry.objects.filter(allocation_id__in=allocation_ids)]
    return allocations, entries


def ledger_history(ambito: Ambito, limit: int = 30) -> QuerySet[AuditEntry]:
    """The latest changes of the ATS's allocations and ledger, newest first (one query)."""
    return AuditEntry.objects.filter(ambito=ambito, code__startswith="funding.").select_related("user")[:limit]
