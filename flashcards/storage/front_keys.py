"""The duplicate test's SQL: cards of a deck looked up by the key of their front.

`card.front_key` is `decks.keys.derive_key` of the card's front (the hash of the front as
"the same question" compares it), or NULL while it has not been computed: a bulk import or a
raw insert may leave it so, and a trigger sets it back to NULL when a front is rewritten without
it (schema_v5.py). A lookup therefore reads the cards whose key matches and those with no key
yet, and the caller compares fronts; `fill_front_keys` stores the missing keys it computed, so
the next lookup in that deck is an index probe. These run inside the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

from peewee import chunked

from flashcards.decks.keys import derive_key
from flashcards.storage.models import Card

front_key = derive_key
"""A front's key: the same function that keys cards without an explicit id."""


def cards_with_front_keys(
    deck_id: int, kinds: Iterable[str], keys: Collection[str]
) -> list[tuple[int, str, str | None]]:
    """(id, front, front_key) of the deck's cards of these kinds whose front key is one of
    `keys`, or not computed yet: every card that could have one of those fronts.

    Two probes of the (deck, front_key) index (the keys, then the NULL range), not one OR that
    SQLite could turn into a scan of the deck.
    """
    kinds = list(kinds)
    rows: list[tuple[int, str, str | None]] = []
    for chunk in chunked(list(keys), 500):
        query = Card.select(Card.id, Card.front, Card.front_key).where(
            Card.deck == deck_id, Card.front_key.in_(chunk), Card.kind.in_(kinds)
        )
        rows.extend(query.tuples())
    missing = Card.select(Card.id, Card.front, Card.front_key).where(
        Card.deck == deck_id, Card.front_key.is_null(), Card.kind.in_(kinds)
    )
    rows.extend(missing.tuples())
    return rows


def fill_front_keys(rows: Iterable[tuple[int, str, str | None]]) -> None:
    """Store the keys of the rows (as `cards_with_front_keys` gives them) that had none."""
    missing = [(front_key(front), card_id) for card_id, front, key in rows if key is None]
    if not missing:
        return
    db = Card._meta.database
    # One statement rendered once and run for every row: thousands of rows after an import.
    sql = f'UPDATE "{Card._meta.table_name}" SET "front_key" = {db.param} WHERE "id" = {db.param}'
    for chunk in chunked(missing, 500):
        db.cursor().executemany(sql, chunk)
