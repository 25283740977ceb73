"""The trigram index of the cards' folded text (schema step 7): filling it, and whether a search
may use it.

The index is a prefilter, never the answer: for a query whose text terms have three characters
or more, it gives a superset of the matching cards (every card whose folded text holds every
trigram of every required piece), and the search's exact condition is tested on those alone
(storage/search_sql.py). Cards the index may not describe as they are now — above `upto`, or
listed in `search_text_pending` by the card table's triggers — are always added to the
candidates, so a stale index costs time, never a result.

`refresh` indexes those cards (in Python: the fold is Python's). A bulk import leaves its new
cards above `upto` (indexing costs ~11 µs a card, as much as the import itself); the search
service starts a refresh in the background once enough cards wait (services/search_upkeep.py).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager

from peewee import SQL, Database, NodeList, OperationalError, chunked

from flashcards.search import fold
from flashcards.storage import upgrade_progress
from flashcards.storage.dialect import is_sqlite
from flashcards.storage.models import Card
from flashcards.storage.search_text_tables import FTS, INSERT_TRIGGER, PENDING, STATE, TABLE
from flashcards.storage.transactions import write_transaction

CHUNK = 2000
MAX_CANDIDATES = 2000
"""Above this many candidates the index is not used: listing them all (a search of the first
100 matches stops early when it reads the table in order) would cost more than it saves."""
MAX_BEHIND = 50_000
"""Cards waiting to be indexed above which the index is not used (they would all be read)."""


def folded_text(front: str, back: str, tags: str) -> str:
    """What the index holds for a card: its three fields folded, a line each. ASCII text folds
    to its lower case (NFKD leaves it alone; casefold is lower there), without the normaliser."""
    return "\n".join(t.lower() if t.isascii() else fold(t) for t in (front, back, tags))


def _state(db: Database) -> tuple[int, str] | None:
    """(upto, unicode), or None where there is no state (PostgreSQL, a damaged file)."""
    if not is_sqlite(db):
        return None
    try:
        row = db.execute_sql(f'SELECT "upto", "unicode" FROM "{STATE}" WHERE "id" = 1').fetchone()
    except OperationalError:
        return None
    if row is None or not isinstance(row[0], int):  # a hand-edited or hostile file
        return None
    return row[0], str(row[1])


def _index(db: Database, rows: list[tuple]) -> None:
    db.cursor().executemany(
        f'INSERT INTO "{TABLE}" ("rowid", "text") VALUES (?, ?)',
        [(card_id, folded_text(f, b, t)) for card_id, f, b, t in rows],
    )


def refresh(db: Database, most: int | None = None) -> int:
    """Index the cards the index does not describe yet (at most `most` of them, the listed
    ones first), in one write transaction; how many were indexed (0: it is current).

    Folded with another Unicode version than the index was (Python's `unicodedata` changed),
    the whole index is emptied first: a letter may fold differently now.
    """
    left = most if most is not None else -1  # -1: no limit
    with write_transaction(db):
        state = _state(db)
        if state is None or not db.table_exists(TABLE):
            return 0
        upto, version = state
        done = 0
        if version != unicodedata.unidata_version:  # dropped and made again: quicker
            db.execute_sql(f'DROP TABLE "{TABLE}"')  # than deleting each row's trigrams
            db.execute_sql(FTS)
            db.execute_sql(f'DELETE FROM "{PENDING}"')
            upto = 0
        reporter = upgrade_progress.active()
        total = _waiting(db, upto) if reporter is not None else 0
        listed = db.execute_sql(
            f'SELECT "card_id" FROM "{PENDING}" ORDER BY "card_id" LIMIT ?', (left,)
        ).fetchall()
        for chunk in chunked([r[0] for r in listed], CHUNK):
            marks = ", ".join(["?"] * len(chunk))
            db.execute_sql(f'DELETE FROM "{TABLE}" WHERE "rowid" IN ({marks})', chunk)
            rows = db.execute_sql(
                f'SELECT "id", "front", "back", "tags" FROM "card" '
                f'WHERE "id" IN ({marks}) AND "id" <= ?',
                [*chunk, upto],
            ).fetchall()
            _index(db, rows)
            db.execute_sql(f'DELETE FROM "{PENDING}" WHERE "card_id" IN ({marks})', chunk)
            done += len(chunk)
            if reporter is not None:
                reporter.advance(done / max(total, 1))
        while most is None or done < most:
            size = CHUNK if most is None else min(CHUNK, most - done)
            rows = db.execute_sql(
                'SELECT "id", "front", "back", "tags" FROM "card" WHERE "id" > ? '
                'ORDER BY "id" LIMIT ?',
                (upto, size),
            ).fetchall()
            if not rows:
                break
            _index(db, rows)
            upto = rows[-1][0]
            done += len(rows)
            if reporter is not None:
                reporter.advance(done / max(total, 1))
        db.execute_sql(
            f'UPDATE "{STATE}" SET "upto" = ?, "unicode" = ? WHERE "id" = 1',
            (upto, unicodedata.unidata_version),
        )
    return done


def _waiting(db: Database, upto: int) -> int:
    """The cards a refresh from `upto` indexes (an upgrade's progress counts against it)."""
    tail = db.execute_sql('SELECT COUNT(*) FROM "card" WHERE "id" > ?', (upto,)).fetchone()[0]
    listed = db.execute_sql(f'SELECT COUNT(*) FROM "{PENDING}"').fetchone()[0]
    return int(tail) + int(listed)


def _trigger_exists(db: Database) -> tuple[str] | None:
    """The insert trigger's statement as the schema stores it, or None without it."""
    return db.execute_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?", (INSERT_TRIGGER,)
    ).fetchone()


@contextmanager
def bulk_insert(db: Database) -> Iterator[None]:
    """Inside a transaction that inserts many new cards: the insert trigger dropped while it
    runs (its test on every row cost an import of 100,000 cards ~10 %), then put back as the
    schema stores it, and the cards it would have listed listed in one statement: the new
    ones (ids above the largest before) at or below `upto`. Rows inserted with ids of their
    own below that largest one are not looked for: the importers let SQLite number them."""
    row = _trigger_exists(db) if _state(db) is not None else None
    if row is None:  # PostgreSQL, or no trigger to drop
        yield
        return
    (largest,) = db.execute_sql('SELECT COALESCE(MAX("id"), 0) FROM "card"').fetchone()
    db.execute_sql(f'DROP TRIGGER "{INSERT_TRIGGER}"')
    try:
        yield
    finally:  # after a rollback the trigger is back already, and no new card is left
        if not _trigger_exists(db):
            db.execute_sql(row[0])
        db.execute_sql(
            f'INSERT OR IGNORE INTO "{PENDING}" ("card_id") SELECT "id" FROM "card" '
            f'WHERE "id" > ? AND "id" <= (SELECT "upto" FROM "{STATE}")',
            (largest,),
        )


def behind(db: Database, cap: int = MAX_BEHIND) -> int:
    """How many cards wait to be indexed, counted up to `cap` (0 where there is no index)."""
    state = _state(db)
    if state is None:
        return 0
    if state[1] != unicodedata.unidata_version:  # to be rebuilt: every card waits
        return cap
    tail = db.execute_sql(
        'SELECT COUNT(*) FROM (SELECT 1 FROM "card" WHERE "id" > ? LIMIT ?)', (state[0], cap)
    ).fetchone()[0]
    listed = db.execute_sql(
        f'SELECT COUNT(*) FROM (SELECT 1 FROM "{PENDING}" LIMIT ?)', (cap,)
    ).fetchone()[0]
    return int(tail) + int(listed)


def candidates(db: Database, match: str) -> object | None:
    """A condition on `card` true for every card the index says may match the FTS5 query
    `match`, and for every card it does not describe yet; None when the index should not be
    used (missing, folded with another Unicode version, too far behind, too many candidates)."""
    state = _state(db)
    if state is None or state[1] != unicodedata.unidata_version:
        return None
    found = f'SELECT "rowid" FROM "{TABLE}" WHERE "{TABLE}" MATCH ?'
    try:
        many = db.execute_sql(
            f"SELECT COUNT(*) FROM ({found} LIMIT ?)", (match, MAX_CANDIDATES + 1)
        ).fetchone()[0]
    except OperationalError:  # no index (a SQLite without FTS5's trigram tokenizer)
        return None
    if many > MAX_CANDIDATES or behind(db) > MAX_BEHIND:
        return None
    # One list, not `IN (…) OR id > upto`: with an OR SQLite scans the table in id order.
    listed = SQL(
        f'{found} UNION ALL SELECT "card_id" FROM "{PENDING}" '
        'UNION ALL SELECT "id" FROM "card" WHERE "id" > ?',
        [match, state[0]],
    )
    return Card.id.in_(NodeList((listed,), parens=True))
