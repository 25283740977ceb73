"""The study session's daily backup finishes in the background (issue 17): the first answer
of the day waits only for the backup's read snapshot, never for the copy or its check."""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from flashcards.cli import context
from flashcards.services import backup as bk
from flashcards.services.collection import Collection
from flashcards.services.study import StudySession
from flashcards.storage import Meta
from flashcards.storage import backups as store
from tests.conftest import add_cards
from tests.reliability.dbtools import row_count, table_checksum

HOLD = 30.0  # seconds a held step waits at most: a failing test must not hang the suite


@pytest.fixture
def held_copy(monkeypatch: pytest.MonkeyPatch) -> Iterator[threading.Event]:
    """Hold every backup's copy until the returned event is set (set at teardown too)."""
    release = threading.Event()
    copy = store.copy_database

    def held(*args: object, **kwargs: object) -> None:
        assert release.wait(HOLD), "the held copy was never released"
        copy(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(store, "copy_database", held)
    yield release
    release.set()


def _dailies(col: Collection) -> list[Path]:
    return [b.path for b in store.list_backups(col.target) if b.reason == "daily"]


def _answer_first(col: Collection) -> StudySession:
    session = StudySession(col)
    assert session.current() is not None
    session.answer(4)
    return session


def _sqlite_only(col: Collection) -> None:
    if col.path is None:
        pytest.skip("server collections have no file backups")


def test_the_first_answer_returns_before_the_copy_and_the_backup_holds_the_state_before_it(
    col: Collection, held_copy: threading.Event
) -> None:
    _sqlite_only(col)
    add_cards(col, "Spanish", 3)
    before = table_checksum(col.target)
    session = _answer_first(col)  # returns with the copy held: it has not even started
    assert row_count(col.target, "review_log") == 1  # the answer is committed meanwhile
    assert _dailies(col) == [] and session.backup_problem is None  # nothing named yet
    held_copy.set()
    col.wait_for_workers()
    (daily,) = _dailies(col)
    assert row_count(daily, "review_log") == 0
    assert table_checksum(daily) == before  # the collection before the day's first answer
    assert session.backup_problem is None
    assert not list(daily.parent.glob("*.partial"))


def test_a_copy_that_fails_its_check_is_reported_named_nothing_and_kept_every_backup(
    col: Collection, monkeypatch: pytest.MonkeyPatch
) -> None:
    _sqlite_only(col)
    add_cards(col, "Spanish", 3)
    manual = bk.make_backup(col, "manual")

    def damaged(db_path: Path, copy: Path, *, quick: bool = False) -> None:
        raise store.DamagedCollection(f"{db_path}: the collection is damaged (page 7)")

    monkeypatch.setattr(store, "verify_copy", damaged)
    session = _answer_first(col)
    col.wait_for_workers()
    problem = session.backup_problem
    assert problem is not None and "damaged" in problem
    session.backup_problem = None  # the UI told the user: mentioned once
    assert session.backup_problem is None
    assert [b.path for b in store.list_backups(col.target)] == [manual]
    assert not list(manual.parent.glob("*.partial"))
    assert row_count(col.target, "review_log") == 1  # the answer was not lost
    assert Meta.get_or_none(Meta.key == bk.DAILY_KEY) is None  # so the next session tries again
    monkeypatch.undo()
    assert bk.backup_before_first_write_today(col) is not None


def test_the_day_is_marked_so_no_other_session_backs_up_again(
    col: Collection, held_copy: threading.Event
) -> None:
    _sqlite_only(col)
    add_cards(col, "Spanish", 6)
    _answer_first(col)
    _answer_first(col)  # while the first one's backup is still running: not a second one
    assert bk.backup_before_first_write_today(col) is None  # nor a card change meanwhile
    held_copy.set()
    col.wait_for_workers()
    assert len(_dailies(col)) == 1
    row = Meta.get_or_none(Meta.key == bk.DAILY_KEY)
    assert row is not None and row.value == col.clock.today().isoformat()
    _answer_first(col)  # a later session that day
    col.wait_for_workers()
    assert len(_dailies(col)) == 1


def test_closing_the_collection_waits_for_the_backup(
    col: Collection, held_copy: threading.Event
) -> None:
    _sqlite_only(col)
    add_cards(col, "Spanish", 3)
    _answer_first(col)
    closing = threading.Thread(target=col.close)
    closing.start()
    closing.join(timeout=0.5)
    assert closing.is_alive()  # close() is waiting for the held copy (it would return at once)
    assert _dailies(col) == []
    held_copy.set()
    closing.join(HOLD)
    assert not closing.is_alive()
    (daily,) = _dailies(col)
    assert store.list_backups(col.target)[0].path == daily
    assert not list(daily.parent.glob("*.partial"))


def test_a_cram_session_never_backs_up(col: Collection) -> None:
    _sqlite_only(col)
    add_cards(col, "Spanish", 3)
    session = StudySession(col, cram=True)
    assert session.current() is not None
    session.answer(4)
    col.wait_for_workers()
    assert _dailies(col) == []


def test_leaving_the_tui_says_it_is_finishing_the_backup(
    col: Collection, monkeypatch: pytest.MonkeyPatch
) -> None:
    release = threading.Event()
    said: list[str] = []

    def say(text: object, *, err: bool = False) -> None:
        said.append(str(text))
        release.set()  # the backup finishes only once the user has been told

    def backing_up() -> None:
        release.wait(HOLD)

    monkeypatch.setattr(context, "say", say)
    col.start_worker(bk.daily_worker(col.clock.today()), backing_up)
    context.close_after_app(col)
    assert said == ["flashcards: finishing today's backup…"]
    assert not col.workers_running()
    said.clear()
    context.close_after_app(col)  # nothing running: nothing said
    assert said == []


_CHILD = """
import sys, threading
from flashcards.services.collection import open_collection
from flashcards.services.study import StudySession
from flashcards.storage import backups

def held(db_path, copy, quick=False):  # the copy is written (temporary name): hold its check
    print("CHECKING", flush=True)
    threading.Event().wait()

backups.verify_copy = held
col = open_collection(sys.argv[1])
StudySession(col).answer(4)
print("ANSWERED", flush=True)
threading.Event().wait()
"""


def test_a_kill_during_the_check_leaves_no_backup_and_keeps_the_answer(
    col: Collection,
) -> None:
    _sqlite_only(col)
    add_cards(col, "Spanish", 3)
    child = subprocess.Popen(
        [sys.executable, "-c", _CHILD, col.target], stdout=subprocess.PIPE, text=True
    )
    try:
        assert child.stdout is not None
        lines = {child.stdout.readline().strip(), child.stdout.readline().strip()}
        assert lines == {"CHECKING", "ANSWERED"}
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
    folder = Path(col.target).parent / "backups"
    assert store.list_backups(col.target) == []  # only a temporary file, not a backup
    assert [p.name.endswith(".partial") for p in folder.iterdir()] == [True]
    assert row_count(col.target, "review_log") == 1
