"""The bulk operations on the cards a query matches: each changes exactly the matches, in one
transaction, says how many it changed, and changes nothing on zero matches or a bad query.
Runs on SQLite and PostgreSQL (FLASHCARDS_TEST_BACKEND=postgresql)."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from flashcards.clock import FixedClock
from flashcards.errors import UserError
from flashcards.search import QueryError
from flashcards.services import card_changes as ops
from flashcards.services.cards import card_details, search_cards
from flashcards.services.collection import Collection
from flashcards.services.study import StudySession
from flashcards.stats import collection_stats
from flashcards.storage import Card, DayStat, Deck, Review
from tests.conftest import add_cards

TODAY = dt.date(2026, 3, 2)


def snapshot() -> list[tuple]:
    """Every card row, all columns, in id order."""
    return list(Card.select().order_by(Card.id).tuples())


def ids_of(query: str, col: Collection) -> set[int]:
    return {c.id for c in search_cards(col, query).cards}


@pytest.fixture
def decks(col: Collection) -> dict[str, list[int]]:
    """Three French cards tagged `verb`, two German ones, one Spanish card that is suspended."""
    french = add_cards(col, "Lang::French", 3, prefix="fr")
    german = add_cards(col, "Lang::German", 2, prefix="de")
    spanish = add_cards(col, "Spanish", 1, prefix="es")
    Card.update(tags="verb").where(Card.id.in_(french)).execute()
    Card.update(suspended=True, tags="leech").where(Card.id.in_(spanish)).execute()
    return {"fr": french, "de": german, "es": spanish}


BULK = [
    lambda col, q: ops.suspend_cards(col, q),
    lambda col, q: ops.unsuspend_cards(col, q),
    lambda col, q: ops.forget_cards(col, q),
    lambda col, q: ops.set_due(col, q, "3-7", random.Random(1)),
    lambda col, q: ops.move_cards(col, q, "Elsewhere"),
    lambda col, q: ops.tag_cards(col, q, ("x",), ("verb",)),
    lambda col, q: ops.delete_cards(col, q),
]
NAMES = ["suspend", "unsuspend", "forget", "set-due", "move", "tag", "delete"]


@pytest.mark.parametrize("operation", BULK, ids=NAMES)
def test_zero_matches_change_nothing(col: Collection, decks: dict, operation) -> None:  # noqa: ANN001
    before, deck_rows = snapshot(), Deck.select().count()
    assert operation(col, "tag:nosuchtag") == ops.BulkResult(0, 0)
    assert snapshot() == before
    assert Deck.select().count() == deck_rows  # move created no deck either


@pytest.mark.parametrize("operation", BULK, ids=NAMES)
def test_a_bad_query_changes_nothing(col: Collection, decks: dict, operation) -> None:  # noqa: ANN001
    before = snapshot()
    with pytest.raises(QueryError, match="unknown field 'prp' at column 1"):
        operation(col, "prp:ivl>3")
    assert snapshot() == before


def test_suspend_and_unsuspend_exactly_the_matches(col: Collection, decks: dict) -> None:
    result = ops.suspend_cards(col, "deck:Lang::French")
    assert result == ops.BulkResult(matched=3, changed=3)
    assert ids_of("is:suspended", col) == set(decks["fr"]) | set(decks["es"])
    assert ops.suspend_cards(col, "deck:Lang") == ops.BulkResult(matched=5, changed=2)
    assert ops.unsuspend_cards(col, "tag:leech") == ops.BulkResult(matched=1, changed=1)
    assert ids_of("is:suspended", col) == set(decks["fr"]) | set(decks["de"])
    assert ids_of("tag:leech", col) == set(decks["es"])  # the tag stays


def test_forget_makes_cards_new_and_keeps_their_log(col: Collection, decks: dict) -> None:
    session = StudySession(col, "Lang::German")
    for _ in range(2):
        session.answer(5)
    assert ids_of("is:review", col) == set(decks["de"])
    assert ops.forget_cards(col, "deck:Lang") == ops.BulkResult(matched=5, changed=2)
    assert ids_of("is:review", col) == set()
    row = Card.get_by_id(decks["de"][0])
    assert (row.repetitions, row.interval, row.easiness, row.due, row.lapses) == (
        0,
        0,
        250,
        None,
        0,
    )
    assert Review.select().where(Review.card.in_(decks["de"])).count() == 2


def test_set_due_spreads_over_the_range_and_is_repeatable(col: Collection, decks: dict) -> None:
    result = ops.set_due(col, "deck:Lang", "3-7", random.Random(42))
    assert result == ops.BulkResult(5, 5)
    dues = {c.id: c.due for c in search_cards(col, "deck:Lang").cards}
    assert all(
        TODAY + dt.timedelta(days=3) <= d <= TODAY + dt.timedelta(days=7) for d in dues.values()
    )
    rng = random.Random(42)
    expected = {i: TODAY + dt.timedelta(days=rng.randint(3, 7)) for i in sorted(dues)}
    assert dues == expected
    assert ids_of("is:due", col) == set()
    assert ops.set_due(col, "deck:Lang::German", "0") == ops.BulkResult(2, 2)
    assert ids_of("is:due", col) == set(decks["de"])
    assert Card.get_by_id(decks["es"][0]).due is None  # not matched, untouched


@pytest.mark.parametrize("days", ["x", "7-3", "-1", "99999", "1-2-3"])
def test_set_due_refuses_bad_days(col: Collection, decks: dict, days: str) -> None:
    before = snapshot()
    with pytest.raises(UserError):
        ops.set_due(col, "deck:Lang", days)
    assert snapshot() == before


def test_move_into_a_new_deck(col: Collection, decks: dict) -> None:
    assert ops.move_cards(col, "deck:Lang::German", "Archive::German") == ops.BulkResult(2, 2)
    assert ids_of('deck:"Archive::German"', col) == set(decks["de"])
    assert ids_of("deck:Lang", col) == set(decks["fr"])
    assert ops.move_cards(col, "deck:Archive", "Archive::German") == ops.BulkResult(2, 0)


def test_a_move_that_would_repeat_a_key_is_refused_whole(col: Collection, decks: dict) -> None:
    add_cards(col, "Other", 1, prefix="fr")  # key fr0, as the first French card
    before, deck_rows = snapshot(), Deck.select().count()
    with pytest.raises(UserError, match="fr0"):
        ops.move_cards(col, "deck:Other OR deck:Lang::French", "New::Deck")
    with pytest.raises(UserError, match="nothing was moved"):
        ops.move_cards(col, "deck:Lang::French", "Other")
    assert snapshot() == before
    assert Deck.select().count() == deck_rows


def test_tag_adds_and_removes(col: Collection, decks: dict) -> None:
    result = ops.tag_cards(col, "deck:Lang", add=("noun", "Verb"), remove=("VERB",))
    assert result == ops.BulkResult(5, 5)
    tags = {c.id: c.tags for c in Card.select()}
    assert all(tags[i] == "noun Verb" for i in decks["fr"])
    assert all(tags[i] == "noun Verb" for i in decks["de"])
    assert tags[decks["es"][0]] == "leech"
    assert ops.tag_cards(col, "deck:Lang", add=("noun",)) == ops.BulkResult(5, 0)
    with pytest.raises(UserError, match="invalid tag"):
        ops.tag_cards(col, "deck:Lang", add=("two words",))


def test_delete_keeps_the_log_and_past_statistics(col: Collection, decks: dict) -> None:
    assert isinstance(col.clock, FixedClock)
    col.clock.advance(days=-3)  # answered three days ago
    session = StudySession(col, "Lang::French")
    for _ in range(3):
        session.answer(4, duration_ms=2000)
    col.clock.advance(days=3)
    stats_before = collection_stats(col)
    day_stats_before = list(DayStat.select().order_by(DayStat.day, DayStat.deck_id).tuples())
    result = ops.delete_cards(col, "deck:Lang::French")
    assert (result.matched, result.changed) == (3, 3)
    assert ids_of("deck:Lang::French", col) == set()
    assert ids_of("", col) == set(decks["de"]) | set(decks["es"])
    reviews = list(Review.select())
    assert len(reviews) == 3 and all(r.card_id is None for r in reviews)
    assert (
        list(DayStat.select().order_by(DayStat.day, DayStat.deck_id).tuples()) == day_stats_before
    )
    after = collection_stats(col)
    assert after.reviews_per_day == stats_before.reviews_per_day
    assert after.streak == stats_before.streak


@pytest.mark.sqlite_only
def test_delete_backs_the_file_up_first(col: Collection, decks: dict) -> None:
    result = ops.delete_cards(col, "deck:Spanish")
    assert result.backup is not None and result.backup.endswith("pre-delete.db")
    import sqlite3
    from pathlib import Path

    kept = sqlite3.connect(result.backup)
    try:
        assert kept.execute("SELECT COUNT(*) FROM card").fetchone()[0] == 6
    finally:
        kept.close()
    assert Path(result.backup).parent.name == "backups"


def test_card_details_with_history(col: Collection, decks: dict) -> None:
    session = StudySession(col, "Lang::German")
    session.answer(2, duration_ms=1500)  # fails: drilled again today
    session.answer(5)
    details = card_details(col, decks["de"][0])
    assert (details.deck, details.type, details.front, details.state) == (
        "Lang::German",
        "basic",
        "de front 0",
        "learning",
    )
    assert [(r.grade, r.drill, r.review_day) for r in details.reviews][:1] == [(2, False, TODAY)]
    assert details.reviews[0].duration_ms == 1500
    assert details.reviews[0].interval_after == 1
    with pytest.raises(UserError, match="no card with id 999"):
        card_details(col, 999)


def test_a_regex_the_server_refuses_is_the_users_error(col: Collection, decks: dict) -> None:
    """Python accepts a named group; PostgreSQL's regular expressions do not. SQLite runs
    Python's, so there the query simply matches nothing."""
    before = snapshot()
    query = 're:"(?P<x>zzz)"'
    if col.path is not None:
        assert ops.suspend_cards(col, query) == ops.BulkResult(0, 0)
        return
    with pytest.raises(UserError, match="the database refused the search"):
        search_cards(col, query)
    with pytest.raises(UserError, match="the database refused the search"):
        ops.suspend_cards(col, query)
    assert snapshot() == before
    assert search_cards(col, "deck:Spanish").cards  # the connection is still usable


@pytest.mark.sqlite_only
def test_a_busy_collection_is_one_line_and_changes_nothing(col: Collection, decks: dict) -> None:
    """Another process holds the write lock: the operation waits, then says the collection is
    busy; nothing is half-written."""
    import sqlite3

    ops.suspend_cards(col, "deck:Spanish")  # today's first change (and its backup) is done
    col.db.execute_sql("PRAGMA busy_timeout = 50")
    before = snapshot()
    other = sqlite3.connect(col.target, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        with pytest.raises(UserError, match="busy"):
            ops.suspend_cards(col, "deck:Lang")
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert snapshot() == before


def test_a_cloze_card_is_listed_as_it_asks(col: Collection) -> None:
    """A search result's question hides the card's own deletion and shows the others, as the
    review does; the raw front stays available (for --json and editing)."""
    (first,) = add_cards(col, "Geo", 1, prefix="geo")
    text = "{{c1::Paris}} is the capital of {{c2::France::country}}"
    Card.update(kind="cloze", front=text, back="", ordinal=2).where(Card.id == first).execute()
    (row,) = search_cards(col, "deck:Geo").cards
    assert row.question == "Paris is the capital of [country]"
    assert row.front == text
    (basic,) = add_cards(col, "Geo2", 1, prefix="b")
    (row,) = search_cards(col, "deck:Geo2").cards
    assert row.question == row.front == "b front 0"
