"""The contracts in force through which a supervisor works, for the supervisor's page.

Contracts are procurement's, an app above this one: procurement registers the finder when Django loads it
(``ProcurementConfig.ready``), so that the registry never imports it. Without procurement the page lists none.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from typing import Protocol

from supervisione.supervisors.models import Supervisor


class ProviderContract(Protocol):
    """What the supervisor's page shows of a contract."""

    title: str
    end_date: datetime.date | None

    def get_absolute_url(self) -> str: ...

    def get_status_display(self) -> str: ...


# (supervisor, day) -> the contracts of the supervisor's tenant in force that day with the supervisor's provider.
ContractFinder = Callable[[Supervisor, datetime.date], Sequence[ProviderContract]]

_finders: list[ContractFinder] = []


def register_provider_contracts(finder: ContractFinder) -> None:
    """Add the finder (idempotent: Django may call ``ready`` more than once in tests)."""
    if finder not in _finders:
        _finders.append(finder)


def provider_contracts(supervisor: Supervisor, on: datetime.date) -> list[ProviderContract]:
    return [contract for finder in _finders for contract in finder(supervisor, on)]
