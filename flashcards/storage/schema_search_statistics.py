"""Schema step 10: on PostgreSQL, statistics of the search's folded text, for the planner.

A search for the first 100 matching cards (the browser, `flashcards cards`) can read the cards
in id order and stop at the 100th match, when the planner knows that many cards match. It could
not know: a field's folded text (`search_sql.folded_sql`) is an expression without statistics,
so the planner guessed a few rows for any LIKE on it and read every card, sorted by id (264 ms
for `dehydration`, held by 43 % of 100,000 cards, against 0.9 ms in id order). `CREATE
STATISTICS` on the front's, back's and tags' folded text (PostgreSQL 14 and later) has ANALYZE,
which autovacuum runs as cards change, sample them; the step runs it once.

A server before 14 gets nothing: its plans stay as they were. The expressions are written as
`folded_sql` writes them when the step runs; a later change to the fold needs a step that makes
these again (one that no longer matches costs the estimate, never a result).
SQLite: nothing (it reads the cards in id order without an estimate).
Never edit this file once released: add a step instead.
"""

from __future__ import annotations

from peewee import Database

from flashcards.storage.dialect import is_sqlite
from flashcards.storage.search_sql import folded_sql

STEP = 10
"""This step's number: the one place it is written (storage/migrations.py reads it)."""

FIELDS = ("front", "back", "tags")
EXPRESSION_STATISTICS = 140000
"""The first server version (`server_version_num`) with statistics on expressions."""


def statements() -> tuple[str, ...]:
    """The step's SQL for PostgreSQL 14 and later."""
    made = tuple(
        f'CREATE STATISTICS "card_{field}_folded" ON ({folded_sql(column)}) FROM "card"'
        for field, column in ((f, f'"{f}"') for f in FIELDS)
    )
    return (*made, 'ANALYZE "card"')


def migrate(db: Database) -> None:
    if is_sqlite(db):
        return
    (version,) = db.execute_sql("SHOW server_version_num").fetchone()
    if int(version) < EXPRESSION_STATISTICS:
        return
    for statement in statements():
        db.execute_sql(statement)
