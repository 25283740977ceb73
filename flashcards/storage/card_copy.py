"""PostgreSQL's bulk path for new cards: COPY, where SQLite takes `INSERT … VALUES` chunks.

The server parses and plans a 500-row `INSERT … VALUES` with its 3,500 parameters written in
for every chunk (psycopg2 sends them as text): at 20,000 new cards the same rows went in 1.7
times faster through COPY's text format (measured side by side on a loaded machine), which
needs no parsing a row. The rows are those `card_import.insert_new_cards` writes; the counters'
triggers count each COPY's rows at once (schema step 9), as they do an INSERT's.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence

from peewee import Database, chunked
from peewee import __exception_wrapper__ as driver_errors

COPY_ROWS = 5000
"""Rows a COPY: one buffer of text at a time, never the whole import."""

_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
"""What COPY's text format reads as a separator or an escape, written as escapes."""

_LITERALS = {"NULL": "\\N", "FALSE": "f", "TRUE": "t"}
"""SQL literals (`card_import._NEW_CARD_PROGRESS`) as COPY's text format writes them."""


def copy_field(value: object) -> str:
    """One value in COPY's text format: NULL as `\\N`, text with its separators escaped."""
    if value is None:
        return "\\N"
    if isinstance(value, str):
        return value.translate(_ESCAPES)
    return str(value)


def copy_rows(
    db: Database,
    table: str,
    columns: Sequence[str],
    shared: dict[str, str],
    rows: Iterable[tuple],
) -> Iterable[int]:
    """COPY `rows` (values for `columns`, in that order) into `table`, each row also given
    the `shared` columns' values (SQL literals: numbers, quoted text, NULL, TRUE, FALSE);
    yields each COPY's row count."""
    suffix = "".join(f"\t{_literal(v)}" for v in shared.values()) + "\n"
    names = ", ".join(f'"{c}"' for c in (*columns, *shared))
    sql = f'COPY "{table}" ({names}) FROM STDIN'
    for chunk in chunked(rows, COPY_ROWS):
        text = "".join("\t".join(map(copy_field, row)) + suffix for row in chunk)
        with driver_errors:  # the driver's errors as Peewee's, like every other statement's
            db.cursor().copy_expert(sql, io.StringIO(text))
        yield len(chunk)


def _literal(sql: str) -> str:
    """A shared value (an SQL literal) in COPY's text format."""
    if sql in _LITERALS:
        return _LITERALS[sql]
    if sql.startswith("'") and sql.endswith("'"):
        return sql[1:-1].replace("''", "'").translate(_ESCAPES)
    return sql
