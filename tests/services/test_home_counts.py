"""The home screen's deck counts (`deck_counts(totals=False)`): what a review would offer today,
counted only as far as the daily limits can use, and the same figures as the full count."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from playhouse.test_utils import count_queries

from flashcards.clock import FixedClock
from flashcards.services.collection import Collection
from flashcards.services.daily_limits import raise_new_limit_today
from flashcards.services.deck_changes import set_deck_options
from flashcards.services.decks import deck_counts
from flashcards.services.study import StudySession
from flashcards.storage import Card
from flashcards.storage.deck_rows import capped_counts_query
from tests.conftest import add_cards

TODAY = dt.date(2026, 3, 2)  # the `clock` fixture's study day
DAY = dt.timedelta(days=1)


def _cards(col: Collection, deck: str, *, new: int = 0, due: int = 0, **others: int) -> None:
    """`new` and `due` cards that may be shown today, and `others` that may not: suspended_new,
    suspended_due, buried_new, buried_due, later (due tomorrow)."""
    states = {
        "new": {},
        "due": {"repetitions": 1, "interval": 1, "due": TODAY - DAY},
        "suspended_new": {"suspended": True},
        "suspended_due": {"repetitions": 1, "interval": 1, "due": TODAY, "suspended": True},
        "buried_new": {"buried_until": TODAY + DAY},
        "buried_due": {"repetitions": 1, "interval": 1, "due": TODAY, "buried_until": TODAY + DAY},
        "later": {"repetitions": 1, "interval": 1, "due": TODAY + DAY},
    }
    for state, count in {"new": new, "due": due, **others}.items():
        ids = add_cards(col, deck, count, prefix=f"{deck}-{state}-")
        if states[state] and ids:
            Card.update(**states[state]).where(Card.id.in_(ids)).execute()


def _home(col: Collection) -> dict[str, tuple[int, int]]:
    return {c.name: (c.new_today, c.due_today) for c in deck_counts(col, totals=False)}


def _full(col: Collection) -> dict[str, tuple[int, int]]:
    return {c.name: (c.new_today, c.due_today) for c in deck_counts(col)}


def test_home_counts_stop_at_the_caps_and_match_by_hand(col: Collection) -> None:
    _cards(col, "P", new=1, due=3)
    _cards(col, "P::A", new=5, due=9, buried_new=1, suspended_new=1)
    _cards(col, "P::B", new=1, due=2, suspended_due=1, buried_due=1, later=2)
    _cards(col, "Q::X", new=5, due=9)
    _cards(col, "Q::Y", due=7)
    _cards(col, "Solo", due=60)
    for deck, new, reviews in [
        ("P", 3, 10),
        ("P::A", 2, 4),
        ("P::B", 5, 5),
        ("Q", 1, 50),
        ("Q::X", 20, 4),
        ("Q::Y", 20, 5),
        ("Solo", 20, 50),
    ]:
        set_deck_options(col, deck, new_per_day=new, reviews_per_day=reviews)
    expected = {
        "P": (3, 9),  # new min(3, 1 + 2 + 1); due min(10, 3 + 4 + 2)
        "P::A": (2, 4),  # 5 new shown of 7 (one buried, one suspended), 9 due: the caps
        "P::B": (1, 2),  # the suspended, buried and not yet due cards are not offered
        "Q": (1, 9),  # due: the children's caps summed, 4 + 5, below Q's own 50
        "Q::X": (5, 4),
        "Q::Y": (0, 5),
        "Solo": (0, 50),  # 60 due, 50 a day
    }
    assert _home(col) == expected == _full(col)
    solo = next(c for c in deck_counts(col) if c.name == "Solo")
    assert solo.due == 60  # the full count (`flashcards decks`) still counts every card

    raise_new_limit_today(col, "Q", 2)  # two more new cards today for Q's tree
    expected["Q"] = (3, 9)  # min(1 + 2, the 5 new cards of the tree)
    assert _home(col) == expected == _full(col)

    session = StudySession(col, "P::A")
    for _ in range(3):  # three of A's due cards answered: A has 1 review left, P 7
        assert not session.current().is_new
        session.answer(5)
    expected["P::A"] = (2, 1)
    expected["P"] = (3, 6)  # due min(7, 3 + 1 + 2)
    assert _home(col) == expected == _full(col)


@pytest.mark.parametrize("seed", range(6))
def test_home_counts_equal_the_full_count(col: Collection, clock: FixedClock, seed: int) -> None:
    """Random trees, limits, card states and a day's study: the capped count never differs."""
    rng = random.Random(seed)
    names = ["R", "R::S", "R::S::T", "R::U", "V", "W::X"]
    for name in rng.sample(names, 4):
        _cards(
            col,
            name,
            new=rng.randint(0, 12),
            due=rng.randint(0, 12),
            buried_new=rng.randint(0, 2),
            buried_due=rng.randint(0, 2),
            suspended_due=rng.randint(0, 1),
            later=rng.randint(0, 2),
        )
    decks = [c.name for c in deck_counts(col)]
    for name in rng.sample(decks, min(len(decks), 4)):
        set_deck_options(
            col, name, new_per_day=rng.randint(0, 8), reviews_per_day=rng.randint(0, 8)
        )
    raise_new_limit_today(col, rng.choice(decks), rng.randint(0, 5))
    assert _home(col) == _full(col)
    session = StudySession(col, rng.choice(decks))
    for _ in range(rng.randint(1, 6)):
        if session.current() is None:
            break
        session.answer(rng.choice((2, 4, 5)))
    assert _home(col) == _full(col)
    clock.advance(days=1)  # the burials end, the answers' rooms are back
    assert _home(col) == _full(col)


def test_home_counts_take_a_fixed_number_of_queries(col: Collection) -> None:
    for n in range(3):
        _cards(col, f"D{n}::Sub", new=2, due=2)
    with count_queries() as few:
        deck_counts(col, TODAY, totals=False)
    for n in range(3, 30):
        _cards(col, f"D{n}::Sub", new=2, due=2)
    with count_queries() as many:
        deck_counts(col, TODAY, totals=False)
    assert few.count == many.count


@pytest.mark.sqlite_only
def test_capped_counts_read_indexes_only(col: Collection) -> None:
    """Each deck's count is a range of the covering (deck, suspended, due) index, buried cards
    come from their partial index, and no card row is read (no SCAN, no plain INDEX)."""
    sql, params = capped_counts_query(TODAY, 20, 200, False).sql()
    plan = [row[3] for row in col.db.execute_sql("EXPLAIN QUERY PLAN " + sql, params)]
    new, due, buried = "due=?", "due<?", "COVERING INDEX card_buried_until (buried_until>?)"
    assert [step for step in plan if step.startswith(("SEARCH", "SCAN"))] == [
        "SCAN t1 USING COVERING INDEX deck_name",
        f"SEARCH t2 USING COVERING INDEX card_deck_state (deck_id=? AND suspended=? AND {new})",
        f"SEARCH t2 USING {buried}",
        "SCAN capped",
        f"SEARCH t2 USING COVERING INDEX card_deck_state (deck_id=? AND suspended=? AND {due})",
        f"SEARCH t2 USING {buried}",
        "SCAN capped",
    ], plan
