"""Primary keys that are never given twice, for migrations that move rows to a new table or rebuild one.

SQLite (``AUTOINCREMENT``) and PostgreSQL (identity sequences) remember the last key each table gave, so the key
of a deleted row is not given again and its audit entries (which name it by key) never become another row's
history. A new table starts that memory from nothing, and SQLite rebuilding a table (which Django does to drop
a column) restarts it from the highest key present: a migration reads it before with ``last_key`` and gives it
back after with ``continue_keys``. Only the two supported databases; the key column is ``id``.
"""

from __future__ import annotations

from django.db.backends.base.base import BaseDatabaseWrapper


def last_key(connection: BaseDatabaseWrapper, table: str) -> int:
    """The last key ``table`` gave (0 if none), deleted rows included."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
            row = cursor.fetchone()
            return int(row[0]) if row else 0
        cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [connection.ops.quote_name(table)])
        (sequence,) = cursor.fetchone()
        if sequence is None:
            return 0
        cursor.execute(f"SELECT last_value, is_called FROM {sequence}")  # noqa: S608  (PostgreSQL's name, quoted)
        value, called = cursor.fetchone()
        return int(value) if called else 0


def continue_keys(connection: BaseDatabaseWrapper, table: str, last: int) -> None:
    """Make ``table`` give keys above ``last`` (and above every key in it); never lowers what it remembers."""
    quoted = connection.ops.quote_name(table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {quoted}")  # noqa: S608  (a quoted table name)
        last = max(last, int(cursor.fetchone()[0]), last_key(connection, table))
        if last == 0:
            return
        if connection.vendor == "sqlite":
            cursor.execute("UPDATE sqlite_sequence SET seq = %s WHERE name = %s", [last, table])
            if cursor.rowcount == 0:
                cursor.execute("INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)", [table, last])
        else:
            cursor.execute("SELECT setval(pg_get_serial_sequence(%s, 'id'), %s, true)", [quoted, last])
