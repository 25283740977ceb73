"""Schema step 7: a trigram index of the cards' folded text, which search uses as a prefilter.

A search that matches few cards or none read every card's three text fields (508 ms at
1,000,000 cards). `search_text` (FTS5, trigram tokenizer, `detail=none`: rowids only, 10 MB at
100,000 cards) holds each card's front, back and tags folded as search folds them
(`flashcards.search.fold`), under the card's id. It is never the answer: it narrows the cards
the exact condition is tested on (storage/search_index.py).

It is kept current without running Python inside SQLite, so any connection may write cards:
- `search_text_state` (one row): every card with an id up to `upto` is indexed, except those
  listed in `search_text_pending`; `unicode` is the Unicode version the text was folded with.
- Triggers on the card table list in `search_text_pending` a card whose text changes, or that
  is deleted or inserted with an id at or below `upto`. They read no FTS table and run only
  when the text changes: an answer (which writes no text) costs nothing, and a bulk import's
  new cards (ids above `upto`) only the test of the trigger's condition.
- The cards above `upto` and the listed ones are searched as before until storage/
  search_index.py indexes them (`refresh`).

The step fills the index for an existing collection. A SQLite without FTS5's trigram tokenizer
gets the state, the list and the triggers, but no index: search then reads every card, as
before. PostgreSQL gets nothing (its search keeps the plain scan).
Never edit this file once released: add a step instead.
"""

from __future__ import annotations

from peewee import Database, OperationalError

from flashcards.storage.dialect import is_sqlite
from flashcards.storage.search_index import refresh
from flashcards.storage.search_text_tables import FTS, INSERT_TRIGGER, PENDING, STATE, TABLE

STEP = 7
"""This step's number: the one place it is written (storage/migrations.py reads it)."""


_UPTO = f'(SELECT "upto" FROM "{STATE}")'
_LIST = f'INSERT OR IGNORE INTO "{PENDING}" ("card_id") VALUES'
_TEXT_CHANGED = (
    'NEW."front" IS NOT OLD."front" OR NEW."back" IS NOT OLD."back" '
    'OR NEW."tags" IS NOT OLD."tags" OR NEW."id" IS NOT OLD."id"'
)
STATEMENTS = (
    f'CREATE TABLE "{STATE}" ("id" INTEGER NOT NULL PRIMARY KEY CHECK ("id" = 1), '
    '"upto" INTEGER NOT NULL, "unicode" TEXT NOT NULL)',
    f'CREATE TABLE "{PENDING}" ("card_id" INTEGER NOT NULL PRIMARY KEY)',
    f'CREATE TRIGGER "{INSERT_TRIGGER}" AFTER INSERT ON "card" '
    f'WHEN NEW."id" <= {_UPTO} BEGIN {_LIST} (NEW."id"); END',
    f'CREATE TRIGGER "search_text_card_update" AFTER UPDATE OF "id", "front", "back", "tags" '
    f'ON "card" WHEN ({_TEXT_CHANGED}) AND (OLD."id" <= {_UPTO} OR NEW."id" <= {_UPTO}) '
    f'BEGIN {_LIST} (OLD."id"); {_LIST} (NEW."id"); END',
    f'CREATE TRIGGER "search_text_card_delete" AFTER DELETE ON "card" '
    f'WHEN OLD."id" <= {_UPTO} BEGIN {_LIST} (OLD."id"); END',
)


def fts_available(db: Database) -> bool:
    """Can this SQLite build the index (FTS5 with the trigram tokenizer, SQLite 3.34 on)?"""
    try:
        db.execute_sql(FTS.replace(f'"{TABLE}"', 'temp."search_text_probe"', 1))
    except OperationalError:
        return False
    db.execute_sql('DROP TABLE temp."search_text_probe"')
    return True


def migrate(db: Database) -> None:
    """The state (nothing indexed yet), the list and the triggers, then the index, filled."""
    if not is_sqlite(db):
        return
    for statement in STATEMENTS:
        db.execute_sql(statement)
    db.execute_sql(f'INSERT INTO "{STATE}" ("id", "upto", "unicode") VALUES (1, 0, \'\')')
    if fts_available(db):
        db.execute_sql(FTS)
        refresh(db)
