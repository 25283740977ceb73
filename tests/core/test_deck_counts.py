"""Deck counts as the home screen and `decks --json` show them, parents including children."""

from __future__ import annotations

import datetime as dt

import pytest
from playhouse.test_utils import count_queries

from flashcards.errors import UserError
from flashcards.services.collection import Collection
from flashcards.services.decks import deck_counts, ensure_deck, normalise_deck_name, tree_deck_ids
from flashcards.storage import Card, Deck
from tests.conftest import add_cards

TODAY = dt.date(2026, 3, 2)


def test_counts_by_state(col: Collection) -> None:
    ids = add_cards(col, "A::B", 8)
    reviewed = {"repetitions": 1, "interval": 1}
    updates = [
        {},  # new
        {"suspended": True},  # new but suspended
        {"buried_until": TODAY + dt.timedelta(days=1)},  # new, buried
        {**reviewed, "due": TODAY},  # due today
        {**reviewed, "due": TODAY - dt.timedelta(days=9)},  # overdue
        {**reviewed, "due": TODAY, "buried_until": TODAY + dt.timedelta(days=1)},  # due, buried
        {**reviewed, "due": TODAY, "buried_until": TODAY},  # the burial has ended
        {**reviewed, "due": TODAY + dt.timedelta(days=1)},  # not yet due
    ]
    for card_id, fields in zip(ids, updates, strict=True):
        if fields:
            Card.update(**fields).where(Card.id == card_id).execute()
    add_cards(col, "A", 2, prefix="top")
    ensure_deck(col, "Empty")
    counts = {c.name: c for c in deck_counts(col, TODAY)}
    b = counts["A::B"]
    assert (b.cards, b.new, b.due, b.suspended, b.buried) == (8, 1, 3, 1, 2)
    a = counts["A"]
    assert (a.cards, a.new, a.due, a.suspended, a.buried) == (10, 3, 3, 1, 2)
    e = counts["Empty"]
    assert (e.cards, e.new, e.due, e.suspended, e.buried) == (0, 0, 0, 0, 0)
    assert [c.name for c in deck_counts(col, TODAY)] == ["A", "A::B", "Empty"]


def test_counts_take_a_fixed_number_of_queries(col: Collection) -> None:
    for n in range(3):
        add_cards(col, f"D{n}::Sub", 5, prefix=f"d{n}")
    with count_queries() as few:
        deck_counts(col, TODAY)
    for n in range(3, 30):
        add_cards(col, f"D{n}::Sub", 5, prefix=f"d{n}")
    with count_queries() as many:
        deck_counts(col, TODAY)
    assert few.count == many.count


def test_parents_are_created_and_names_normalised(col: Collection) -> None:
    ensure_deck(col, " Lang :: French ::Verbs")
    assert sorted(Deck.select(Deck.name).tuples()) == [
        ("Lang",),
        ("Lang::French",),
        ("Lang::French::Verbs",),
    ]
    assert len(tree_deck_ids(col, "Lang::French")) == 2
    ensure_deck(col, "Language")
    assert len(tree_deck_ids(col, "Lang")) == 3  # "Language" is not a child of "Lang"


@pytest.mark.parametrize("bad", ["", "  ", "A::", "::B", "A::::B"])
def test_bad_deck_names(bad: str) -> None:
    with pytest.raises(UserError):
        normalise_deck_name(bad)


def test_unknown_deck_is_a_user_error(col: Collection) -> None:
    with pytest.raises(UserError, match="no deck named"):
        tree_deck_ids(col, "Nope")


def test_counts_without_totals_match_and_leave_the_rest_out(col: Collection) -> None:
    """The home screen's counts: what a review offers today, as with totals; the figures it
    does not show are None (tests/services/test_home_counts.py has the limits)."""
    ids = add_cards(col, "A::B", 3)
    Card.update(repetitions=1, interval=1, due=TODAY).where(Card.id == ids[0]).execute()
    with_totals = deck_counts(col, TODAY)
    without = deck_counts(col, TODAY, totals=False)
    assert [(c.name, c.new_today, c.due_today) for c in without] == [
        (c.name, c.new_today, c.due_today) for c in with_totals
    ]
    assert [(c.new_today, c.due_today) for c in without] == [(2, 1), (2, 1)]
    assert {(c.cards, c.new, c.due, c.suspended, c.buried) for c in without} == {(None,) * 5}
