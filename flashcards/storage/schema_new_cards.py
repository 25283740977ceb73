"""Schema step 8: the new cards in id order, for the search `is:new`.

`due IS NULL` (never reviewed) had no index of its own: the browser's first 100 new cards were
found by reading the card table in id order until 100 matched, which at 1,000,000 cards with a
few new ones read every card (121 ms). Naming both values of `suspended` lets SQLite use
`card_suspended_due_deck_id` (suspended, due, deck), but in that index's order (deck, then id),
so every new card is read and the ids sorted: fast when few cards are new, slow when most are
(a collection just imported: 12 ms at 100,000 all-new cards, where the id-order scan stopped at
the hundredth card). `card_new` (id, due) WHERE due IS NULL holds only the new cards, in id
order: the first 100 are its first 100 entries either way. `due` is in it because SQLite (3.40)
reads a row to test `due IS NULL` unless the column is in the index (see schema_v5.py). It
costs the writes that make or answer a new card one entry.

The same SQL on SQLite and PostgreSQL (both have partial indexes).
Never edit this file once released: add a step instead.
"""

from __future__ import annotations

from peewee import Database

STEP = 8
"""This step's number: the one place it is written (storage/migrations.py reads it)."""

INDEX = 'CREATE INDEX "card_new" ON "card" ("id", "due") WHERE "due" IS NULL'


def migrate(db: Database) -> None:
    db.execute_sql(INDEX)
