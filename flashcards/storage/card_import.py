"""The importer's SQL: read a deck's card texts, insert, rewrite and delete cards in bulk.

An import of 100,000 cards must take seconds, so these are fast paths, each with its reason:
rows go in and out as plain tuples (Peewee's model instances and row wrappers cost more than
the queries), and a full chunk's INSERT is rendered once and reused. Every function takes the
database it runs on; the caller holds the transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from itertools import chain

from peewee import Database, chunked

from flashcards.storage.models import Card, Review

CHUNK_ROWS = 500
"""Rows per INSERT: 500 × 17 columns stays far below SQLite's 32,766 variables per query."""

INSERT_FIELDS = (
    Card.deck, Card.key, Card.note, Card.kind, Card.front, Card.back, Card.tags, Card.ordinal,
    Card.repetitions, Card.interval, Card.easiness, Card.due, Card.lapses, Card.suspended,
    Card.buried_until, Card.created_at, Card.modified_at,
)  # fmt: skip
"""The order of a row given to `insert_cards`."""

TEXT_COLUMNS = ("kind", "front", "back", "tags", "ordinal")
"""What a re-import compares and rewrites, in this order (`card_texts`, `update_card_texts`)."""


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

    Peewee renders an INSERT value by value (some 50 µs a row); the statement for a full chunk
    is the same every time, so it is rendered once and then run with each chunk's values.
    """
    full_chunk_sql: str | None = None
    for chunk in chunked(rows, CHUNK_ROWS):
        if len(chunk) == CHUNK_ROWS and full_chunk_sql is not None:
            db.execute_sql(full_chunk_sql, list(chain.from_iterable(chunk)))
        else:
            query = Card.insert_many(chunk, fields=INSERT_FIELDS)
            if len(chunk) == CHUNK_ROWS:
                full_chunk_sql, _ = query.sql()
            db.execute(query)
        yield len(chunk)


def update_card_texts(db: Database, rows: Sequence[tuple], stamp: str) -> Iterable[int]:
    """Rewrite the texts of cards, their progress untouched: rows are (card id, the
    TEXT_COLUMNS values); one executemany a chunk (Peewee has no bulk UPDATE by id)."""
    p = db.param
    assignments = ", ".join(f'"{c}" = {p}' for c in (*TEXT_COLUMNS, "modified_at"))
    sql = f'UPDATE "{Card._meta.table_name}" SET {assignments} WHERE "id" = {p}'
    for chunk in chunked(rows, CHUNK_ROWS):
        params = [(*values, stamp, card_id) for card_id, *values in chunk]
        db.cursor().executemany(sql, params)
        yield len(chunk)


def delete_cards(db: Database, card_ids: Sequence[int]) -> Iterable[int]:
    """Delete cards; their review-log rows stay, pointing at no card (past statistics keep
    them)."""
    for chunk in chunked(card_ids, CHUNK_ROWS):
        db.execute(Review.update(card=None).where(Review.card.in_(chunk)))
        db.execute(Card.delete().where(Card.id.in_(chunk)))
        yield len(chunk)
