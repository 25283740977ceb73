"""What differs between the databases a collection can live in, below the SQL itself.

The SQL the two dialects write differently is kept beside the statement that needs it (the
day_stats triggers in schema_v2.py, the row lock in card_rows.py, the write lock in
transactions.py's `write_transaction`); this module holds the helpers those places share.
"""

from __future__ import annotations

import re

from peewee import Database, Node, SqliteDatabase


def is_sqlite(db: Database) -> bool:
    """True for a SQLite collection file, False for a server database (PostgreSQL)."""
    return isinstance(db, SqliteDatabase)


def literal_sql(db: Database, sql: str) -> str:
    """SQL text with literal `%` signs (LIKE patterns) made safe for the database's driver.

    psycopg2 reads `%` as the start of a placeholder whenever parameters are passed (even none),
    so a literal one must be doubled; sqlite3 uses `?` and takes the text as it is. Call this on
    the literal part of a statement, before adding placeholders.
    """
    return sql.replace("%", "%%") if db.param == "%s" else sql


def reset_sequence(db: Database, table: str, column: str = "id") -> None:
    """After rows were inserted with explicit ids, make the next generated id follow the largest.

    PostgreSQL's serial columns draw from a sequence that explicit ids do not advance; SQLite
    takes the next rowid from the table itself, so there is nothing to do.
    """
    if is_sqlite(db):
        return
    db.execute_sql(
        f"SELECT setval(pg_get_serial_sequence('\"{table}\"', '{column}'), "
        f'COALESCE(MAX("{column}"), 1), MAX("{column}") IS NOT NULL) FROM "{table}"'
    )


_COLUMN = re.compile(r'"(\w+)"')


def row_sql(db: Database, expression: Node, row: str) -> str:
    """A Peewee expression over one table's columns as SQL text with its values written in,
    each column read from `row` (`NEW`, `OLD` in a trigger, or a table name): for SQL that
    cannot take parameters, such as a trigger body, written from the same expressions the
    queries use. Values are ints, booleans and plain words (the card-state conditions)."""
    context = db.get_sql_context()
    with context.scope_values():  # columns unqualified: `"due"`, not `"t1"."due"`
        context.sql(expression)
    sql, params = context.query()
    pieces = sql.split(db.param)
    text = _COLUMN.sub(lambda m: f'{row}."{m.group(1)}"', pieces[0])
    for value, piece in zip(params, pieces[1:], strict=True):
        text += _literal(value) + _COLUMN.sub(lambda m: f'{row}."{m.group(1)}"', piece)
    return text


def _literal(value: object) -> str:
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str) and value.isidentifier():
        return f"'{value}'"
    raise ValueError(f"no literal for {value!r} in a trigger's SQL")
