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

    def damaged(db_path: Path, copy: Path, *, quick: bool = False, stop: object = None) -> None:
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


def test_a_cram_session_never_backs_up(col: Collection) -> None:
    _sqlite_only(col)
    add_cards(col, "Spanish", 3)
    session = StudySession(col, cram=True)
    assert session.current() is not None
    session.answer(4)
    col.wait_for_workers()
    assert _dailies(col) == []


_CHILD = """
import sys, threading
from pathlib import Path
from flashcards.services.collection import open_collection
from flashcards.services.study import StudySession
from flashcards.storage import backups

def say(line):  # one write: the two threads' lines never run together
    sys.stdout.write(line + "\\n")
    sys.stdout.flush()

def held_copy(source, source_path, dest_path, *, stop=None):  # a copy cut off half-way
    Path(dest_path).write_bytes(b"SQLite format 3\\x00" + bytes(4000))
    Path(f"{dest_path}-journal").write_bytes(bytes(512))  # as SQLite keeps while it copies
    say("HELD")
    threading.Event().wait()

def held_check(db_path, copy, *, quick=False, stop=None):  # the copy is complete: hold its check
    say("HELD")
    threading.Event().wait()

if sys.argv[2] == "copy":
    backups.copy_database = held_copy
else:
    backups.verify_copy = held_check
col = open_collection(sys.argv[1])
StudySession(col).answer(4)
say("ANSWERED")
threading.Event().wait()
"""


def _killed_while(col: Collection, stage: str) -> list[Path]:
    """Answer the first card in a child process, kill it while its backup's `stage` (copy or
    check) runs; the files it left in the backups folder."""
    child = subprocess.Popen(
        [sys.executable, "-c", _CHILD, col.target, stage], stdout=subprocess.PIPE, text=True
    )
    try:
        assert child.stdout is not None
        lines = {child.stdout.readline().strip(), child.stdout.readline().strip()}
        assert lines == {"HELD", "ANSWERED"}
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
    assert row_count(col.target, "review_log") == 1  # the answer is kept
    assert store.list_backups(col.target) == []  # only a temporary file, not a backup
    return list((Path(col.target).parent / "backups").iterdir())


def test_a_kill_during_the_check_leaves_a_copy_the_next_start_checks_and_names(
    col: Collection,
) -> None:
    _sqlite_only(col)
    add_cards(col, "Spanish", 3)
    before = table_checksum(col.target)
    (left,) = _killed_while(col, "check")
    assert left.name.endswith(".checking")
    assert bk.finish_pending_backups(col)  # the next start
    col.wait_for_workers()
    (daily,) = _dailies(col)
    assert table_checksum(daily) == before  # the collection before the killed session's answer
    assert [p.name for p in daily.parent.iterdir()] == [daily.name]
    assert not bk.finish_pending_backups(col)  # nothing left to do: no worker


def test_a_kill_during_the_copy_leaves_nothing_the_next_start_keeps(col: Collection) -> None:
    _sqlite_only(col)
    add_cards(col, "Spanish", 3)
    left, journal = sorted(_killed_while(col, "copy"))
    assert left.name.endswith(".partial") and journal.name == f"{left.name}-journal"
    assert bk.finish_pending_backups(col)
    col.wait_for_workers()
    assert list(left.parent.iterdir()) == []
    assert bk.backup_before_first_write_today(col) is not None  # the day was never marked
