"""Reads for the contract pages, the supervisor's page and the annual plan; queries do not grow with the rows."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from supervisione.procurement.codesign_sittings import Sitting, record_sitting_url, table_sittings
from supervisione.procurement.models import (
    AgreementShare,
    CoDesignTable,
    Contract,
    ContractDocument,
    ContractStatus,
    FundingAgreement,
    TenderDeadline,
)
from supervisione.supervisors.models import Supervisor
from supervisione.territory.models import Ambito, Partnership

# --- For the annual plan and the supervisor's page ---------------------------------------------------------


def contracts_in_force(tenant: Partnership | Ambito, on: datetime.date) -> QuerySet[Contract]:
    """Contracts of a partnership or ATS in force on a date, with their lines (rates) and funding sources."""
    if isinstance(tenant, Partnership):
        owned = Contract.objects.filter(partnership=tenant)
    else:
        owned = Contract.objects.filter(ambito=tenant)
    return (
        owned.filter(status__in=[ContractStatus.AWARDED, ContractStatus.ACTIVE])
        .filter(Q(start_date__isnull=True) | Q(start_date__lte=on), Q(end_date__isnull=True) | Q(end_date__gte=on))
        .select_related("provider")
        .prefetch_related("lines", "fundings")
    )


def provider_contracts_in_force(supervisor: Supervisor, on: datetime.date) -> Sequence[Contract]:
    """The contracts of the supervisor's tenant in force on a date with the supervisor's provider (the supervisor's
    page lists them: ``supervisors.provider_contracts``)."""
    if not supervisor.provider_id:
        return []
    return [c for c in contracts_in_force(supervisor.tenant, on) if c.provider_id == supervisor.provider_id]


# --- Contracts --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ContractTotals:
    hours: Decimal
    lines_amount: Decimal
    funded: Decimal
    amount: Decimal | None

    @property
    def unallocated(self) -> Decimal:
        """Contract amount not spread over hours (e.g. coordination costs); 0 when unknown or overrun."""
        return Decimal(0) if self.amount is None else max(self.amount - self.lines_amount, Decimal(0))

    @property
    def overrun(self) -> Decimal:
        """How much the lines exceed the contract amount (a data error the page points out)."""
        return Decimal(0) if self.amount is None else max(self.lines_amount - self.amount, Decimal(0))

    @property
    def unfunded(self) -> Decimal:
        return Decimal(0) if self.amount is None else max(self.amount - self.funded, Decimal(0))


@dataclass(frozen=True)
class ContractPage:
    contract: Contract
    lines: list[Any]
    fundings: list[Any]
    deadlines: list[TenderDeadline]
    documents: list[ContractDocument]
    table: CoDesignTable | None
    members: list[Any]
    sittings: list[Sitting]  # the table's sittings, meetings of the meetings app (``codesign_sittings``)
    record_url: str  # where to record a sitting ("" without a table)
    totals: ContractTotals
    agreements: list[FundingAgreement]  # the partnership's agreements on the FNPS quotas that apply to it

    @property
    def payers_to_confirm(self) -> list[Any]:
        return [funding for funding in self.fundings if funding.payer_to_confirm]


def contract_page(contract: Contract) -> ContractPage:
    lines = list(contract.lines.all())
    fundings = list(contract.fundings.select_related("ambito"))
    table = CoDesignTable.objects.filter(contract=contract).select_related("proposer").first()
    members: list[Any] = []
    sittings: list[Sitting] = []
    if table is not None:
        members = list(table.members.select_related("ambito", "organisation"))
        sittings = table_sittings(table)
    totals = ContractTotals(
        hours=sum((line.hours for line in lines), Decimal(0)),
        lines_amount=sum((line.amount for line in lines), Decimal(0)),
        funded=sum((funding.amount for funding in fundings), Decimal(0)),
        amount=contract.amount,
    )
    return ContractPage(
        contract=contract,
        lines=lines,
        fundings=fundings,
        deadlines=list(contract.deadlines.prefetch_related("postponements")),
        documents=list(contract.documents.select_related("uploaded_by")),
        table=table,
        members=members,
        sittings=sittings,
        record_url=record_sitting_url(contract) if table is not None else "",
        totals=totals,
        agreements=contract_agreements(contract),
    )


def contract_agreements(contract: Contract) -> list[FundingAgreement]:
    """The agreements of the contract's partnership that name it or all its contracts, latest first, with quotas."""
    if contract.partnership_id is None:
        return []
    return list(
        FundingAgreement.objects.filter(
            Q(contract=contract) | Q(contract__isnull=True), partnership=contract.partnership_id
        )
        .prefetch_related(
            Prefetch("shares", queryset=AgreementShare.objects.select_related("ambito").order_by("ambito__name"))
        )
        .order_by("-valid_from", "pk")
    )


def contract_rows(queryset: QuerySet[Contract]) -> list[tuple[Contract, Decimal, Decimal]]:
    """Each contract with its hours bought and the amount of its lines (two queries)."""
    contracts = list(queryset.select_related("partnership", "ambito", "provider").prefetch_related("lines"))
    rows = []
    for contract in contracts:
        lines = list(contract.lines.all())
        rows.append(
            (
                contract,
                sum((line.hours for line in lines), Decimal(0)),
                sum((line.amount for line in lines), Decimal(0)),
            )
        )
    return rows
