"""Today's limits and dates around a study session: extra new cards, buried cards, next due day.

The daily limits themselves are settings; raising the new-card limit "for today only" is kept in
the Meta table under a key that names the day, so it lapses by itself tomorrow.
"""

from __future__ import annotations

import datetime as dt

from peewee import Expression, fn

from flashcards.services.collection import Collection
from flashcards.storage import Card, Meta, card_states


def _extra_new_key(day: dt.date, deck: str | None) -> str:
    return f"extra_new:{day.isoformat()}:{deck or '*'}"


def raise_new_limit_today(col: Collection, deck: str | None, extra: int) -> None:
    """Allow `extra` more new cards today for this deck (today only; the setting is unchanged)."""
    key = _extra_new_key(col.clock.today(), deck)
    with col.db.atomic():
        row = Meta.get_or_none(Meta.key == key)
        total = (int(row.value) if row else 0) + extra
        Meta.put(key, str(total))


def extra_new_today(col: Collection, deck: str | None) -> int:
    row = Meta.get_or_none(Meta.key == _extra_new_key(col.clock.today(), deck))
    return int(row.value) if row else 0


def available(today: dt.date) -> Expression:
    """Cards that may be shown today: not suspended, not buried past today."""
    return card_states.is_available(today)


def next_due_date(col: Collection, deck_ids: list[int], today: dt.date) -> dt.date | None:
    """The first day after today on which a reviewed, unsuspended card of these decks is due."""
    value = (
        Card.select(fn.MIN(Card.due))
        .where(Card.deck.in_(deck_ids), card_states.is_active(), Card.due > today)
        .scalar()
    )
    if isinstance(value, str):  # SQLite hands back text from an aggregate
        value = dt.date.fromisoformat(value)
    return value
