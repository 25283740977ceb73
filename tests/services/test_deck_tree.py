"""Deck trees: counts summed over subdecks in time linear in the names, however deep."""

from __future__ import annotations

import datetime as dt
import random
import time

import pytest

from flashcards.decks.names import ancestors
from flashcards.services.collection import Collection
from flashcards.services.decks import deck_counts, ensure_deck
from flashcards.storage import Card, Deck
from tests.conftest import add_cards


@pytest.mark.sqlite_only  # PostgreSQL's varchar(255) cannot hold these names at all
def test_a_chain_2000_decks_deep_lists_within_two_seconds(col: Collection) -> None:
    """Once: `flashcards decks` took 17.6 s (137 s at 4,000) and the home screen 38 s.

    The chain is written directly, as a collection made before the depth limit (or by another
    tool) may hold it; the import refuses such names now.
    """
    now = dt.datetime(2026, 1, 1)
    with col.db.atomic():
        for depth in range(1, 2001):
            deck = Deck.create(name="::".join(["d"] * depth), created_at=now)
        Card.create(deck=deck, key="k", front="f", back="b", created_at=now, modified_at=now)
    start = time.process_time()
    counts = deck_counts(col)
    assert time.process_time() - start < 2
    assert len(counts) == 2000
    assert all(c.cards == 1 and c.new == 1 for c in counts)  # the one card counts at every level


def test_subtree_sums_match_adding_each_deck_to_every_ancestor(col: Collection) -> None:
    """The old, obviously right (and cubic) rule, on a random tree with missing middle levels."""
    rng = random.Random(7)
    names = set()
    for _ in range(40):
        parts = [rng.choice("abc") for _ in range(rng.randint(1, 4))]
        names.add("::".join(parts))
    now = dt.datetime(2026, 1, 1)
    for name in sorted(names):
        if rng.random() < 0.3:  # no parent rows: only the deck itself
            Deck.create(name=name, created_at=now)
        else:
            ensure_deck(col, name)
    for index, name in enumerate(sorted(names)):
        add_cards(col, name, rng.randint(0, 3), prefix=f"p{index}-")
    counts = {c.name: c.cards for c in deck_counts(col)}
    own = {name: Card.select().join(Deck).where(Deck.name == name).count() for name in counts}
    expected = dict.fromkeys(counts, 0)
    for name in counts:
        for target in [name, *ancestors(name)]:
            if target in expected:
                expected[target] += own[name]
    assert counts == expected
