"""The observatory's figures in the shared cache, in a compact and plain form.

Across the country the figures add up a year of every ATS (about 60,000 sessions and 750,000 attendance rows at
national scale): half a second or more, for aggregates that observers need to the day, not to the second. They are
kept for ``OBSERVATORY_CACHE_SECONDS`` in Django's cache (``CACHE_URL``: Redis when there are several servers), so
every server shows the same figures and the same "computed at".

What is kept is not ``Figures`` (model instances of every plan and group: a megabyte, 100 ms to unpickle at every
request) but ``ObservatoryFigures``, what the page and its exports show: the headline numbers, the groups needing
attention as text, the tables' cells and the charts' data. ``as_data`` turns it into dicts, lists and tuples of
numbers (``int``, ``Decimal``), text, dates and ``None``; ``from_data`` reads it back. The key holds ``VERSION``
(raise it whenever the shape changes, so that a deploy never reads what the previous code wrote) and the selection:
year, period, day, type, ATS and the plans in force with their versions and states (a new or changed plan computes
the figures again at once; a new session or register shows within the cache time).
"""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.cache import cache

from supervisione.leps.compliance import ComplianceStatus
from supervisione.lib import clock

from . import charts, tables
from .figures import Figures, figures
from .figures.ledger import fnps_accrued
from .selection import Selection
from .tables import Column, Table

VERSION = 1
KEY_PREFIX = "monitoring:observatory"

# The tables of each section of the observatory, by slug, in the page's order.
HOURS_TABLES = ("ore", "cumulato", "mesi")
PLANS_TABLES = ("piani", "stati")
COVERAGE_TABLES = ("copertura",)
MONEY_TABLES = ("spesa", "contratti")


@dataclass(frozen=True)
class Total:
    """The hours of every type together (``TypeFigures``' figures that the page's cards show)."""

    delivered: Decimal
    planned_in_period: Decimal
    delivered_percent: int | None
    scheduled: Decimal
    awaiting: Decimal


@dataclass(frozen=True)
class CoverageCount:
    as_in_census: int
    as_supervised: int
    supervised_percent: int | None


@dataclass(frozen=True)
class Attention:
    """A group behind or at risk, as the observatory names it: its plan's owner and the reason."""

    status: str
    status_label: str
    tenant_name: str
    reason: str


@dataclass
class ObservatoryFigures:
    """What the observatory shows of ``Figures``, in plain values. ``selection`` is the request's own (the plans
    it reads), never cached."""

    selection: Selection
    computed_at: datetime.datetime
    total: Total
    leps_group_count: int
    status_counts: list[tuple[ComplianceStatus, int]]
    coverage: CoverageCount
    people_below_threshold: int
    threshold_percent: int
    cost_per_hour: Decimal | None
    spent_in_period: Decimal
    needing_attention: list[Attention]
    tables: dict[str, Table]
    charts: dict[str, dict[str, Any]]
    accrued: tuple[Decimal, Decimal]  # maturato on the FNPS sources: to date, in the period (``fnps_accrued``)

    def tables_of(self, slugs: tuple[str, ...]) -> list[Table]:
        return [self.tables[slug] for slug in slugs]

    @classmethod
    def of(cls, found: Figures, computed_at: datetime.datetime) -> ObservatoryFigures:
        total = found.total
        built = [
            tables.hours_table(found),
            tables.cumulative_table(found),
            tables.months_table(found),
            tables.plans_table(found),
            tables.status_table(found),
            tables.coverage_table(found),
            tables.spending_table(found),
            tables.contracts_table(found),
        ]
        chart_data = {"grafico-cumulato": charts.cumulative_chart(found)}
        if found.plans:
            chart_data["grafico-piani"] = charts.plans_chart(found)
        if found.spending:
            chart_data["grafico-spesa"] = charts.spending_chart(found)
        return cls(
            selection=found.selection,
            computed_at=computed_at,
            total=Total(
                total.delivered, total.planned_in_period, total.delivered_percent, total.scheduled, total.awaiting
            ),
            leps_group_count=len(found.leps_groups),
            status_counts=found.status_counts,
            coverage=CoverageCount(
                found.coverage.as_in_census, found.coverage.as_supervised, found.coverage.supervised_percent
            ),
            people_below_threshold=found.people_below_threshold,
            threshold_percent=found.threshold_percent,
            cost_per_hour=found.cost_per_hour,
            spent_in_period=found.spent_in_period,
            needing_attention=[
                Attention(row.status or "", row.status_label, row.plan.tenant.name, row.reason)
                for row in found.needing_attention
            ],
            tables={table.slug: table for table in built},
            charts=chart_data,
            accrued=fnps_accrued(found.spending),
        )

    def as_data(self) -> dict[str, Any]:
        """Plain values only (see the module's docstring); ``selection`` is left out."""
        return {
            "version": VERSION,
            "computed_at": self.computed_at.isoformat(),
            "total": tuple(vars(self.total).values()),
            "leps_group_count": self.leps_group_count,
            "status_counts": [(status.value, count) for status, count in self.status_counts],
            "coverage": tuple(vars(self.coverage).values()),
            "people_below_threshold": self.people_below_threshold,
            "threshold_percent": self.threshold_percent,
            "cost_per_hour": self.cost_per_hour,
            "spent_in_period": self.spent_in_period,
            "needing_attention": [tuple(vars(row).values()) for row in self.needing_attention],
            "tables": [_table_data(table) for table in self.tables.values()],
            "charts": self.charts,
            "accrued": self.accrued,
        }

    @classmethod
    def from_data(cls, data: dict[str, Any], selection: Selection) -> ObservatoryFigures:
        return cls(
            selection=selection,
            computed_at=datetime.datetime.fromisoformat(data["computed_at"]),
            total=Total(*data["total"]),
            leps_group_count=data["leps_group_count"],
            status_counts=[(ComplianceStatus(status), count) for status, count in data["status_counts"]],
            coverage=CoverageCount(*data["coverage"]),
            people_below_threshold=data["people_below_threshold"],
            threshold_percent=data["threshold_percent"],
            cost_per_hour=data["cost_per_hour"],
            spent_in_period=data["spent_in_period"],
            needing_attention=[Attention(*row) for row in data["needing_attention"]],
            tables={row[0]: _table_of(row) for row in data["tables"]},
            charts=data["charts"],
            accrued=(data["accrued"][0], data["accrued"][1]),
        )


def _table_data(table: Table) -> tuple[Any, ...]:
    columns = [(column.header, column.kind) for column in table.columns]
    return (table.slug, table.title, columns, table.rows, table.statuses, table.note)


def _table_of(data: tuple[Any, ...] | list[Any]) -> Table:
    slug, title, columns, rows, statuses, note = data
    return Table(slug, title, [Column(header, kind) for header, kind in columns], list(rows), list(statuses), note)


def cache_key(selection: Selection) -> str:
    """The selection's key, with the shape's ``VERSION``: the plans' list is long across the country, so it is
    hashed."""
    described = repr(
        (
            selection.year,
            selection.period.key,
            selection.today.isoformat(),
            selection.kind,
            selection.ambito.pk if selection.ambito else None,
            sorted((plan.pk, plan.version, plan.status, plan.lock_version) for plan in selection.plans),
        )
    )
    return f"{KEY_PREFIX}:v{VERSION}:{hashlib.sha256(described.encode()).hexdigest()}"


def observatory_figures(selection: Selection) -> ObservatoryFigures:
    """The observatory's figures, from the shared cache when another request (of any server) computed them within
    ``OBSERVATORY_CACHE_SECONDS``; computed and kept otherwise. 0 seconds: computed at every request."""
    seconds = settings.OBSERVATORY_CACHE_SECONDS
    if seconds <= 0:
        return ObservatoryFigures.of(_compute(selection), clock.now())
    key = cache_key(selection)
    data = cache.get(key)
    if isinstance(data, dict) and data.get("version") == VERSION:
        return ObservatoryFigures.from_data(data, selection)
    found = ObservatoryFigures.of(_compute(selection), clock.now())
    cache.set(key, found.as_data(), seconds)
    return found


def _compute(selection: Selection) -> Figures:
    return figures(selection, by_measure=True, from_summary=True)
