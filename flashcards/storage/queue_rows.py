"""The SQL behind today's study queue: due cards a page at a time, in queue order.

The first queue is read on every start of a review, so what it reads must not grow with the
collection: see `due_page_query`.
"""

from __future__ import annotations

import datetime as dt

from peewee import JOIN, ModelSelect, Tuple

from flashcards.storage import card_states
from flashcards.storage.dialect import is_sqlite
from flashcards.storage.models import Card, Deck

# Where a page of due cards ended: the last card's (due, deck id, card id), the queue's order.
After = tuple[dt.date, int, int]


def due_page_query(
    deck_ids: list[int], today: dt.date, limit: int, after: After | None = None
) -> ModelSelect:
    """(card id, deck id, due) of due cards that may be shown today, most overdue first, a
    day's cards deck by deck (by id within a deck): the first `limit` of them after `after`.

    A fast path: that is the order of the (suspended, due, deck_id) index, so SQLite walks it
    from `after` and stops after `limit` entries, reading nothing but the index; buried cards,
    few, come from their partial index once. A day's cards ordered by id alone (as before) made
    SQLite read and sort every card due on the most overdue day (16,000 at 1,000,000 cards),
    filtering buried cards on each card's row added a table read for every one of them, and
    an OFFSET read every earlier page again.
    """
    buried = Card.select(Card.id).where(card_states.is_buried(today))  # uncorrelated: run once
    where = [
        Card.deck.in_(deck_ids),
        card_states.is_active(),
        Card.due <= today,
        Card.id.not_in(buried),
    ]
    if after is not None:
        where.append(Tuple(Card.due, Card.deck, Card.id) > Tuple(*after))
    return (
        Card.select(Card.id, Card.deck, Card.due)
        .where(*where)
        .order_by(Card.due, Card.deck, Card.id)
        .limit(limit)
    )


def due_page(
    deck_ids: list[int], today: dt.date, limit: int, after: After | None = None
) -> list[tuple[int, int, dt.date]]:
    """One page of today's due cards (see `due_page_query`)."""
    return list(due_page_query(deck_ids, today, limit, after).tuples())


def new_cards_query(
    deck_ids: list[int], today: dt.date, per_deck: int, one_per_note: bool
) -> ModelSelect:
    """(deck id, card id) of each deck's first `per_deck` new cards that may be shown today, by
    id: one statement for every deck. With `one_per_note` (siblings are buried), only the card
    that opens its note today (`card_states.first_new_of_note`).

    A fast path: the queue asked each deck in turn, one statement a deck, and Peewee building
    each one's SQL cost more than SQLite running it (about 0.25 ms a deck, so 3 ms of a first
    queue of a dozen decks). Here each deck's ids come from a range of the (suspended, due,
    deck_id) index, in id order, at most `per_deck` of them; buried cards from their partial
    index, once.
    """
    buried = Card.select(Card.id).where(card_states.is_buried(today))  # uncorrelated: run once
    new = card_states.new_for_queue(today, one_per_note)
    first = (
        Card.select(Card.id)
        .where(
            Card.deck == Deck.id,
            card_states.is_active(),
            new,
            Card.id.not_in(buried),
        )
        .order_by(Card.id)
        .limit(per_deck)
    )
    if not is_sqlite(Card._meta.database.obj):
        # PostgreSQL runs `id IN (correlated subquery)` once for every (deck, card) pair,
        # 270 ms at 1,000 cards and 12 decks; a lateral join runs each deck's query once.
        lateral = first.alias("picked")
        return (
            Deck.select(Deck.id, lateral.c.id)
            .join(lateral, JOIN.LATERAL)
            .where(Deck.id.in_(deck_ids))
            .order_by(Deck.id, lateral.c.id)
        )
    picked = Card.alias("picked")
    return (
        Deck.select(Deck.id, picked.id)
        .join(picked, on=picked.id.in_(first))
        .where(Deck.id.in_(deck_ids))
        .order_by(Deck.id, picked.id)
    )


def new_cards(
    deck_ids: list[int], today: dt.date, per_deck: int, one_per_note: bool
) -> dict[int, list[int]]:
    """Each deck's first `per_deck` new cards available today, by id (see `new_cards_query`)."""
    found: dict[int, list[int]] = {}
    if not deck_ids or per_deck <= 0:
        return found
    for deck_id, card_id in new_cards_query(deck_ids, today, per_deck, one_per_note).tuples():
        found.setdefault(deck_id, []).append(card_id)
    return found
