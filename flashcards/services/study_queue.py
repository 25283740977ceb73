"""Today's queue of a study session: which cards, in which order, under every deck limit.

Due reviews come first (most overdue first), then new cards deck by deck, each card taken while
every deck limit above it has room (see `deck_limits`): the same arithmetic the home screen's
counts use, so the two agree. A cram queue is every unsuspended card, due ones first.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from peewee import ModelSelect

from flashcards.services import deck_limits
from flashcards.services.collection import Collection
from flashcards.services.daily_limits import available, extra_new_today
from flashcards.services.session_types import Queue
from flashcards.storage import Card, deck_rows
from flashcards.storage.binding import runs_on_collection


def _capped(candidates: ModelSelect, caps: deck_limits.Caps) -> Iterator[int]:
    """The ids of `candidates` (rows of card id and deck id, in queue order) that the caps let
    through, read a page at a time and no further than the caps can take.

    A collection with 50,000 cards due must not pass them all through Python to fill a queue of
    200: a page is as long as what the caps may still take, so when no subdeck's cap turns
    cards away, one page of exactly that many rows is all that is read."""
    offset = 0
    while (page := caps.ceiling()) > 0:
        rows = list(candidates.limit(page).offset(offset).tuples())
        for card_id, deck_id in rows:
            if caps.left(deck_id) > 0:
                caps.take(deck_id)
                yield card_id
        if len(rows) < page:
            return
        offset += page


@runs_on_collection
def todays_queue(
    col: Collection,
    deck: str | None,
    deck_ids: list[int],
    deck_names: dict[int, str],
    today: dt.date,
) -> list[tuple[int, Queue]]:
    """(card id, queue) for today's session of `deck`'s tree (every deck when None)."""
    settings = col.settings
    limits = deck_limits.effective(
        (deck_limits.DeckLimits(*row) for row in deck_rows.limit_rows()), settings
    )
    parents = deck_limits.tree_parents(deck_names)
    studied = deck_rows.studied_today(deck_ids, today)
    extra = extra_new_today(col, deck)
    new_room, review_room = deck_limits.rooms(limits, studied, parents)
    overall = None
    if deck is None:  # every deck: the settings' review limit caps the whole day
        overall = settings.reviews_per_day - sum(s[1] for s in studied.values())
    caps = deck_limits.Caps(review_room, parents, overall)
    due = (
        Card.select(Card.id, Card.deck)
        .where(Card.deck.in_(deck_ids), available(today), Card.due <= today)
        .order_by(Card.due, Card.id)
    )
    queue = [(card_id, Queue.REVIEW) for card_id in _capped(due, caps)]
    # The extra new cards allowed today (`n` on "nothing due") are one budget for the tree
    # reviewed, not so many more per deck: ten more on a parent deck means ten, not ten
    # for each subdeck. Extra cards already started today come off it.
    spare = deck_limits.spare_new(extra, limits, studied)
    caps = deck_limits.Caps(new_room, parents, spare=spare)
    for deck_id in sorted(deck_names, key=deck_names.__getitem__):
        room = caps.left(deck_id)
        if room <= 0:
            continue
        new_ids = (
            Card.select(Card.id)
            .where(Card.deck == deck_id, available(today), Card.due.is_null())
            .order_by(Card.id)
            .limit(room)
            .tuples()
        )
        taken = [(card_id, Queue.NEW) for (card_id,) in new_ids]
        caps.take(deck_id, len(taken))
        queue.extend(taken)
    return queue


def cram_queue(deck_ids: list[int]) -> list[tuple[int, Queue]]:
    """Every unsuspended card of the tree, due ones first; nothing will be written."""
    ids = (
        Card.select(Card.id, Card.due.is_null())
        .where(Card.deck.in_(deck_ids), Card.suspended == False)  # noqa: E712
        .order_by(Card.due.is_null(), Card.due, Card.id)
        .tuples()
    )
    return [(card_id, Queue.NEW if is_new else Queue.REVIEW) for card_id, is_new in ids]
