"""Every service runs on the collection it is handed, never on a process-wide database.

Two SQLite files are open in one process, the first one (A) opened last, and nothing is bound
around the calls: what each service reads and writes is checked in the files themselves, with
sqlite3, so the check does not go through the binding it tests.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from flashcards.clock import FixedClock
from flashcards.decks.added_notes import note_table
from flashcards.services.adding import add_notes
from flashcards.services.cards import search_cards
from flashcards.services.collection import Collection, open_collection
from flashcards.services.deck_changes import create_deck, rename_deck
from flashcards.services.decks import deck_counts
from flashcards.services.study import StudySession
from flashcards.stats import collection_stats, home_figures
from flashcards.storage import Card, Deck
from flashcards.storage.binding import UNBOUND, bound, runs_on_collection
from tests.conftest import START


def _rows(path: Path, sql: str) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


@pytest.fixture
def two(tmp_path: Path) -> Iterator[tuple[Collection, Collection]]:
    """(a, b): b holds deck "B" with two cards; a is empty but for deck "A", and opened last."""
    b = open_collection(tmp_path / "b.db", clock=FixedClock(START))
    a = open_collection(tmp_path / "a.db", clock=FixedClock(START))
    add_notes(
        b, "B", [("b", note_table("basic", "uno", "one")), ("b", note_table("basic", "dos", "two"))]
    )
    create_deck(a, "A")
    yield a, b
    a.close()
    b.close()


@pytest.mark.sqlite_only
def test_reading_services_read_the_collection_they_are_given(two) -> None:
    a, b = two
    assert [(d.name, d.new) for d in deck_counts(b)] == [("B", 2)]
    assert [(d.name, d.new) for d in deck_counts(a)] == [("A", 0)]
    assert [row.front for row in search_cards(b, "").cards] == ["uno", "dos"]
    assert search_cards(a, "").cards == ()
    assert collection_stats(b).counts.new == 2 and collection_stats(a).counts.new == 0
    assert home_figures(a).reviews_today == 0


@pytest.mark.sqlite_only
def test_writing_services_write_the_collection_they_are_given(two, tmp_path: Path) -> None:
    a, b = two
    rename_deck(b, "B", "Bee")
    add_notes(b, "Bee", [("b", note_table("basic", "tres", "three"))])
    assert _rows(tmp_path / "b.db", "SELECT name FROM deck") == [("Bee",)]
    assert _rows(tmp_path / "b.db", "SELECT count(*) FROM card") == [(3,)]
    assert _rows(tmp_path / "a.db", "SELECT name FROM deck") == [("A",)]
    assert _rows(tmp_path / "a.db", "SELECT count(*) FROM card") == [(0,)]


@pytest.mark.sqlite_only
def test_a_study_session_answers_on_its_own_collection(two, tmp_path: Path) -> None:
    a, b = two
    session = StudySession(b, "B")
    assert session.current().front == "uno"  # type: ignore[union-attr]
    StudySession(a)  # another session opened on the other collection meanwhile
    session.answer(5)
    session.bury()  # "dos"
    assert session.summary().reviewed == 1
    assert (home_figures(b).reviews_today, home_figures(a).reviews_today) == (1, 0)
    assert _rows(tmp_path / "b.db", "SELECT count(*) FROM review_log") == [(1,)]
    assert _rows(tmp_path / "b.db", "SELECT count(*) FROM card WHERE buried_until IS NOT NULL") == [
        (1,)
    ]
    assert _rows(tmp_path / "a.db", "SELECT count(*) FROM review_log") == [(0,)]


@pytest.mark.sqlite_only
def test_a_service_in_a_thread_binds_for_itself_and_leaves_the_caller_bound(two) -> None:
    """A Textual thread worker starts with nothing bound; the binding is per thread, so a
    worker on B does not move the caller's queries off A."""
    a, b = two
    seen: dict[str, object] = {}

    def worker() -> None:
        seen["counts"] = [d.name for d in deck_counts(b)]
        try:
            Deck.select().count()
        except AttributeError as exc:
            seen["unbound"] = str(exc)

    with bound(a.db):
        thread = threading.Thread(target=worker)
        thread.start()
        thread.join()
        assert [name for (name,) in Deck.select(Deck.name).tuples()] == ["A"]
    assert seen == {"counts": ["B"], "unbound": UNBOUND}


@pytest.mark.sqlite_only
def test_bindings_nest_and_put_back_what_was_there(two) -> None:
    a, b = two
    with bound(a.db):
        with bound(b.db):
            assert Card.select().count() == 2
        assert Card.select().count() == 0
    with pytest.raises(AttributeError, match="no collection is bound"):
        Card.select().count()


def test_a_query_outside_any_binding_fails_instead_of_guessing(tmp_path: Path) -> None:
    with open_collection(tmp_path / "c.db", clock=FixedClock(START)) as col:
        assert Deck.select().count() == 0  # bound inside the block
    col = open_collection(tmp_path / "c.db", clock=FixedClock(START))
    try:
        with pytest.raises(AttributeError, match="no collection is bound"):
            Deck.select().count()  # opened, but not bound: no "last opened" default
    finally:
        col.close()


def test_a_generator_cannot_be_bound_for_its_whole_run() -> None:
    def rows(col: Collection) -> Iterator[int]:
        yield 1

    with pytest.raises(TypeError, match="generator"):
        runs_on_collection(rows)
