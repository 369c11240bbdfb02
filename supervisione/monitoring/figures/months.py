"""The figures month by month of the period, for the charts: query 4 of ``figures`` (see its docstring)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Func, IntegerField, Q, QuerySet

from supervisione.leps.rounding import ZERO
from supervisione.lib.italian import MONTHS
from supervisione.planning.models import GroupKind
from supervisione.sessions.models import Session

from ..selection import Selection
from .groups import GroupFigures, TypeFigures
from .sums import CONFIRMED, SCHEDULED, Rows, hours_of, sum_minutes


class MonthOf(Func):
    """The month (1-12) of a date, computed by the database: Django's ``TruncMonth`` and ``ExtractMonth``
    call a Python function for every row on SQLite, a fifth of the national observatory's time."""

    output_field = IntegerField()
    template = "CAST(EXTRACT(MONTH FROM %(expressions)s) AS INTEGER)"  # standard SQL, PostgreSQL

    def __init__(self, expression: Any) -> None:
        super().__init__(expression)

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, Any]:
        # SQLite keeps dates as ISO text (YYYY-MM-DD).
        return self.as_sql(compiler, connection, template="CAST(substr(%(expressions)s, 6, 2) AS INTEGER)", **extra)


@dataclass
class MonthFigures:
    month: int
    delivered: dict[str, Decimal] = field(default_factory=dict)
    booked: dict[str, Decimal] = field(default_factory=dict)  # not cancelled: delivered, awaiting, to come
    planned: Decimal = ZERO  # the plans' hours spread evenly over their months
    minimum: Decimal = ZERO

    @property
    def label(self) -> str:
        return MONTHS[self.month - 1]

    @property
    def delivered_total(self) -> Decimal:
        return sum(self.delivered.values(), ZERO)

    @property
    def booked_total(self) -> Decimal:
        return sum(self.booked.values(), ZERO)


@dataclass
class CumulativeMonth:
    month: MonthFigures
    planned: Decimal
    minimum: Decimal
    delivered: Decimal | None  # None for months after the day of reading
    booked: Decimal


def month_sums(selection: Selection, sessions: QuerySet[Session]) -> Rows:
    """Per month of the period and type, the minutes delivered and booked (one query)."""
    return list(
        sessions.filter(date__gte=selection.start, date__lte=selection.end)
        .annotate(month=MonthOf("date"))
        .values("month", "kind")
        .annotate(delivered=sum_minutes(CONFIRMED & Q(date__lte=selection.as_of)), booked=sum_minutes(SCHEDULED))
        .order_by()
    )


def month_figures(
    selection: Selection,
    rows: Rows,
    shown: dict[int, GroupFigures],
    types: dict[str, TypeFigures],
) -> list[MonthFigures]:
    """The months of the period from the sums of ``month_sums`` (one row per month and type)."""
    months = {month: MonthFigures(month) for month in selection.period.months}
    for aggregate in rows:
        if aggregate["month"] in months:
            months[aggregate["month"]].delivered[aggregate["kind"]] = hours_of(aggregate["delivered"])
            months[aggregate["month"]].booked[aggregate["kind"]] = hours_of(aggregate["booked"])
    # The plan's hours and minimums, spread evenly over the plan's months.
    for row in shown.values():
        plan = row.plan
        planned = ZERO
        minimum = ZERO
        if row.kind in types:
            planned += row.planned
            minimum += row.minimum
        if row.kind == GroupKind.A1 and "A2" in types:
            planned += row.pool
            minimum += row.pool_minimum
        planned /= plan.months_covered
        minimum /= plan.months_covered
        for number in range(plan.first_month, plan.last_month + 1):
            if number in months:
                months[number].planned += planned
                months[number].minimum += minimum
    for month in months.values():
        month.planned = month.planned.quantize(Decimal("0.1"))
        month.minimum = month.minimum.quantize(Decimal("0.1"))
    return [months[number] for number in sorted(months)]
