"""Today's limits and dates around a study session: extra new cards, buried cards, next due day.

The daily limits themselves are settings; raising the new-card limit "for today only" is kept in
the Meta table under a key that names the day, so it lapses by itself tomorrow.
"""

from __future__ import annotations

import datetime as dt

from peewee import Expression, fn

from flashcards.services.collection import Collection
from flashcards.services.extra_new import extra_new_key as _extra_new_key
from flashcards.services.extra_new import extras_by_deck, extras_prefix
from flashcards.services.extra_new import stored_count as _stored_count
from flashcards.settings import MAX_PER_DAY
from flashcards.storage import Card, Meta, card_states
from flashcards.storage.binding import runs_on_collection
from flashcards.storage.database import run_write


@runs_on_collection
def raise_new_limit_today(col: Collection, deck: str | None, extra: int) -> None:
    """Allow `extra` more new cards today for this deck (today only; the setting is unchanged)."""
    key = _extra_new_key(col.clock.today(), deck)

    def write() -> None:
        row = Meta.get_or_none(Meta.key == key)
        Meta.put(key, str(min(_stored_count(row.value if row else None) + extra, MAX_PER_DAY)))

    run_write(col.db, write, col.target)  # a busy collection: a UserError, nothing written


@runs_on_collection
def extra_new_today(col: Collection, deck: str | None) -> int:
    row = Meta.get_or_none(Meta.key == _extra_new_key(col.clock.today(), deck))
    return _stored_count(row.value if row else None)


@runs_on_collection
def extras_today(col: Collection) -> dict[str, int]:
    """Today's raised new-card limits by deck name (`*`: a review of every deck)."""
    today = col.clock.today()
    rows = Meta.select(Meta.key, Meta.value).where(Meta.key.startswith(extras_prefix(today)))
    return extras_by_deck(rows.tuples(), today)


def available(today: dt.date) -> Expression:
    """Cards that may be shown today: not suspended, not buried past today."""
    return card_states.is_available(today)


@runs_on_collection
def new_cards_waiting(col: Collection, deck_ids: list[int], today: dt.date) -> int:
    """New cards of these decks that could be shown today if the new-card limit allowed them
    (not suspended, not buried; one a note while siblings are buried, as the queue takes them):
    whether "ten more new cards" would give any."""
    new = card_states.new_for_queue(today, col.settings.bury_siblings)
    return (
        Card.select(fn.COUNT(Card.id))
        .where(Card.deck.in_(deck_ids), available(today), new)
        .scalar()
    ) or 0


@runs_on_collection
def next_due_date(col: Collection, deck_ids: list[int], today: dt.date) -> dt.date | None:
    """The first day after today on which a reviewed, unsuspended card of these decks is due."""
    value = (
        Card.select(fn.MIN(Card.due))
        .where(Card.deck.in_(deck_ids), card_states.is_active(), Card.due > today)
        .scalar()
    )
    if isinstance(value, str):  # SQLite hands back text from an aggregate
        try:
            value = dt.date.fromisoformat(value[:10])
        except ValueError:  # a damaged date sorts like one; it must not stop the session
            return None
    return value
