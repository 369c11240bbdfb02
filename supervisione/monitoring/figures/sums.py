"""The pieces every query of the figures shares: which sessions count, minutes summed as hours, whose plan a
row belongs to, and percentages."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Field, ForeignObject, Lookup, Q, Sum

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


def sum_minutes(condition: Q, field_name: str = "minutes") -> Sum:
    return Sum(field_name, filter=condition, default=0)


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
