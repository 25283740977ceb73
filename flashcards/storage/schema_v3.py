"""Schema version 3: notes (the key a card's siblings share) and per-deck options.

A note is a column, not a table: `card.note` holds the key every card made from one note shares
(a reverse pair, the deletions of one cloze text, an Anki note's cards), indexed with the deck.
Each card already keeps its whole text, so the review queue, the counts and the statistics go on
reading one row per card with no join; a note table would have moved every card's text behind a
join on the hottest paths and changed every importer and exporter, to hold what two or three
rows share. Editing a note rewrites its few sibling rows in one transaction instead.

The step links the siblings already stored: the parsers have always keyed them alike (`K` and
`K::reverse`; `K::c1`, `K::c2`, …; Anki's `GUID::0`, `GUID::1`), so the note is the key without
that suffix. The rule is copied here, frozen, from `decks.keys.note_key` as it was when this
step was written.

Per deck, `new_per_day` and `reviews_per_day` (NULL: inherit from the parent deck, then the
settings) are added. (`deck.description` has been there since version 1.)
Never edit this file once released: add a step instead.
"""

from __future__ import annotations

from peewee import Database, chunked

from flashcards.storage.dialect import literal_sql

COLUMNS = (
    'ALTER TABLE "card" ADD COLUMN "note" VARCHAR(255) NOT NULL DEFAULT \'\'',
    'ALTER TABLE "deck" ADD COLUMN "new_per_day" INTEGER',
    'ALTER TABLE "deck" ADD COLUMN "reviews_per_day" INTEGER',
)
SIBLING_KEYS = 'SELECT "id", "key", "kind" FROM "card" WHERE "key" LIKE \'%::%\''
INDEX = 'CREATE INDEX "card_deck_id_note" ON "card" ("deck_id", "note")'


def _note_of(key: str, kind: str) -> str:
    """The frozen copy of `note_key`: the key without the suffix that tells siblings apart."""
    base, sep, last = key.rpartition("::")
    if not sep or not base:
        return key
    if last == "reverse":
        return base
    if kind == "cloze" and (last.isdigit() or (last[:1] == "c" and last[1:].isdigit())):
        return base
    if kind != "cloze" and last in ("0", "1"):
        return base
    return key


def migrate(db: Database) -> None:
    """Add the note and the per-deck option columns, then link the stored siblings."""
    for statement in COLUMNS:
        db.execute_sql(statement)
    db.execute_sql('UPDATE "card" SET "note" = "key"')
    # Only keys with a `::` can name a sibling; 500 updates per executemany.
    rows = db.execute_sql(literal_sql(db, SIBLING_KEYS)).fetchall()
    changes = [(_note_of(key, kind), card_id) for card_id, key, kind in rows]
    changes = [(note, card_id) for note, card_id in changes if note]
    p = db.param
    for chunk in chunked(changes, 500):
        db.cursor().executemany(f'UPDATE "card" SET "note" = {p} WHERE "id" = {p}', chunk)
    db.execute_sql(INDEX)
