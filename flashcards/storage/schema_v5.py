"""Schema version 5: indexes for the statistics, and each card's front key for the duplicate test.

Statistics: the easiness spread grouped every reviewed card through SQLite's sorter, and the
hardest cards sorted the whole card_deck_state index. Two partial indexes over reviewed cards
(`due` set) give both in index order: `card_reviewed_easiness` (easiness first, then what the
counts by state test, then the deck, so it covers the pass for one deck too) and
`card_reviewed_hardest` (lapses, most first, easiness, id: the list's own order, so the ten
hardest are the first ten entries; the deck after, to filter a deck without reading the rows).
Both end with `due`: SQLite (3.40) reads a row to test `due IS NOT NULL` unless the column is
in the index, even though the index holds only rows where it is true.

Duplicates: adding a note asks "does the deck already hold a card with this front?", compared
as card keys compare fronts (`decks.keys.normalise_front`: case, spacing and Unicode form
aside). That read every front of the deck. `card.front_key` holds the hash of the normalised
front (as `decks.keys.derive_key` makes it), indexed with the deck, so the question is one
index lookup. NULL means "not computed": rows written by code that does not set it (a bulk
import, a raw insert) are read and compared as before, and filled then
(`storage/front_keys.py`); a trigger sets it back to NULL whenever a writer changes a front
without setting its key, so a stale key cannot answer. The rule is copied here, frozen, for
the backfill; a change to `normalise_front` needs a step that sets every key back to NULL.

The triggers differ by dialect (SQLite's trigger body, PostgreSQL's plpgsql function behind a
row trigger of the same name); the rest is the same SQL on both.
Never edit this file once released: add a step instead.
"""

from __future__ import annotations

import hashlib
import unicodedata

from peewee import Database, chunked

from flashcards.storage.dialect import is_sqlite, literal_sql

COLUMN = 'ALTER TABLE "card" ADD COLUMN "front_key" VARCHAR(16)'
INDEXES = (
    'CREATE INDEX "card_deck_id_front_key" ON "card" ("deck_id", "front_key")',
    'CREATE INDEX "card_reviewed_easiness" ON "card" '
    '("easiness", "suspended", "repetitions", "interval", "deck_id", "due") '
    'WHERE "due" IS NOT NULL',
    'CREATE INDEX "card_reviewed_hardest" ON "card" '
    '("lapses" DESC, "easiness", "id", "deck_id", "due") WHERE "due" IS NOT NULL',
)
TRIGGER = "card_front_key_stale"
_SQLITE_TRIGGER = (
    f'CREATE TRIGGER "{TRIGGER}" AFTER UPDATE OF "front" ON "card" '
    'WHEN NEW."front_key" IS OLD."front_key" AND NEW."front" IS NOT OLD."front" '
    'BEGIN UPDATE "card" SET "front_key" = NULL WHERE "id" = NEW."id"; END'
)
_POSTGRES_TRIGGER = (
    f'CREATE FUNCTION "{TRIGGER}"() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN '
    'IF NEW."front_key" IS NOT DISTINCT FROM OLD."front_key" '
    'AND NEW."front" IS DISTINCT FROM OLD."front" THEN NEW."front_key" := NULL; END IF; '
    "RETURN NEW; END $$",
    f'CREATE TRIGGER "{TRIGGER}" BEFORE UPDATE OF "front" ON "card" '
    f'FOR EACH ROW EXECUTE FUNCTION "{TRIGGER}"()',
)


def _front_key(front: str) -> str:
    """The frozen copy of `derive_key`: 16 hex digits of the SHA-1 of the normalised front."""
    text = front if front.isascii() else unicodedata.normalize("NFC", front)
    normalised = " ".join(text.casefold().split())
    return hashlib.sha1(normalised.encode("utf-8")).hexdigest()[:16]


def migrate(db: Database) -> None:
    """Add and fill the front keys, then the indexes (built once over the filled column)."""
    db.execute_sql(COLUMN)
    p = db.param
    sql = f'UPDATE "card" SET "front_key" = {p} WHERE "id" = {p}'
    rows = db.execute_sql('SELECT "id", "front" FROM "card"').fetchall()
    for chunk in chunked(rows, 2000):
        db.cursor().executemany(sql, [(_front_key(front), card_id) for card_id, front in chunk])
    for statement in INDEXES:
        db.execute_sql(statement)
    for statement in (_SQLITE_TRIGGER,) if is_sqlite(db) else _POSTGRES_TRIGGER:
        db.execute_sql(literal_sql(db, statement))
