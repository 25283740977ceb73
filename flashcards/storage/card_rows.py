"""The review hot path: load a card, write an answer, with SQL prepared once per database.

Peewee rebuilds a query's SQL on every execution (~0.3 ms each); answering a card runs three
statements, so the study session uses these prepared strings instead. They are plain SQL with the
database's own placeholder and RETURNING (SQLite ≥ 3.35 and PostgreSQL both have it), so this file
is the one place the hot path's SQL lives, for every backend.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, NamedTuple

from peewee import Database, SqliteDatabase

from flashcards.storage.models import Card, Review


class CardRow(NamedTuple):
    """One card's row as the study path reads and writes it: immutable and typed, so the row
    after an answer is a new one (`_replace`) and the row before stays as it was (for the log
    and for undo).

    A NamedTuple rather than a frozen dataclass: the dataclass's __init__ sets each of the 18
    fields through object.__setattr__ (about 2 µs a row, 4 µs with `replace`), and an answer
    builds two rows on a path of some 150 µs. Read it by name only, never by position.
    """

    id: int
    deck_id: int
    key: str
    note: str  # the note's key: the cards of one note are siblings
    kind: str
    front: str
    back: str
    tags: str  # space-separated
    ordinal: int
    repetitions: int
    interval: int
    easiness: int  # hundredths
    due: dt.date | None  # None: never reviewed
    lapses: int
    suspended: bool
    buried_until: dt.date | None
    created_at: dt.datetime | None
    modified_at: dt.datetime | None


CARD_COLUMNS = CardRow._fields
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


_DATES_AT = tuple(CARD_COLUMNS.index(name) for name in DATE_COLUMNS)
_SUSPENDED_AT = CARD_COLUMNS.index("suspended")


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
        by_column = {"due": self._db_date, "suspended": self._db_bool}
        by_column["modified_at"] = self._db_datetime
        # Each ANSWER_COLUMNS name with what its value goes through on its way in (None: as is).
        self._answer_converters = tuple((n, by_column.get(n)) for n in ANSWER_COLUMNS)

    def load(self, card_id: int, *, locked: bool = False) -> CardRow:
        """The card's row, dates as `date`; KeyError if it is gone.

        `locked` (inside `write_transaction`) reads the row so no other writer can change it
        before this transaction ends.
        """
        sql = self._select_locked if locked else self._select
        row = self.db.execute_sql(sql, (card_id,)).fetchone()
        if row is None:
            raise KeyError(card_id)
        values = list(row)
        for i in _DATES_AT:
            values[i] = _as_date(values[i])
        values[_SUSPENDED_AT] = bool(values[_SUSPENDED_AT])
        return CardRow._make(values)

    def write_answer(self, card_id: int, card: CardRow | None, review: dict[str, Any]) -> int:
        """Update the card's state (unless `card` is None: a drill) and append the log row.

        The caller wraps this in the transaction; returns the new review's id.
        """
        if card is not None:
            values = [
                getattr(card, name) if convert is None else convert(getattr(card, name))
                for name, convert in self._answer_converters
            ]
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
