"""The fast first card (`services.first_card`, plain sqlite3) is the card the study session shows.

`flashcards review` paints that card before the collection is opened, so on every collection
where the fast path answers, it must answer exactly what `StudySession(col, deck).current()`
does: limits (per deck, inherited, overall), buried, suspended and learning cards, cards studied
today, extra new cards allowed today. Where it does not apply it answers None.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from flashcards.services.bundled import INSTALLED_FLAG
from flashcards.services.collection import Collection
from flashcards.services.daily_limits import raise_new_limit_today
from flashcards.services.first_card import BUNDLED_FLAG, first_card
from flashcards.services.study import StudySession
from flashcards.storage import SCHEMA_VERSION, Card, Deck, Meta, Review, first_queue
from tests.conftest import add_cards

DECKS = (None, "A", "A::B", "C", "A :: B")


def _due(col: Collection, ids: list[int], days_ago: int, **fields: object) -> None:
    """Make these cards reviewed ones, due `days_ago` days before today."""
    due = col.clock.today() - dt.timedelta(days=days_ago)
    values = {"due": due, "repetitions": 3, "interval": 10, **fields}
    Card.update(**values).where(Card.id.in_(ids)).execute()


def _limits(name: str, new: int | None, reviews: int | None) -> None:
    Deck.update(new_per_day=new, reviews_per_day=reviews).where(Deck.name == name).execute()


def new_only(col: Collection) -> None:
    add_cards(col, "C", 3, "c")
    add_cards(col, "A::B", 3, "b")
    add_cards(col, "A", 3, "a")


def reviews_first(col: Collection) -> None:
    new_only(col)
    _due(col, add_cards(col, "C", 2, "cd"), 1)
    _due(col, add_cards(col, "A::B", 2, "bd"), 5)


def limits(col: Collection) -> None:
    reviews_first(col)
    _limits("A::B", 0, 0)  # the most overdue cards are in a deck with no room today
    _limits("C", None, 1)


def parent_limit_inherited(col: Collection) -> None:
    reviews_first(col)
    _limits("A", 0, 0)  # A::B inherits A's limits, and A's cap covers its subtree


def buried_and_suspended(col: Collection) -> None:
    reviews_first(col)
    tomorrow = col.clock.today() + dt.timedelta(days=1)
    first, second = [c.id for c in Card.select().where(Card.key.in_(["bd0", "bd1"]))]
    Card.update(buried_until=tomorrow).where(Card.id == first).execute()
    Card.update(suspended=True).where(Card.id == second).execute()
    Card.update(suspended=True).where(Card.key == "a0").execute()


def buried_until_today(col: Collection) -> None:
    reviews_first(col)
    Card.update(buried_until=col.clock.today()).where(Card.key == "bd0").execute()


def learning(col: Collection) -> None:
    new_only(col)
    _due(col, add_cards(col, "A", 2, "l"), 0, repetitions=1, interval=1)


def studied_today(col: Collection) -> None:
    reviews_first(col)
    _limits("A", None, 1)
    session = StudySession(col, "A")
    session.answer(4)  # A's one review today is used up


def studied_then_moved(col: Collection) -> None:
    studied_today(col)
    # The card answered in A moves to C: A's review today stays used (day_stats keeps it
    # under the deck it was answered in), as the session counts it.
    answered = Review.select(Review.card).scalar()
    Card.update(deck=Deck.get(Deck.name == "C")).where(Card.id == answered).execute()


def new_limit_used_up_then_raised(col: Collection) -> None:
    new_only(col)
    for name in ("A", "C"):
        _limits(name, 0, None)
    raise_new_limit_today(col, "C", 2)
    raise_new_limit_today(col, None, 1)


def same_day_in_two_decks(col: Collection) -> None:
    new_only(col)  # decks C, A, A::B, in that order of id
    _due(col, add_cards(col, "A::B", 1, "early"), 2)
    _due(col, add_cards(col, "C", 1, "late"), 2)  # a later card, in a deck of a lower id


def nothing_due(col: Collection) -> None:
    for name in ("A", "A::B", "C"):
        _due(col, add_cards(col, name, 2, f"x{name}"), -3)  # due in three days


def _cloze(col: Collection, deck: str, note: str, size: int) -> list[int]:
    """A cloze note of `size` new cards in `deck` (created if missing); their ids, c1 first."""
    ids = add_cards(col, deck, size, f"{note}::c")
    Card.update(note=note, kind="cloze").where(Card.id.in_(ids)).execute()
    return ids


def cloze_siblings(col: Collection) -> None:
    """The first new card of A waits beside a due sibling (A has no review room today), and
    a later deletion of C opens its note because the first is buried."""
    blocked = _cloze(col, "A", "x", 2)
    _due(col, blocked[1:], 1)
    _limits("A", None, 0)
    first = _cloze(col, "C", "y", 3)
    tomorrow = col.clock.today() + dt.timedelta(days=1)
    Card.update(buried_until=tomorrow).where(Card.id == first[0]).execute()
    new_only(col)


def cloze_siblings_not_buried(col: Collection) -> None:
    cloze_siblings(col)
    col.settings = replace(col.settings, bury_siblings=False)


SCENARIOS: list[Callable[[Collection], None]] = [
    new_only,
    reviews_first,
    limits,
    parent_limit_inherited,
    buried_and_suspended,
    buried_until_today,
    learning,
    studied_today,
    studied_then_moved,
    new_limit_used_up_then_raised,
    same_day_in_two_decks,
    nothing_due,
    cloze_siblings,
    cloze_siblings_not_buried,
]


@pytest.fixture
def sqlite_col(col: Collection, db_target: str) -> Collection:
    if "://" in db_target:
        pytest.skip("the fast first card is read from SQLite files only")
    Meta.put(INSTALLED_FLAG, "2026-03-01")
    return col


@pytest.mark.parametrize("build", SCENARIOS, ids=[s.__name__ for s in SCENARIOS])
@pytest.mark.parametrize("deck", DECKS)
def test_the_fast_first_card_is_the_sessions(
    sqlite_col: Collection, build: Callable[[Collection], None], deck: str | None
) -> None:
    col = sqlite_col
    build(col)
    today = col.clock.today()
    fast = first_card(col.target, deck, col.settings, today)
    session = StudySession(col, deck.replace(" :: ", "::") if deck else None).current()
    if fast is None:  # only where there is nothing to show: the usual path says so
        assert session is None
    else:
        assert fast.card == session
        assert fast.has_media is False


def test_nothing_fast_before_the_bundled_decks_are_installed(col: Collection) -> None:
    add_cards(col, "A", 2)
    assert first_card(col.target, None, col.settings, col.clock.today()) is None


@pytest.mark.parametrize(
    "target",
    ["postgresql://user:pw@host/db", "/no/such/collection.db"],
)
def test_nothing_fast_for_a_server_or_a_missing_file(target: str, clock) -> None:
    from flashcards.settings import Settings

    assert first_card(target, None, Settings(), clock.today()) is None


def test_nothing_fast_for_a_foreign_or_damaged_file(tmp_path: Path, clock) -> None:
    from flashcards.settings import Settings

    foreign = tmp_path / "foreign.db"
    foreign.write_bytes(b"this is not a database at all" * 100)
    assert first_card(foreign, None, Settings(), clock.today()) is None


def test_nothing_fast_for_a_deck_name_in_another_case(sqlite_col: Collection) -> None:
    """`review muscle` finds `Muscle` the usual way (or says which deck was meant)."""
    add_cards(sqlite_col, "Muscle", 2)
    col = sqlite_col
    assert first_card(col.target, "muscle", col.settings, col.clock.today()) is None
    assert first_card(col.target, "Muscle", col.settings, col.clock.today()) is not None


def test_nothing_fast_for_another_schema(sqlite_col: Collection) -> None:
    add_cards(sqlite_col, "A", 2)
    Meta.put("schema_version", str(SCHEMA_VERSION - 1))
    col = sqlite_col
    assert first_card(col.target, None, col.settings, col.clock.today()) is None


def test_the_fast_path_knows_the_current_schema_and_flag() -> None:
    """A schema step must look at the fast path's statements (and then bump its version)."""
    assert first_queue.SCHEMA_VERSION == SCHEMA_VERSION
    assert BUNDLED_FLAG == INSTALLED_FLAG
