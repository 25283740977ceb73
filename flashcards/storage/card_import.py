"""The importer's SQL: read a deck's card texts, insert, rewrite and delete cards in bulk.

An import of 100,000 cards must take seconds, so these are fast paths, each with its reason:
rows go in and out as plain tuples (Peewee's model instances and row wrappers cost more than
the queries), and a full chunk's INSERT is rendered once and reused. Every function takes the
database it runs on; the caller holds the transaction.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from itertools import chain

from peewee import Database, SqliteDatabase, __exception_wrapper__, chunked

from flashcards.scheduler import START_EASINESS
from flashcards.storage import schema_v6
from flashcards.storage.card_copy import copy_rows
from flashcards.storage.insert_thread import Execute
from flashcards.storage.models import Card, Review

CHUNK_ROWS = 500
"""Rows per INSERT: 500 × 17 columns stays far below SQLite's 32,766 variables per query."""
NEW_CARD_ROWS = 2500
"""Rows per INSERT of new cards (`insert_new_cards`), 7 variables each: 17,500 a statement.
Bigger than CHUNK_ROWS because a bulk import runs them on a thread of their own
(`insert_thread`), which waits for the GIL at each statement's start and end: with 500 rows
(and a 1 ms switch interval) an import of 200,000 cards took 0.2 s longer; from 1,250 to 4,000
rows (at 0.1 ms) they were alike. Half the streaming importer's chunk."""

INSERT_FIELDS = (
    Card.deck, Card.key, Card.note, Card.kind, Card.front, Card.back, Card.tags, Card.ordinal,
    Card.repetitions, Card.interval, Card.easiness, Card.due, Card.lapses, Card.suspended,
    Card.buried_until, Card.created_at, Card.modified_at,
)  # fmt: skip
"""The order of a row given to `insert_cards`."""

NEW_CARD_FIELDS = INSERT_FIELDS[1:8]
"""The order of a card's values given to `insert_new_cards`: key to ordinal; the deck, the
timestamps and the progress columns are the same for every card and written into the
statement."""
_NEW_CARD_PROGRESS = {
    "repetitions": "0",
    "interval": "0",
    "easiness": str(START_EASINESS),
    "due": "NULL",
    "lapses": "0",
    "suspended": "FALSE",
    "buried_until": "NULL",
}
"""A new card's progress as SQL literals, for INSERT_FIELDS' columns that NEW_CARD_FIELDS
leaves out."""

TEXT_COLUMNS = ("kind", "front", "back", "tags", "ordinal")
"""What a re-import compares and rewrites, in this order (`card_texts`, `update_card_texts`)."""


BULK_CACHE_KIB = 16 * 1024
"""SQLite's page cache during a bulk import (the default is 2 MiB): room for the pages of the
card indexes that new keys land in at random, instead of writing and reading them back."""


@contextmanager
def bulk_insert_settings(db: Database) -> Iterator[None]:
    """A larger page cache for SQLite while a big import writes (its own connection only),
    the previous size back afterwards; nothing for PostgreSQL."""
    if not isinstance(db, SqliteDatabase):
        yield
        return
    (before,) = db.execute_sql("PRAGMA cache_size").fetchone()
    db.execute_sql(f"PRAGMA cache_size = -{BULK_CACHE_KIB}")
    try:
        yield
    finally:
        db.execute_sql(f"PRAGMA cache_size = {int(before)}")


def card_count(db: Database) -> int:
    """Cards in the whole collection (every deck): what rebuilding the card indexes reads."""
    return Card.select().count(db)


HASHED_COLUMNS = (Card.key, Card.note)
"""Card columns whose values are hashes (derived keys): new ones land at random in an index."""


def drop_hashed_indexes(db: Database) -> list[str]:
    """Drop the card indexes on a HASHED_COLUMNS column (SQLite only; none for PostgreSQL):
    the statements that create them again, as the schema itself stores them (`sqlite_master`),
    so whatever the schema steps made is rebuilt as it was.

    Only inside a transaction: its rollback brings them back. New keys land at random pages of
    these indexes (the others grow at their end, new cards being alike and last); at 100,000
    new cards keeping them up to date took 1.2 s, inserting without them and then building
    them from one sorted pass each (`create_indexes`) 0.5 s.
    """
    if not isinstance(db, SqliteDatabase):
        return []
    hashed = {f.column_name for f in HASHED_COLUMNS}
    rows = db.execute_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? "
        "AND sql IS NOT NULL ORDER BY name",
        (Card._meta.table_name,),
    ).fetchall()
    dropped = []
    for name, sql in rows:
        columns = {row[2] for row in db.execute_sql(f'PRAGMA index_info("{name}")')}
        if columns & hashed:
            db.execute_sql(f'DROP INDEX "{name}"')
            dropped.append(sql)
    return dropped


def create_indexes(db: Database, statements: Sequence[str]) -> None:
    """Run `drop_hashed_indexes`' statements: the indexes back, within the same transaction."""
    for sql in statements:
        db.execute_sql(sql)


def timestamp_param(now: dt.datetime) -> str:
    """A naive UTC datetime as the text SQLite's own adapter writes (`isoformat(" ")`), made
    once per import instead of twice a row; PostgreSQL reads the same text as a timestamp."""
    return str(now)


def card_texts(db: Database, deck_id: int) -> dict[str, tuple[int, tuple]]:
    """The deck's cards by key: (id, the TEXT_COLUMNS values), in one query.

    The driver's rows as they are (ints and strings need no conversion): Peewee's row wrappers
    would cost more than the query itself at 100,000 cards.
    """
    query = Card.select(Card.id, Card.key, *(getattr(Card, c) for c in TEXT_COLUMNS)).where(
        Card.deck == deck_id
    )
    rows = db.execute(query).fetchall()
    return {row[1]: (row[0], tuple(row[2:])) for row in rows}


def insert_cards(db: Database, rows: Iterable[tuple]) -> Iterable[int]:
    """Insert rows (in INSERT_FIELDS order) CHUNK_ROWS at a time; yields each chunk's size.
    `rows` may be an iterator: only one chunk of it is held at a time.

    Peewee renders an INSERT value by value (some 50 µs a row, and 0.2 s for each full chunk's
    statement); the statement depends only on the row count and the driver's placeholder, so
    it is written once (`_insert_sql`) and run with each chunk's values as they are.
    """
    for chunk in chunked(rows, CHUNK_ROWS):
        sql = _insert_sql(db.param, len(chunk))
        db.execute_sql(sql, list(chain.from_iterable(chunk)))
        yield len(chunk)


def insert_new_cards(
    db: Database,
    deck_id: int,
    stamp: dt.datetime,
    values: Sequence[object],
    counted: dict[int, int] | None,
    execute: Execute | None = None,
) -> Iterable[int]:
    """`insert_cards` for cards without progress into one deck, all created at `stamp`; yields
    each statement's card count. `values` holds the cards' NEW_CARD_FIELDS values one card
    after another, a flat list: no tuple a card to make and flatten again for the statement
    (0.04 s of 200,000 cards). What every card shares is written into the statement as
    literals (an int, a timestamp's digits), so a card binds 7 values instead of 17. The
    caller holds `new_cards_counted` and passes what it gave (None: the triggers count the
    cards). PostgreSQL takes the cards through COPY instead (`card_copy.py`); its triggers
    count them. `execute` runs each INSERT (`insert_thread`'s queue; by default
    `db.execute_sql`)."""
    width = len(NEW_CARD_FIELDS)
    if not isinstance(db, SqliteDatabase):  # PostgreSQL: COPY (card_copy.py)
        columns = [f.column_name for f in NEW_CARD_FIELDS]
        stamp_sql = f"'{timestamp_param(stamp)}'"
        shared = {"deck_id": str(int(deck_id)), "created_at": stamp_sql, "modified_at": stamp_sql}
        rows = zip(*[iter(values)] * width, strict=True)
        yield from copy_rows(db, Card._meta.table_name, columns, shared | _NEW_CARD_PROGRESS, rows)
        return
    execute = execute or db.execute_sql
    step = NEW_CARD_ROWS * width
    for start in range(0, len(values), step):
        chunk = values[start : start + step]
        cards = len(chunk) // width
        execute(_new_cards_sql(db.param, cards, int(deck_id), timestamp_param(stamp)), chunk)
        if counted is not None:
            counted[deck_id] = counted.get(deck_id, 0) + cards
        yield cards


@contextmanager
def new_cards_counted(db: Database) -> Iterator[dict[int, int] | None]:
    """For the block of an import that inserts new cards (`insert_new_cards`): the counters'
    insert triggers set aside (`counters_set_aside`), and the cards inserted, by deck (the
    dict it yields, None where the triggers stay), added to the counters at its end.

    Once for the whole import, not for each chunk: dropping and creating a trigger changes
    the schema, after which SQLite prepares the next 500-row INSERT again, some 20 ms each
    time (0.4 s of an import of 100,000 cards when it was done for each of its 20 chunks).
    """
    with counters_set_aside(db) as set_aside:
        if not set_aside:
            yield None
            return
        inserted: dict[int, int] = {}
        yield inserted
        for deck_id, count in inserted.items():  # cards alike but for their texts: one row
            progress = {"deck_id": str(int(deck_id)), **_NEW_CARD_PROGRESS}
            row = ", ".join(f'{value} AS "{column}"' for column, value in progress.items())
            for statement in schema_v6.recount(db, cards=f"(SELECT {row})", each=count):
                db.execute_sql(statement)


@contextmanager
def counters_set_aside(db: Database) -> Iterator[bool]:
    """The counters' insert triggers (schema_v6.py) dropped for the block, put back after it;
    whether they were, for the caller to count what it inserted itself: they cost 1.2 µs of
    the 5 a new card takes. SQLite only, inside the caller's transaction (a rollback brings
    them back); on PostgreSQL they stay (False), as dropping one would lock the card table
    against every reader: there they count each INSERT's rows at once (schema step 9)."""
    if not isinstance(db, SqliteDatabase):
        yield False
        return
    names = schema_v6.INSERT_TRIGGERS
    triggers = db.execute_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'trigger' "
        f"AND name IN ({', '.join('?' * len(names))}) ORDER BY name",
        names,
    ).fetchall()
    for name in names:
        db.execute_sql(f'DROP TRIGGER "{name}"')
    try:
        yield True
    finally:
        for (sql,) in triggers:
            db.execute_sql(sql)


@functools.lru_cache(maxsize=8)
def _insert_sql(param: str, rows: int) -> str:
    """`INSERT INTO "card" (INSERT_FIELDS) VALUES (…), …` for `rows` rows."""
    return _insert_values([param] * len(INSERT_FIELDS), rows)


@functools.lru_cache(maxsize=8)
def _new_cards_sql(param: str, rows: int, deck_id: int, stamp: str) -> str:
    """`_insert_sql` for `insert_new_cards`: the deck, the timestamps and _NEW_CARD_PROGRESS as
    literals, a placeholder for each of NEW_CARD_FIELDS."""
    literals = {"deck_id": str(deck_id), "created_at": f"'{stamp}'", "modified_at": f"'{stamp}'"}
    literals.update(_NEW_CARD_PROGRESS)
    return _insert_values([literals.get(f.column_name, param) for f in INSERT_FIELDS], rows)


def _insert_values(values: list[str], rows: int) -> str:
    """The INSERT of INSERT_FIELDS with `values` (SQL text, in that order) for each of `rows`."""
    columns = ", ".join(f'"{f.column_name}"' for f in INSERT_FIELDS)
    one = f"({', '.join(values)})"
    return f'INSERT INTO "{Card._meta.table_name}" ({columns}) VALUES {", ".join([one] * rows)}'


def update_card_texts(db: Database, rows: Sequence[tuple], stamp: str) -> Iterable[int]:
    """Rewrite the texts of cards, their progress untouched: rows are (card id, the
    TEXT_COLUMNS values); one executemany a chunk (Peewee has no bulk UPDATE by id), its
    errors raised as peewee's own (a full disk: OperationalError)."""
    p = db.param
    assignments = ", ".join(f'"{c}" = {p}' for c in (*TEXT_COLUMNS, "modified_at"))
    sql = f'UPDATE "{Card._meta.table_name}" SET {assignments} WHERE "id" = {p}'
    for chunk in chunked(rows, CHUNK_ROWS):
        params = [(*values, stamp, card_id) for card_id, *values in chunk]
        with __exception_wrapper__:
            db.cursor().executemany(sql, params)
        yield len(chunk)


def delete_cards(db: Database, card_ids: Sequence[int]) -> Iterable[int]:
    """Delete cards; their review-log rows stay, pointing at no card (past statistics keep
    them)."""
    for chunk in chunked(card_ids, CHUNK_ROWS):
        db.execute(Review.update(card=None).where(Review.card.in_(chunk)))
        db.execute(Card.delete().where(Card.id.in_(chunk)))
        yield len(chunk)
