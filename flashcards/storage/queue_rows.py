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
    """(card id, deck id) of due cards that may be shown today, most overdue first (then by id):
    `limit` of them from `offset`.

    A fast path: the ordering walks the (suspended, due, deck_id) index, and every row the walk
    passes is read from the index alone. Buried cards, few, are taken from their partial index
    once, rather than each card's `buried_until` being read from its row, which at a million
    cards meant one table read for each of the tens of thousands of cards due on the most
    overdue days (the index orders a day's cards by deck, so the walk reads a whole day to
    order it by id).
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
        .order_by(Card.due, Card.id)
        .limit(limit)
        .offset(offset)
    )


def due_page(deck_ids: list[int], today: dt.date, limit: int, offset: int) -> list[tuple[int, int]]:
    """(card id, deck id) of one page of today's due cards (see `due_page_query`)."""
    return list(due_page_query(deck_ids, today, limit, offset).tuples())
