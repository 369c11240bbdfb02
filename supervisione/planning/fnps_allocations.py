"""The FNPS allocations for supervision of a plan's ATS, for the plan page's co-financing what-if and its costs.

The allocations are funding's (``funding.FnpsAllocation``), an app above this one: funding registers the finder
when Django loads it (``FundingConfig.ready``), so that planning never imports it. Without funding a plan shows
no allocation.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from decimal import Decimal

from supervisione.leps.cofinancing import amount_per_year


@dataclass(frozen=True)
class AllocationFigure:
    """What the plan page reads of an FNPS allocation of one of its ATS."""

    ambito_name: str
    first_year: int
    last_year: int
    amount: Decimal

    @property
    def years(self) -> int:
        return self.last_year - self.first_year + 1

    @property
    def years_text(self) -> str:
        return str(self.first_year) if self.years == 1 else f"{self.first_year}-{self.last_year}"

    @property
    def per_year(self) -> Decimal:
        """One year of it (amount / years, rounded down to the cent): what the what-if simulates."""
        return amount_per_year(self.amount, self.years)

    @property
    def label(self) -> str:
        return f"{self.ambito_name}, FNPS {self.years_text}"

    @property
    def fnps_years(self) -> range:
        return range(self.first_year, self.last_year + 1)


# (ATS ids, the plan's year) -> the allocations of those ATS that the plan's year may spend: begun by then and
# still spendable, the ATS by name and the latest first.
AllocationFinder = Callable[[Collection[int], int], Sequence[AllocationFigure]]

_finders: list[AllocationFinder] = []


def register_allocation_finder(finder: AllocationFinder) -> None:
    """Add the finder (idempotent: Django may call ``ready`` more than once in tests)."""
    if finder not in _finders:
        _finders.append(finder)


def allocations_for(ambito_ids: Collection[int], year: int) -> list[AllocationFigure]:
    return [allocation for finder in _finders for allocation in finder(ambito_ids, year)]
