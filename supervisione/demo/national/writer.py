"""Fast, deterministic inserts for the national data set: explicit primary keys, no model instances, no signals.

Three million attendance rows do not fit the ORM's ``save()`` nor even ``bulk_create`` in the time allowed (one
model instance per row costs more than the insert), so rows are plain tuples written with the DB-API:
``executemany`` on SQLite, ``COPY ... FROM STDIN`` on PostgreSQL. Columns and their conversions come from the
models' fields, so a column added to a model either gets its default here or makes the writer refuse to start
("field X has no value"), never a silently wrong row.

Everything runs inside the caller's transaction. Django declares foreign keys ``DEFERRABLE INITIALLY
DEFERRED`` on both databases, so rows may be written in any order as long as every reference exists at commit.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.apps import apps
from django.core.management.color import no_style
from django.db import connection, models
from django.utils import timezone

Converter = Callable[[Any], Any]
ROME = ZoneInfo("Europe/Rome")
BATCH = 5000


class Ids:
    """The next primary key of each model, counted here so that the same run gives the same keys."""

    def __init__(self) -> None:
        self._last: dict[str, int] = {}

    def next(self, model: type[models.Model]) -> int:
        label = model._meta.label
        value = self._last.get(label, 0) + 1
        self._last[label] = value
        return value

    def last(self, model: type[models.Model]) -> int:
        return self._last.get(model._meta.label, 0)


def _constant(field: models.Field[Any, Any]) -> Any:
    """The value of a column the generator does not set, or an error if there is no sensible one."""
    if field.has_default():
        if field.default is timezone.now or getattr(field, "auto_now", False):  # noqa: TID251  (a comparison, not a read)
            raise ValueError(f"{field.model.__name__}.{field.name} needs an explicit value (it defaults to now)")
        return field.get_default()
    if getattr(field, "auto_now_add", False) or getattr(field, "auto_now", False):
        raise ValueError(f"{field.model.__name__}.{field.name} needs an explicit value (auto_now)")
    if field.null:
        return None
    if field.empty_strings_allowed:
        return ""
    raise ValueError(f"{field.model.__name__}.{field.name} has no value and no default")


def _sqlite_converter(field: models.Field[Any, Any]) -> Converter | None:
    """SQLite stores dates, times and datetimes as text, as Django writes them (datetimes in UTC)."""
    ops = connection.ops
    if isinstance(field, models.DateTimeField):
        convert: Converter = ops.adapt_datetimefield_value
    elif isinstance(field, models.DateField):
        convert = ops.adapt_datefield_value
    elif isinstance(field, models.TimeField):
        convert = ops.adapt_timefield_value
    elif isinstance(field, models.DecimalField):
        return lambda value: None if value is None else str(value)
    else:
        return None
    cache: dict[Any, Any] = {}

    def cached(value: Any) -> Any:
        if value is None:
            return None
        found = cache.get(value)
        if found is None:
            found = cache[value] = convert(value)
        return found

    return cached


class Table:
    """Rows of one model: the caller gives ``fields`` (attnames) in order; other columns get constants."""

    def __init__(self, writer: Writer, model: type[models.Model], fields: Sequence[str]) -> None:
        self.writer = writer
        self.model = model
        concrete = {field.attname: field for field in model._meta.concrete_fields}
        unknown = [name for name in fields if name not in concrete]
        if unknown:
            raise ValueError(f"{model.__name__} has no fields {unknown}")
        self.fields = list(fields)
        others = [field for name, field in concrete.items() if name not in fields]
        self.columns = [str(concrete[name].column) for name in self.fields] + [str(field.column) for field in others]
        self.constants = tuple(field.get_db_prep_save(_constant(field), connection) for field in others)
        self.converters: list[tuple[int, Converter]] = []
        if connection.vendor == "sqlite":
            for index, name in enumerate(self.fields):
                converter = _sqlite_converter(concrete[name])
                if converter is not None:
                    self.converters.append((index, converter))
        self.rows: list[tuple[Any, ...]] = []
        self.count = 0

    def add(self, *values: Any) -> None:
        self.rows.append(values)
        if len(self.rows) >= BATCH:
            self.flush()

    def flush(self) -> None:
        if not self.rows:
            return
        rows: Sequence[Sequence[Any]] = self.rows
        self.rows = []
        if self.converters:
            converted = []
            for row in rows:
                values = list(row)
                for index, convert in self.converters:
                    values[index] = convert(values[index])
                converted.append(values)
            rows = converted
        if self.constants:
            rows = [(*row, *self.constants) for row in rows]
        self.writer.insert(self.model._meta.db_table, self.columns, rows)
        self.count += len(rows)


class Writer:
    def __init__(self) -> None:
        self.tables: dict[type[models.Model], Table] = {}
        self.models: set[type[models.Model]] = set()

    def table(self, model: type[models.Model], fields: Sequence[str]) -> Table:
        found = self.tables.get(model)
        if found is None:
            found = self.tables[model] = Table(self, model, fields)
            self.models.add(model)
        elif found.fields != list(fields):
            raise ValueError(f"{model.__name__} written with two different field lists")
        return found

    def insert(self, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
        quote = connection.ops.quote_name
        names = ", ".join(quote(column) for column in columns)
        connection.ensure_connection()
        raw = connection.connection
        assert raw is not None  # noqa: S101  (ensure_connection opened it)
        cursor = raw.cursor()
        try:
            if connection.vendor == "postgresql":
                with cursor.copy(f"COPY {quote(table)} ({names}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                marks = ", ".join("?" for _ in columns)
                # Table and column names come from the models, values are parameters.
                cursor.executemany(f"INSERT INTO {quote(table)} ({names}) VALUES ({marks})", rows)  # noqa: S608  (the models' names)
        finally:
            cursor.close()

    def flush(self) -> None:
        for table in self.tables.values():
            table.flush()

    def counts(self) -> dict[type[models.Model], int]:
        return {model: table.count + len(table.rows) for model, table in self.tables.items()}

    def finish(self) -> None:
        """Write what is left and move PostgreSQL's sequences past the keys given here."""
        self.flush()
        if connection.vendor == "postgresql":
            statements = connection.ops.sequence_reset_sql(no_style(), sorted(self.models, key=lambda m: m._meta.label))
            with connection.cursor() as cursor:
                for statement in statements:
                    cursor.execute(statement)


# --- Emptying and checking the database ----------------------------------------------------------------------

# Reference data that survives --force: regions and the national list of municipalities.
KEPT = ("territory.Region", "territory.Municipality")
PROJECT_APPS = (
    "accounts",
    "audit",
    "territory",
    "census",
    "supervisors",
    "procurement",
    "planning",
    "supervision_sessions",
    "monitoring",
)


def data_models() -> list[type[models.Model]]:
    """The models --force empties: every model of the project's apps but regions and municipalities, and every
    model that refers to one of them (login attempts, two-factor devices, admin log...)."""
    kept = {apps.get_model(label) for label in KEPT}
    chosen = {model for model in apps.get_models(include_auto_created=True) if model._meta.app_label in PROJECT_APPS}
    chosen -= kept
    changed = True
    while changed:
        changed = False
        for model in apps.get_models(include_auto_created=True):
            if model in chosen or model in kept:
                continue
            if any(
                field.related_model in chosen
                for field in model._meta.concrete_fields
                if isinstance(field, models.ForeignKey)
            ):
                chosen.add(model)
                changed = True
    return sorted(chosen, key=lambda model: model._meta.db_table)


def empty_tables(chosen: Iterable[type[models.Model]]) -> None:
    tables = [model._meta.db_table for model in chosen]
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # TRUNCATE refuses tables with foreign-key checks still pending in this transaction (a second run
            # inside one transaction, as in the tests): run them now, then defer again as Django declares.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"TRUNCATE {', '.join(quote(t) for t in tables)} RESTART IDENTITY CASCADE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            return
        for table in tables:
            cursor.execute(f"DELETE FROM {quote(table)}")  # noqa: S608  (names come from the models)
        cursor.execute(
            f"DELETE FROM sqlite_sequence WHERE name IN ({', '.join('%s' for _ in tables)})",  # noqa: S608  (only %s placeholders)
            tables,
        )


def analyze() -> None:
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def aware(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=ROME)


def money(value: float | Decimal) -> Decimal:
    return Decimal(value).quantize(Decimal("0.01"))
