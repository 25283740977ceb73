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
from flashcards.storage.stored_dates import stored_date


class CardRow(NamedTuple):
    """One card's row as the study path reads and writes it: immutable and typed, so the row
    after an answer is a new one (`_replace`) and the row before stays as it was (for the log
    and for undo).

    A NamedTuple rather than the frozen dataclass issue 12 named, for the answer's cost: a
    frozen dataclass's __init__ sets each of the 18 fields through object.__setattr__. Measured
    here (timeit, best of 5, load average 4.3): building a row 0.26 µs as a NamedTuple against
    2.6 µs as a frozen dataclass (6.1 µs with slots); changing three fields 3.7 µs with
    `_replace` against 6.9 µs with `dataclasses.replace`. An answer loads one row and builds one
    more, so the dataclass would add some 5.5 µs to an answer of about 160 µs (bench/run.py's
    answer_ms median), 3 % of the hot path for no gain in safety: both are immutable and typed.
    Read it by name only, never by position (`_make` in `load` is the one positional use).
    """

    id: int
    deck_id: int
    key: str
    note: str  # the note's key: the cards of one note are siblings
    kind: str  # a `CardKind` value as stored; the session's CardView carries the enum
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
            values[i] = stored_date(values[i])  # a damaged one reads as none
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
