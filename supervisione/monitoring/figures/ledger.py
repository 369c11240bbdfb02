"""Money as the accounting office counts it: the FNPS ledgers of the dashboard's ATS (``funding``), allocated,
programmed, committed, liquidated and paid, beside what the delivered hours have *accrued* (maturato: confirmed
hours x the contract's rate, ``figures.spending``) on the FNPS sources.

The ledger is read apart from ``figures`` (two aggregate queries, ``funding.queries.allocation_totals``): it belongs
to ATS, not to plans, and is the same whatever the plans shown. Its lines are the ATS's allocations (an ATS's
dashboard), the ATS (a partnership's, a region's observatory) or the regions (the country's).

The accrued amount is not split per ATS: the contracts' funding rows do not say which ATS's quota pays them, so it
is compared with the total paid only.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from supervisione.funding import ledger
from supervisione.funding.queries import AllocationTotals, allocation_totals
from supervisione.leps.rounding import ZERO
from supervisione.territory.models import FundingMeasure

from .spending import SpendingLine

Grouping = Literal["allocation", "ambito", "region"]
HEADERS: dict[Grouping, str] = {"allocation": "Stanziamento", "ambito": "ATS", "region": "Regione"}


@dataclass(frozen=True)
class LedgerLine:
    label: str
    totals: ledger.Totals


@dataclass(frozen=True)
class LedgerFigures:
    grouping: Grouping
    lines: list[LedgerLine]
    total: ledger.Totals
    accrued_to_date: Decimal  # maturato on the FNPS sources, every year up to the day of reading
    accrued_in_period: Decimal

    @property
    def header(self) -> str:
        return HEADERS[self.grouping]

    @property
    def has_acts(self) -> bool:
        return bool(self.total.programmed or self.total.committed)


def _label(row: AllocationTotals, grouping: Grouping) -> tuple[object, str]:
    if grouping == "allocation":
        return row.allocation_id, f"FNPS {row.years_text}"
    if grouping == "ambito":
        return row.ambito_id, row.ambito_name
    return row.region_id, row.region_name


def ledger_figures(
    ambito_ids: Collection[int] | None,
    grouping: Grouping,
    as_of: datetime.date,
    accrued: tuple[Decimal, Decimal],
) -> LedgerFigures:
    """The ledgers of the ATS (``None``: every ATS) up to ``as_of``, a line per allocation, ATS or region, beside
    the maturato on the FNPS sources (``fnps_accrued``: to date, in the period)."""
    rows = allocation_totals(ambito_ids, as_of)
    grouped: dict[object, tuple[str, ledger.Totals]] = {}
    order: dict[object, int] = defaultdict(int)
    for index, row in enumerate(rows):
        key, label = _label(row, grouping)
        found = grouped.get(key)
        grouped[key] = (label, row.totals if found is None else found[1] + row.totals)
        order.setdefault(key, index)
    lines = [LedgerLine(label, totals) for key, (label, totals) in sorted(grouped.items(), key=lambda i: order[i[0]])]
    if grouping == "region":
        lines.sort(key=lambda line: line.label)
    return LedgerFigures(grouping, lines, ledger.totals(line.totals for line in lines), *accrued)


def fnps_accrued(spending: list[SpendingLine]) -> tuple[Decimal, Decimal]:
    """The maturato of the FNPS sources (per measure or per FNPS year): to date and in the period."""
    fnps = [line for line in spending if line.key == FundingMeasure.FNPS or line.key.startswith("fnps:")]
    return sum((line.spent_to_date for line in fnps), ZERO), sum((line.spent_in_period for line in fnps), ZERO)
