"""The SQL of notes: a card's siblings, rewriting their text, burying them, adding cards.

A note is the `card.note` key its cards share within a deck (see schema_v3.py for why a column
and not a table). These run inside the caller's write transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from flashcards.decks.keys import derive_key
from flashcards.storage.models import Card, Deck

NOTE_FIELDS = (
    Card.id,
    Card.deck,
    Card.key,
    Card.note,
    Card.kind,
    Card.front,
    Card.back,
    Card.tags,
    Card.ordinal,
)


@dataclass(frozen=True)
class SiblingRow:
    """One card of a note, as far as its text goes (its progress is never touched here)."""

    id: int
    deck_id: int
    key: str
    note: str
    kind: str
    front: str
    back: str
    tags: str
    ordinal: int


def _rows(query) -> list[SiblingRow]:  # noqa: ANN001  (a peewee select of NOTE_FIELDS)
    return [SiblingRow(*row) for row in query.tuples()]


def note_rows(card_id: int) -> list[SiblingRow]:
    """The card and its siblings (the cards of its note), in the order they were added; empty
    when there is no such card."""
    card = Card.select(Card.deck, Card.note).where(Card.id == card_id).tuples().first()
    if card is None:
        return []
    deck_id, note = card
    if not note:  # a card written before notes (cannot happen after schema 3): alone
        return _rows(Card.select(*NOTE_FIELDS).where(Card.id == card_id))
    return _rows(
        Card.select(*NOTE_FIELDS).where(Card.deck == deck_id, Card.note == note).order_by(Card.id)
    )


def deck_name_of(deck_id: int) -> str:
    row = Deck.select(Deck.name).where(Deck.id == deck_id).tuples().first()
    return row[0] if row else ""


def rewrite_text(
    card_id: int, front: str, back: str, tags: str, ordinal: int, now: dt.datetime
) -> bool:
    """Set one card's text and tags (its schedule untouched), and its front key; False when
    the card is gone."""
    changed = (
        Card.update(
            front=front,
            back=back,
            tags=tags,
            ordinal=ordinal,
            front_key=derive_key(front),
            modified_at=now,
        )
        .where(Card.id == card_id)
        .execute()
    )
    return bool(changed)


def existing_keys(deck_id: int, keys: Iterable[str]) -> set[str]:
    """Which of `keys` the deck already holds."""
    wanted = list(dict.fromkeys(keys))
    found: set[str] = set()
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        query = Card.select(Card.key).where(Card.deck == deck_id, Card.key.in_(chunk))
        found.update(key for (key,) in query.tuples())
    return found


def insert_card(
    deck_id: int,
    key: str,
    note: str,
    kind: str,
    front: str,
    back: str,
    tags: str,
    ordinal: int,
    now: dt.datetime,
) -> int:
    """Add one new card (never reviewed), with its front key (the duplicate test's); its id."""
    return Card.insert(
        deck=deck_id,
        key=key,
        note=note,
        front_key=derive_key(front),
        kind=kind,
        front=front,
        back=back,
        tags=tags,
        ordinal=ordinal,
        created_at=now,
        modified_at=now,
    ).execute()


def bury_siblings(card_id: int, deck_id: int, note: str, today: dt.date) -> dict[int, object]:
    """Hide the other cards of the note until tomorrow (those that would show today).

    Returns each buried sibling's previous `buried_until`, so undo can put it back.
    """
    if not note:
        return {}
    until = today + dt.timedelta(days=1)
    hidden = (
        Card.select(Card.id, Card.buried_until)
        .where(
            Card.deck == deck_id,
            Card.note == note,
            Card.id != card_id,
            Card.suspended == False,  # noqa: E712
            Card.due.is_null() | (Card.due <= today),
            Card.buried_until.is_null() | (Card.buried_until <= today),
        )
        .tuples()
    )
    before = dict(hidden)
    if before:
        Card.update(buried_until=until).where(Card.id.in_(list(before))).execute()
    return before


def restore_buried(before: dict[int, object]) -> None:
    """Put siblings' `buried_until` back as `bury_siblings` found them (undo)."""
    for card_id, value in before.items():
        Card.update(buried_until=value).where(Card.id == card_id).execute()


def keys_starting(deck_id: int, base: str) -> set[str]:
    """The deck's keys that are `base` or start with it (to find a free `base-n`)."""
    query = Card.select(Card.key).where(Card.deck == deck_id, Card.key.startswith(base))
    return {key for (key,) in query.tuples()}


def tag_strings() -> list[str]:
    """Every distinct tags value the cards hold (space-separated tags, as stored)."""
    query = Card.select(Card.tags).where(Card.tags != "").distinct()
    return [tags for (tags,) in query.tuples()]
