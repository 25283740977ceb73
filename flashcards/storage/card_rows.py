"""The review hot path: load a card, write an answer, with SQL prepared once per database.

Peewee rebuilds a query's SQL on every execution (~0.3 ms each); answering a card runs three
statements, so the study session uses these prepared strings instead. They are plain SQL with the
database's own placeholder and RETURNING (SQLite ≥ 3.35 and PostgreSQL both have it), so this file
is the one place the hot path's SQL lives, for every backend.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from peewee import Database, SqliteDatabase

from flashcards.storage.models import Card, Review

CARD_COLUMNS = (
    "id",
    "deck_id",
    "key",
    "note",
    "kind",
    "front",
    "back",
    "tags",
    "ordinal",
    "repetitions",
    "interval",
    "easiness",
    "due",
    "lapses",
    "suspended",
    "buried_until",
    "created_at",
    "modified_at",
)
REVIEW_COLUMNS = (
    "card_id",
    "reviewed_at",
    "review_day",
    "quality",
    "button",
    "drill",
    "duration_ms",
    "scheduler",
    "before_repetitions",
    "before_interval",
    "before_easiness",
    "before_due",
    "after_repetitions",
    "after_interval",
    "after_easiness",
    "after_due",
)
DATE_COLUMNS = ("due", "buried_until")
ANSWER_COLUMNS = (
    "repetitions",
    "interval",
    "easiness",
    "due",
    "lapses",
    "tags",
    "suspended",
    "modified_at",
)


def _quote(name: str) -> str:
    return f'"{name}"'


def _as_date(value: Any) -> dt.date | None:
    """A stored date; one that is not a date at all (a damaged or hand-edited row) reads as
    none, so showing and grading the card still work and the next answer writes a real one."""
    if value is None or isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


class CardRows:
    """Prepared statements for one open database."""

    def __init__(self, db: Database) -> None:
        self.db = db
        p = db.param
        card, log = _quote(Card._meta.table_name), _quote(Review._meta.table_name)
        cols = ", ".join(_quote(c) for c in CARD_COLUMNS)
        self._select = f"SELECT {cols} FROM {card} WHERE {_quote('id')} = {p}"
        # Inside a write transaction: SQLite's BEGIN IMMEDIATE already holds the only write
        # lock; a server database locks the one row.
        self._select_locked = self._select + (
            "" if isinstance(db, SqliteDatabase) else " FOR UPDATE"
        )
        sets = ", ".join(f"{_quote(c)} = {p}" for c in ANSWER_COLUMNS)
        self._update = f"UPDATE {card} SET {sets} WHERE {_quote('id')} = {p}"
        marks = ", ".join([p] * len(REVIEW_COLUMNS))
        names = ", ".join(_quote(c) for c in REVIEW_COLUMNS)
        self._insert = f"INSERT INTO {log} ({names}) VALUES ({marks}) RETURNING {_quote('id')}"
        self._db_date = Card.due.db_value
        self._db_datetime = Card.modified_at.db_value
        self._db_bool = Card.suspended.db_value

    def load(self, card_id: int, *, locked: bool = False) -> dict[str, Any]:
        """The card's row as a dict, dates as `date`; KeyError if it is gone.

        `locked` (inside `write_transaction`) reads the row so no other writer can change it
        before this transaction ends.
        """
        sql = self._select_locked if locked else self._select
        row = self.db.execute_sql(sql, (card_id,)).fetchone()
        if row is None:
            raise KeyError(card_id)
        card = dict(zip(CARD_COLUMNS, row, strict=True))
        for name in DATE_COLUMNS:
            card[name] = _as_date(card[name])
        card["suspended"] = bool(card["suspended"])
        return card

    def write_answer(
        self, card_id: int, card: dict[str, Any] | None, review: dict[str, Any]
    ) -> int:
        """Update the card's state (unless `card` is None: a drill) and append the log row.

        The caller wraps this in the transaction; returns the new review's id.
        """
        if card is not None:
            values = [card[c] for c in ANSWER_COLUMNS]
            values[3] = self._db_date(values[3])
            values[6] = self._db_bool(values[6])
            values[7] = self._db_datetime(values[7])
            self.db.execute_sql(self._update, (*values, card_id))
        row = [review[c] for c in REVIEW_COLUMNS]
        for i, name in enumerate(REVIEW_COLUMNS):
            if name in ("review_day", "before_due", "after_due"):
                row[i] = self._db_date(row[i])
            elif name == "reviewed_at":
                row[i] = self._db_datetime(row[i])
            elif name == "drill":
                row[i] = self._db_bool(row[i])
        return self.db.execute_sql(self._insert, tuple(row)).fetchone()[0]
