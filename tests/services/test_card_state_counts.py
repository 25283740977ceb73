"""Buried cards in the two kinds of count (storage/card_states.py), and today's studied counts
read from day_stats: expectations worked out by hand from the cards each test makes."""

from __future__ import annotations

import datetime as dt

from flashcards.services.card_changes import delete_cards, move_cards
from flashcards.services.collection import Collection
from flashcards.services.deck_changes import set_deck_options
from flashcards.services.decks import DeckCounts, deck_counts
from flashcards.services.study import StudySession
from flashcards.stats import collection_stats
from tests.conftest import add_cards
from tests.stats.history import card


def _deck(col: Collection, name: str, today: dt.date | None = None) -> DeckCounts:
    (found,) = [d for d in deck_counts(col, today) if d.name == name]
    return found


def test_a_buried_card_keeps_its_state_but_is_not_available_today(col: Collection) -> None:
    """Two new cards and one young card due today, plus a buried new card and a buried young
    card due today.

    The deck list counts what can be studied today: new 2, due 1, buried 2. The statistics
    count by state, burying changes no state: new 2 + 1 = 3, young 1 + 1 = 2. Tomorrow both
    are back: new 3, due 2 (the young cards were due today, so are overdue then)."""
    today = col.clock.today()
    tomorrow = today + dt.timedelta(days=1)
    add_cards(col, "D", 2)
    card(col, "D", repetitions=2, interval=5, due=today)
    card(col, "D", buried_until=tomorrow)
    card(col, "D", repetitions=2, interval=5, due=today, buried_until=tomorrow)
    deck = _deck(col, "D")
    assert (deck.new, deck.due, deck.buried, deck.cards) == (2, 1, 2, 5)
    counts = collection_stats(col).counts
    assert (counts.new, counts.learning, counts.young, counts.mature) == (3, 0, 2, 0)
    assert counts.total == 5
    deck = _deck(col, "D", tomorrow)
    assert (deck.new, deck.due, deck.buried) == (3, 2, 0)


def test_a_buried_new_card_counts_as_new_in_the_statistics_only(col: Collection) -> None:
    """The smallest case of the difference: one new card, buried by the review session."""
    add_cards(col, "D", 1)
    StudySession(col, "D").bury()
    deck = _deck(col, "D")
    assert (deck.new, deck.buried, deck.new_today) == (0, 1, 0)
    assert collection_stats(col).counts.new == 1


def test_new_cards_started_in_a_deck_today_stay_counted_there(col: Collection) -> None:
    """Deck A allows 1 new card a day and holds 3. One is studied, so A offers 0 more today.
    Moving that card to B, then deleting it, gives A no new card back (as Anki's per-deck
    counters): counted from the review log joined to the cards, A would offer 1 again."""
    first, *_ = add_cards(col, "A", 3)
    set_deck_options(col, "A", new_per_day=1)
    assert _deck(col, "A").new_today == 1
    session = StudySession(col, "A")
    assert session.current().id == first  # type: ignore[union-attr]
    session.answer(4)
    assert (_deck(col, "A").new, _deck(col, "A").new_today) == (2, 0)
    move_cards(col, f"id:{first}", "B")
    assert (_deck(col, "A").new, _deck(col, "A").new_today) == (2, 0)
    delete_cards(col, f"id:{first}")
    assert (_deck(col, "A").new, _deck(col, "A").new_today) == (2, 0)
    assert len(StudySession(col, "A").pending()) == 0  # the queue agrees with the counts
