"""Money: query 7 of ``figures`` (see its docstring), per funding source and per contract funding row, what
is committed (the funding rows), planned (the plans' hours at the contracts' rates) and spent (confirmed
hours at those rates, in the period and to date)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Protocol

from django.db.models import QuerySet

from supervisione.leps.cofinancing import hours_cost
from supervisione.leps.rounding import ZERO
from supervisione.planning.models import GroupKind, PlanGroup
from supervisione.planning.queries import funding_key
from supervisione.procurement.models import ContractFunding, ContractLine
from supervisione.sessions.models import Session
from supervisione.sessions.usage import minutes_to_hours
from supervisione.territory.models import FundingMeasure

from ..selection import Selection
from .groups import GroupFigures
from .sums import CENT, CONFIRMED, Rows, percent, total


@dataclass
class SpendingLine:
    """Money committed and spent for one funding source (or one funding row of a contract)."""

    key: str
    label: str
    contract_title: str = ""
    cig: str = ""
    committed: Decimal = ZERO  # the funding rows' amounts
    planned: Decimal = ZERO  # the plans' hours of the year at the contracts' rates
    spent_in_period: Decimal = ZERO
    spent_to_date: Decimal = ZERO  # every year, up to the day of reading
    hours_in_period: Decimal = ZERO

    @property
    def residual(self) -> Decimal:
        return self.committed - self.spent_to_date

    @property
    def cost_per_hour(self) -> Decimal | None:
        if not self.hours_in_period:
            return None
        return (self.spent_in_period / self.hours_in_period).quantize(CENT, rounding=ROUND_HALF_UP)

    @property
    def used_percent(self) -> int | None:
        return percent(self.spent_to_date, self.committed)


class ConfirmedMinutes(Protocol):
    """Where the minutes of confirmed registers are read from: the sessions (``SessionMinutes``) or the summary
    of hours (``figures.summary``). Each returns rows of contract_id, funding_id, kind and minutes."""

    def in_period(self) -> Rows:
        """Of the selection's sessions, in the period up to the day of reading."""
        ...

    def to_date(self, contract_ids: set[int]) -> Rows:
        """Of every session of these contracts, up to the day of reading."""
        ...


@dataclass
class SessionMinutes:
    selection: Selection
    sessions: QuerySet[Session]

    def in_period(self) -> Rows:
        selection = self.selection
        return _confirmed_minutes(
            self.sessions.filter(CONFIRMED, date__gte=selection.start, date__lte=min(selection.end, selection.as_of))
        )

    def to_date(self, contract_ids: set[int], since: datetime.date | None = None) -> Rows:
        sessions = Session.objects.filter(
            CONFIRMED, contract_id__any_of=frozenset(contract_ids), date__lte=self.selection.as_of
        )
        return _confirmed_minutes(sessions if since is None else sessions.filter(date__gte=since))


def spending_figures(
    confirmed: ConfirmedMinutes, shown: dict[int, GroupFigures], *, by_measure: bool
) -> tuple[list[SpendingLine], list[SpendingLine]]:
    """Money per funding source and per contract funding row: committed, planned, spent (hours x rate)."""
    period = confirmed.in_period()
    contract_ids = {row["contract_id"] for row in period} | {
        row.group.contract_id for row in shown.values() if row.group.contract_id
    }
    if not contract_ids:
        return [], []
    # Both unordered: read into dictionaries, and the lines are sorted at the end.
    ledger = _Ledger(
        by_measure=by_measure,
        fundings={
            funding.pk: funding
            for funding in ContractFunding.objects.filter(contract_id__in=contract_ids)
            .select_related("contract")
            .order_by()
        },
        rates={
            (contract_id, kind): rate
            for contract_id, kind, rate in ContractLine.objects.filter(contract_id__in=contract_ids)
            .values_list("contract_id", "kind", "hourly_rate")
            .order_by()
        },
    )
    to_date = confirmed.to_date(contract_ids)
    ledger.commit()
    ledger.spend(period, in_period=True)
    ledger.spend(to_date, in_period=False)
    ledger.plan(shown)
    sources = sorted(ledger.by_source.values(), key=lambda line: (line.key == "none", line.key))
    contracts = sorted(ledger.by_row.values(), key=lambda line: (line.contract_title, line.key))
    return sources, contracts


def _confirmed_minutes(sessions: QuerySet[Session]) -> Rows:
    """Minutes of the sessions per contract, funding row and type."""
    return list(sessions.values("contract_id", "funding_id", "kind").annotate(minutes=total("minutes")).order_by())


def _measure_label(measure: str, labels: dict[str, str] = {}) -> str:  # noqa: B006  (the labels, once each)
    if measure not in labels:
        labels[measure] = str(FundingMeasure(measure).label)
    return labels[measure]


@dataclass
class _Ledger:
    """The spending lines as they are added up: per source (a measure, or a CUP or FNPS year) and per funding
    row of a contract."""

    by_measure: bool
    fundings: dict[int, ContractFunding]
    rates: dict[tuple[int, str], Decimal]  # (contract, type) -> hourly rate
    by_source: dict[str, SpendingLine] = field(default_factory=dict)
    by_row: dict[int, SpendingLine] = field(default_factory=dict)

    def source(self, funding: ContractFunding | None) -> tuple[str, str]:
        if self.by_measure:
            if funding is None:
                return "none", "Fonte non indicata"
            return funding.measure, _measure_label(funding.measure)
        return funding_key(funding)

    def funding_of(self, group: PlanGroup) -> ContractFunding | None:
        """The group's funding row, as read with its contract's (the observatory reads no row per group); a row
        of another contract, which the forms do not offer, from the group."""
        if group.funding_id is None:
            return None
        return self.fundings.get(group.funding_id) or group.funding

    def line(self, key: str, label: str) -> SpendingLine:
        """The source's line, made the first time (a ``setdefault`` made one for every row it added up)."""
        found = self.by_source.get(key)
        if found is None:
            found = self.by_source[key] = SpendingLine(key, label)
        return found

    def amount(self, contract_id: int, kind: str, minutes: int) -> Decimal:
        rate = self.rates.get((contract_id, kind))
        return ZERO if rate is None else hours_cost(minutes_to_hours(minutes), rate)

    def commit(self) -> None:
        """The funding rows' amounts."""
        for funding in self.fundings.values():
            key, label = self.source(funding)
            self.line(key, label).committed += funding.amount
            self.by_row[funding.pk] = SpendingLine(
                f"{key}:{funding.pk}",
                label,
                contract_title=funding.contract.title,
                cig=funding.contract.cig,
                committed=funding.amount,
            )

    def spend(self, aggregates: Rows, *, in_period: bool) -> None:
        """Confirmed minutes at the contracts' rates: spent in the period (with its hours), or to date."""
        for aggregate in aggregates:
            key, label = self.source(self.fundings.get(aggregate["funding_id"]))
            hours = minutes_to_hours(aggregate["minutes"])
            rate = self.rates.get((aggregate["contract_id"], aggregate["kind"]))
            spent = ZERO if rate is None else hours_cost(hours, rate)
            for found in (self.line(key, label), self.by_row.get(aggregate["funding_id"])):
                if found is None:
                    continue
                if in_period:
                    found.spent_in_period += spent
                    found.hours_in_period += hours
                else:
                    found.spent_to_date += spent

    def plan(self, shown: dict[int, GroupFigures]) -> None:
        """The plans' hours of the shown groups (and A1 groups' A2 pools) at their contract's rates."""
        for row in shown.values():
            group = row.group
            if group.contract_id is None:
                continue
            planned = self.amount(group.contract_id, group.kind, int(row.planned * 60))
            if group.kind == GroupKind.A1:
                planned += self.amount(group.contract_id, "A2", int(row.pool * 60))
            key, label = self.source(self.funding_of(group))
            self.line(key, label).planned += planned
            if group.funding_id in self.by_row:
                self.by_row[group.funding_id].planned += planned
