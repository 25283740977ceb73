"""The SQL behind today's study queue: due cards a page at a time, in queue order.

The first queue is read on every start of a review, so what it reads must not grow with the
collection: see `due_page_query`.
"""

from __future__ import annotations

import datetime as dt

from peewee import ModelSelect

from flashcards.storage import card_states
from flashcards.storage.models import Card


def due_page_query(deck_ids: list[int], today: dt.date, limit: int, offset: int) -> ModelSelect:
    """(card id, deck id) of due cards that may be shown today, most overdue first, a day's
    cards deck by deck (by id within a deck): `limit` of them from `offset`.

    A fast path: that is the order of the (suspended, due, deck_id) index, so SQLite walks it
    and stops after `limit` entries, reading nothing but the index; buried cards, few, come
    from their partial index once. A day's cards ordered by id alone (as before) made SQLite
    read and sort every card due on the most overdue day (16,000 at 1,000,000 cards), and
    filtering buried cards on each card's row added a table read for every one of them.
    """
    buried = Card.select(Card.id).where(card_states.is_buried(today))  # uncorrelated: run once
    return (
        Card.select(Card.id, Card.deck)
        .where(
            Card.deck.in_(deck_ids),
            card_states.is_active(),
            Card.due <= today,
            Card.id.not_in(buried),
        )
        .order_by(Card.due, Card.deck, Card.id)
        .limit(limit)
        .offset(offset)
    )


def due_page(deck_ids: list[int], today: dt.date, limit: int, offset: int) -> list[tuple[int, int]]:
    """(card id, deck id) of one page of today's due cards (see `due_page_query`)."""
    return list(due_page_query(deck_ids, today, limit, offset).tuples())
