"""The sittings of a co-design table, for the contract page.

A sitting is a meeting of the meetings app (agenda, invitees, minutes with decisions, approval), an app above
this one: meetings registers the finder when Django loads it (``MeetingsConfig.ready``), so that procurement
never imports it. Without meetings the contract page lists no sitting and offers no button to record one.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from supervisione.procurement.models import CoDesignTable, Contract


@dataclass(frozen=True)
class Sitting:
    """What the contract page shows of a sitting of its table."""

    date: datetime.date
    title: str
    url: str
    status: str  # «convocata», «tenuta, registrata a posteriori»...
    minutes: str  # «verbale approvato», «verbale in bozza», «nessun verbale»
    is_final: bool  # held on the day the table approved the proposal


# The table's sittings, in date order (a fixed number of queries however many there are).
SittingFinder = Callable[[CoDesignTable], Sequence[Sitting]]
# The page that records a new sitting of the contract's table.
RecordLink = Callable[[Contract], str]

_finders: list[SittingFinder] = []
_links: list[RecordLink] = []


def register_sittings(finder: SittingFinder, record_link: RecordLink) -> None:
    """Add the finder and the link (idempotent: Django may call ``ready`` more than once in tests)."""
    if finder not in _finders:
        _finders.append(finder)
    if record_link not in _links:
        _links.append(record_link)


def table_sittings(table: CoDesignTable) -> list[Sitting]:
    found = [sitting for finder in _finders for sitting in finder(table)]
    return sorted(found, key=lambda sitting: sitting.date)


def record_sitting_url(contract: Contract) -> str:
    """Where to record a sitting of the contract's table ("" when no app keeps sittings)."""
    return _links[0](contract) if _links else ""
