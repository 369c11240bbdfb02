"""The partnership plan's part per ATS as one table, for the partnership's own exports (issue 15.3).

The partnership's POA (``planning.exports``) states each group with its members per ATS; this table adds what every
member ATS files as its own POA (``planning.ats_poa.split_plan``): its social workers, its hours per type, its
share of the LEPS minimum and its cost per funding source, with the groups that belong to no ATS yet and the
partnership's total, which the parts add up to exactly. A reader who may see only some of the ATS (a referent)
gets only their parts, as on the plan's page, and no total.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from supervisione.leps.rounding import ZERO
from supervisione.planning.ats_poa import AtsPoa, PlanSplit
from supervisione.planning.models import GroupKind
from supervisione.planning.plan_page import PlanPage
from supervisione.planning.queries import funding_key

KINDS = ("A1", "A2", "A3", "extra")
SPLIT_NOTE = (
    "Parte di ogni ATS del piano: un gruppo con persone di più ATS è ripartito per numero di partecipanti "
    "(ore al centesimo, costi al centesimo di euro, resti al primo ATS in ordine di nome); le parti sommano "
    "esattamente le cifre del piano."
)
PARTIAL_NOTE = "Sono indicate solo le parti degli ATS che puoi consultare."


@dataclass
class SourceCost:
    key: str
    label: str
    hours: Decimal = ZERO
    planned: Decimal = ZERO


@dataclass
class SplitLine:
    """One ATS's part of the plan, the groups of no ATS, or the whole plan."""

    label: str
    code: str = ""
    social_workers: int | None = None
    hours: dict[str, Decimal] = field(default_factory=lambda: dict.fromkeys(KINDS, ZERO))
    minimum: Decimal | None = None
    sources: list[SourceCost] = field(default_factory=list)

    @property
    def total_hours(self) -> Decimal:
        return sum(self.hours.values(), ZERO)

    @property
    def cost(self) -> Decimal:
        return sum((source.planned for source in self.sources), ZERO)


@dataclass
class SplitTable:
    parts: list[SplitLine]
    unassigned: SplitLine | None
    total: SplitLine | None  # None when the reader sees only some of the ATS
    complete: bool

    @property
    def lines(self) -> list[SplitLine]:
        return self.parts + [line for line in (self.unassigned, self.total) if line is not None]

    @property
    def note(self) -> str:
        return SPLIT_NOTE if self.complete else f"{SPLIT_NOTE} {PARTIAL_NOTE}"


def split_table(split: PlanSplit, visible: Callable[[int], bool] | None = None) -> SplitTable:
    """The table of ``split``, limited to the ATS ``visible`` accepts (every ATS when it is None)."""
    parts = [part for part in split.parts if visible is None or visible(part.ambito.pk)]
    complete = len(parts) == len(split.parts)
    return SplitTable(
        parts=[_part_line(part) for part in parts],
        unassigned=_unassigned_line(split) if complete and split.unassigned else None,
        total=_total_line(split.page) if complete else None,
        complete=complete,
    )


def _part_line(part: AtsPoa) -> SplitLine:
    hours = part.hours
    return SplitLine(
        label=part.ambito.name,
        code=part.ambito.code,
        social_workers=len(part.social_workers),
        hours={kind: hours[kind].planned for kind in KINDS},
        minimum=part.minimum_hours,
        sources=[SourceCost(line.key, line.label, line.hours, line.planned) for line in part.costs],
    )


def _unassigned_line(split: PlanSplit) -> SplitLine:
    line = SplitLine(label="Non attribuito (gruppi ancora senza partecipanti)")
    sources: dict[str, SourceCost] = {}
    for row in split.unassigned:
        group = row.group
        if row.kind == GroupKind.A1:
            line.hours["A1"] += group.planned_hours
            line.hours["A2"] += group.a2_pool_hours
        else:
            line.hours["A3" if row.kind == GroupKind.A3 else "extra"] += group.planned_hours
        key, label = funding_key(group.funding)
        source = sources.setdefault(key, SourceCost(key, label))
        source.hours += group.planned_hours + group.a2_pool_hours
        source.planned += row.total_cost or ZERO
    line.sources = sorted(sources.values(), key=lambda source: (source.key == "none", source.key))
    return line


def _total_line(page: PlanPage) -> SplitLine:
    return SplitLine(
        label="Piano del partenariato",
        social_workers=len(page.social_workers),
        hours={kind: page.hours[kind].planned for kind in KINDS},
        minimum=sum((page.hours[kind].minimum for kind in KINDS), ZERO),
        sources=[SourceCost(line.key, line.label, line.hours, line.planned) for line in page.costs],
    )


def split_json(table: SplitTable, number: Callable[[Decimal | None], Any]) -> dict[str, Any]:
    """The table as the JSON export's ``per_ambito`` section."""

    def line_json(line: SplitLine) -> dict[str, Any]:
        return {
            "ambito": line.code or None,
            "label": line.label,
            "social_workers": line.social_workers,
            "hours": {kind: number(value) for kind, value in line.hours.items()},
            "minimum": number(line.minimum),
            "cost": number(line.cost),
            "costs_by_source": {
                source.key: {"label": source.label, "hours": number(source.hours), "planned": number(source.planned)}
                for source in line.sources
            },
        }

    return {
        "note": table.note,
        "complete": table.complete,
        "parts": [line_json(line) for line in table.parts],
        "unassigned": line_json(table.unassigned) if table.unassigned else None,
        "total": line_json(table.total) if table.total else None,
    }
