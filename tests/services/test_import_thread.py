"""A big import's INSERTs run on a thread of their own (storage/insert_thread.py): the importing
thread's other statements wait for them, a failure in the thread is raised as the same error
with nothing changed, and a stop mid-import (ctrl+c, a refused row) leaves no thread behind."""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from peewee import IntegrityError

from flashcards.errors import UserError
from flashcards.services import import_stream
from flashcards.services.collection import Collection
from flashcards.services.decks import ensure_deck
from flashcards.services.importer import import_paths
from flashcards.storage import Card
from flashcards.storage import insert_thread as insert_thread_module
from flashcards.storage.card_import import insert_new_cards
from flashcards.storage.database import write_transaction
from flashcards.storage.insert_thread import SWITCH_INTERVAL, THREAD_NAME, insert_thread
from tests.conftest import add_cards
from tests.services.test_import_service import dump

pytestmark = pytest.mark.sqlite_only  # PostgreSQL takes new cards through COPY, unthreaded


@pytest.fixture(autouse=True)
def nothing_left_behind() -> Iterator[None]:
    """Every test here ends with no insert thread running and the switch interval as it was."""
    interval = sys.getswitchinterval()
    yield
    assert [t for t in threading.enumerate() if t.name == THREAD_NAME] == []
    assert sys.getswitchinterval() == interval


@pytest.fixture(autouse=True)
def two_cores(monkeypatch: pytest.MonkeyPatch) -> None:
    """The thread runs where there are two processors or more: the tests' machine may have one."""
    monkeypatch.setattr(insert_thread_module, "usable_cores", lambda: 2)


@pytest.fixture
def streamed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(import_stream, "STREAM_FROM_BYTES", 0)


@contextmanager
def threads_inserting(col: Collection) -> Iterator[set[str]]:
    """The names of the threads that ran the block's INSERTs of cards (sqlite3's trace)."""
    names: set[str] = set()
    connection = col.db.connection()

    def traced(sql: str) -> None:
        if sql.startswith('INSERT INTO "card"'):
            names.add(threading.current_thread().name)

    connection.set_trace_callback(traced)
    try:
        yield names
    finally:
        connection.set_trace_callback(None)


def big_tsv(path: Path, rows: int) -> Path:
    path.write_text("".join(f"front {i}\tback {i}\n" for i in range(rows)), encoding="utf-8")
    return path


def new_rows(prefix: str, count: int) -> list[object]:
    """Values for `insert_new_cards`: key, note, kind, front, back, tags, ordinal, a card after
    another."""
    return [
        value
        for i in range(count)
        for value in (f"{prefix}{i}", f"{prefix}{i}", "basic", f"q {i}", "a", "", 0)
    ]


BAD_INSERT = 'INSERT INTO "card" ("deck_id", "key") VALUES (?, ?)'  # NOT NULL columns left out


def test_a_statement_of_the_importing_thread_waits_for_the_queued_inserts(
    col: Collection,
) -> None:
    deck = ensure_deck(col, "Queued")
    now = col.clock.now().replace(tzinfo=None)
    with write_transaction(col.db), insert_thread(col.db) as insert:
        for batch in range(4):
            sum(insert_new_cards(col.db, deck.id, now, new_rows(f"b{batch}-", 3000), None, insert))
        assert Card.select().where(Card.deck == deck.id).count() == 12_000
        assert sys.getswitchinterval() == pytest.approx(SWITCH_INTERVAL)  # the import's own
    assert Card.select().count() == 12_000


@pytest.mark.parametrize("raised_at", ["the next statement", "the block's end", "a later error"])
def test_a_failed_insert_in_the_thread_is_raised_as_it_is_without_one(
    col: Collection, raised_at: str
) -> None:
    """The very exception (type and arguments) `execute_sql` raises for the same INSERT, and
    the transaction rolled back."""
    deck = ensure_deck(col, "Failing")
    with pytest.raises(IntegrityError) as unthreaded, write_transaction(col.db):
        col.db.execute_sql(BAD_INSERT, (deck.id, "k"))
    with (
        pytest.raises(IntegrityError) as threaded,
        write_transaction(col.db),
        insert_thread(col.db) as insert,
    ):
        sum(insert_new_cards(col.db, deck.id, col.clock.now(), new_rows("ok", 10), None, insert))
        insert(BAD_INSERT, (deck.id, "k"))
        if raised_at == "the next statement":
            Card.select().count()
            pytest.fail("the failed INSERT was not raised")
        if raised_at == "a later error":  # a row refused after it: the INSERT came first
            raise UserError("a later row")
    assert threaded.value.args[1:] == unthreaded.value.args[1:]
    assert str(threaded.value.args[0]) == str(unthreaded.value.args[0])
    assert Card.select().count() == 0


def test_a_full_disk_in_the_insert_thread_changes_nothing(
    col: Collection, tmp_path: Path, streamed: None
) -> None:
    add_cards(col, "Kept", 20)
    before = dump(col)
    pages = col.db.execute_sql("PRAGMA page_count").fetchone()[0]
    col.db.execute_sql(f"PRAGMA max_page_count = {pages + 4}")
    with threads_inserting(col) as names, pytest.raises(UserError, match="the disk is full"):
        import_paths(col, [big_tsv(tmp_path / "big.tsv", 30_000)], deck="Big")
    assert names == {THREAD_NAME}  # the failing INSERT ran on the thread
    assert dump(col) == before


def test_on_a_single_processor_the_importing_thread_inserts(
    col: Collection, tmp_path: Path, streamed: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(insert_thread_module, "usable_cores", lambda: 1)
    with threads_inserting(col) as names:
        report = import_paths(col, [big_tsv(tmp_path / "big.tsv", 30_000)], deck="One")
    assert names == {threading.current_thread().name}
    assert report.added == Card.select().count() == 30_000


@pytest.mark.parametrize("stop", [KeyboardInterrupt, UserError])
def test_stopped_mid_import_the_thread_ends_and_nothing_changes(
    col: Collection, tmp_path: Path, streamed: None, stop: type[BaseException]
) -> None:
    """A ctrl+c (or any error of the importing thread's) while INSERTs are queued: the thread
    ends before the rollback, and the collection is as it was (the autouse fixture checks the
    thread and the switch interval)."""
    add_cards(col, "Kept", 20)
    before = dump(col)
    chunks = 0

    def progress(done: int, total: int) -> None:  # called after each chunk is queued
        nonlocal chunks
        chunks += 1
        if chunks == 3:
            raise stop("stopped")

    with pytest.raises(stop, match="stopped"):
        import_paths(col, [big_tsv(tmp_path / "big.tsv", 30_000)], progress=progress)
    assert dump(col) == before


def test_a_file_refused_by_the_parser_after_thousands_of_inserts_changes_nothing(
    col: Collection, tmp_path: Path, streamed: None
) -> None:
    add_cards(col, "Kept", 20)
    before = dump(col)
    path = big_tsv(tmp_path / "quote.tsv", 30_000)
    with path.open("a", encoding="utf-8") as file:
        file.write('"a quote never closed\tback\nmore\tlines\n')
    with pytest.raises(UserError, match=r"quote.tsv:30001: a quoted field is never closed"):
        import_paths(col, [path], deck="Big")
    assert dump(col) == before
