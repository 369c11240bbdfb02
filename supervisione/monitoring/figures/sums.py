"""The pieces every query of the figures shares: which sessions count, minutes summed as hours, whose plan a
row belongs to, and percentages."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Field, ForeignObject, IntegerField, Lookup, Q, Sum, Value
from django.db.models.functions import Coalesce

from supervisione.sessions.models import RegisterStatus, SessionStatus
from supervisione.sessions.usage import minutes_to_hours

CENT = Decimal("0.01")
SCHEDULED = Q(status=SessionStatus.SCHEDULED)
CONFIRMED = SCHEDULED & Q(register_status=RegisterStatus.CONFIRMED)
OPEN = SCHEDULED & Q(register_status=RegisterStatus.OPEN)
Rows = Sequence[Mapping[str, Any]]  # aggregated rows, as ``values(...).annotate(...)`` returns them
Owner = tuple[int | None, int | None]  # (partnership id, None) or (None, ATS id): who a plan belongs to


def owner_key(partnership_id: int | None, ambito_id: int | None) -> Owner:
    return (partnership_id, None) if partnership_id is not None else (None, ambito_id)


class _AsRead:
    """An integer aggregate read as the driver returns it. Django passes every integer annotation through
    ``int()`` again, once per row and column: about 60,000 calls for the national figures, where the sums and
    counts of integer columns are already Python integers on both databases."""

    def get_db_converters(self, connection: Any) -> list[Any]:
        return []


class Total(_AsRead, Coalesce):
    """``COALESCE(SUM(...), 0)``, what ``Sum(..., default=0)`` writes."""


class Tally(_AsRead, Count):
    """``COUNT(...)``."""


def total(expression: Any, condition: Q | None = None) -> Total:
    """The sum of an integer column (or expression) of the rows meeting ``condition``, 0 if none."""
    return Total(Sum(expression, filter=condition or None), Value(0), output_field=IntegerField())


def sum_minutes(condition: Q, field_name: str = "minutes") -> Total:
    return total(field_name, condition)


def hours_of(minutes: int | None) -> Decimal:
    return minutes_to_hours(minutes or 0)


def percent(part: Decimal, whole: Decimal) -> int | None:
    if not whole:
        return None
    return int((part * 100 / whole).to_integral_value(rounding=ROUND_HALF_UP))


class AnyOf(Lookup[Any]):
    """``field__any_of=frozenset(ids)``: ``field IN (ids)``, written ``field = ANY(%s::bigint[])`` on PostgreSQL
    with the ids as one text parameter. The national figures filter on a few thousand groups: as an ``IN`` list
    Django resolved and prepared each id and psycopg dumped and split a placeholder each, a quarter of the
    observatory's time in Python. A set, not a list: Django resolves a list's items one by one."""

    lookup_name = "any_of"
    prepare_rhs = False

    def get_prep_lookup(self) -> list[int]:
        return sorted({int(value) for value in self.rhs})

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, Any]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        ids = self.rhs
        if connection.vendor == "postgresql":
            return f"{lhs} = ANY(%s::bigint[])", [*lhs_params, "{" + ",".join(map(str, ids)) + "}"]
        if not ids:
            return "1 = 0", []
        return f"{lhs} IN ({', '.join(['%s'] * len(ids))})", [*lhs_params, *ids]


Field.register_lookup(AnyOf)
ForeignObject.register_lookup(AnyOf)  # foreign keys keep lookups of their own
