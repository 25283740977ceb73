"""Today's queue of a study session: which cards, in which order, under every deck limit.

Due reviews come first (most overdue first, a day's cards deck by deck), then new cards deck by
deck, each card taken while every deck limit above it has room (see `deck_limits`): the same
arithmetic the home screen's counts use, so the two agree. While siblings are buried, a note
gives at most one new card a day (`card_states.first_new_of_note`), counted there alike. A cram
queue is every unsuspended card, due ones first.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from flashcards.services import deck_limits
from flashcards.services.collection import Collection
from flashcards.services.daily_limits import extra_new_today
from flashcards.services.session_types import Queue
from flashcards.storage import Card, deck_rows, queue_rows
from flashcards.storage.binding import runs_on_collection


def _capped(deck_ids: list[int], today: dt.date, caps: deck_limits.Caps) -> Iterator[int]:
    """The ids of today's due cards of these decks, in queue order, that the caps let through,
    read a page at a time and no further than the caps can take.

    A collection with 50,000 cards due must not pass them all through Python to fill a queue of
    200: a page is as long as what the caps may still take, so when no subdeck's cap turns
    cards away, one page of exactly that many rows is all that is read. Each next page starts
    where the last ended and asks only for decks with room left, so a full subdeck's cards are
    passed over inside the index rather than read page after page."""
    after = None
    while (page := caps.ceiling()) > 0:
        open_decks = [deck_id for deck_id in deck_ids if caps.left(deck_id) > 0]
        if not open_decks:
            return
        rows = queue_rows.due_page(open_decks, today, page, after)
        for card_id, deck_id, _ in rows:
            if caps.left(deck_id) > 0:
                caps.take(deck_id)
                yield card_id
        if len(rows) < page:
            return
        card_id, deck_id, due = rows[-1]
        after = (due, deck_id, card_id)


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
    queue = [(card_id, Queue.REVIEW) for card_id in _capped(deck_ids, today, caps)]
    # The extra new cards allowed today (`n` on "nothing due") are one budget for the tree
    # reviewed, not so many more per deck: ten more on a parent deck means ten, not ten
    # for each subdeck. Extra cards already started today come off it.
    spare = deck_limits.spare_new(extra, limits, studied)
    caps = deck_limits.Caps(new_room, parents, spare=spare)
    rooms = {deck_id: caps.left(deck_id) for deck_id in deck_names}  # room only shrinks
    wanted = [deck_id for deck_id, room in rooms.items() if room > 0]
    # With siblings buried, a note gives one card a day (card_states.first_new_of_note), so
    # the day's new cards come from as many notes and an answer takes one off, not two.
    per_deck = max(rooms.values(), default=0)
    fresh = queue_rows.new_cards(wanted, today, per_deck, settings.bury_siblings)
    for deck_id in sorted(deck_names, key=deck_names.__getitem__):
        room = caps.left(deck_id)
        if room <= 0:
            continue
        taken = [(card_id, Queue.NEW) for card_id in fresh.get(deck_id, [])[:room]]
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
