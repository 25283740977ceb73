"""Closing the collection never waits for the day's backup (issue 17): it stops it.

A copy cut off is deleted (the day stays unmarked, so the next session backs up again); a
complete copy whose check was stopped is left under a temporary name that is never listed as a
backup, and the next start checks and names it. Either way nothing a restore could take for a
backup is left, and no good backup is rotated away for it.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from types import SimpleNamespace

import pytest

from flashcards.cli import context
from flashcards.clock import FixedClock
from flashcards.services import backup as bk
from flashcards.services.collection import Collection
from flashcards.services.study import StudySession
from flashcards.storage import Meta, backup_rotation, pending_backups
from flashcards.storage import backups as store
from flashcards.storage.backup_files import BackupStopped, StopSignal, claim, release, temp_name
from tests.conftest import add_cards
from tests.reliability.dbtools import row_count, table_checksum

pytestmark = pytest.mark.sqlite_only

HOLD = 30.0  # seconds a held step waits at most: a failing test must not hang the suite


class _Gate:
    """Stands for a backup's StopSignal: the first time the copy or check asks whether it is
    stopped, `at_first` runs (by default: hold until the real signal is stopped)."""

    def __init__(self, stop: StopSignal, under_way: threading.Event, at_first=None) -> None:
        self._stop, self._under_way, self._at_first = stop, under_way, at_first

    @property
    def stopped(self) -> bool:
        if not self._under_way.is_set():
            self._under_way.set()
            if self._at_first is None:
                assert self._stop.wait(HOLD), "the held backup was never stopped"
            else:
                self._at_first()
        return self._stop.stopped

    def interrupting(self, conn: sqlite3.Connection) -> AbstractContextManager[None]:
        return self._stop.interrupting(conn)


@pytest.fixture
def copy_under_way(monkeypatch: pytest.MonkeyPatch) -> Iterator[threading.Event]:
    """The day's backup really copies, a page a step, and holds after its first step until it
    is stopped; the event is set once the copy is under way."""
    under_way = threading.Event()
    copy = store.copy_database

    def gated(source, source_path, dest_path, *, stop=None) -> None:  # type: ignore[no-untyped-def]
        gate = None if stop is None else _Gate(stop, under_way)  # None: a backup made in place
        copy(source, source_path, dest_path, stop=gate)  # type: ignore[arg-type]

    monkeypatch.setattr(store, "STEP_PAGES", 1)
    monkeypatch.setattr(store, "copy_database", gated)
    yield under_way


@pytest.fixture
def check_under_way(monkeypatch: pytest.MonkeyPatch) -> Iterator[threading.Event]:
    """The day's backup copies in full, then its check holds until it is stopped (the first
    check only: the next start's runs as usual)."""
    under_way = threading.Event()
    verify = store.verify_copy

    def held(db_path: Path, copy: Path, *, quick: bool = False, stop=None) -> None:  # type: ignore[no-untyped-def]
        if stop is not None and not under_way.is_set():  # None: a backup made in place
            under_way.set()
            assert stop.wait(HOLD), "the held check was never stopped"
        verify(db_path, copy, quick=quick, stop=stop)

    monkeypatch.setattr(store, "verify_copy", held)
    yield under_way


def _answer_first(col: Collection) -> None:
    session = StudySession(col)
    assert session.current() is not None
    session.answer(4)


def _close_while(col: Collection, under_way: threading.Event) -> None:
    """Close the collection once the held stage is under way; closing must end by itself."""
    assert under_way.wait(HOLD)
    closing = threading.Thread(target=col.close)
    closing.start()
    closing.join(HOLD)  # a generous bound: it ends as soon as the backup has seen the stop
    assert not closing.is_alive()


def _folder(col: Collection) -> Path:
    return Path(col.target).parent / "backups"


def _marked(col: Collection) -> bool:
    return Meta.get_or_none(Meta.key == bk.DAILY_KEY) is not None


def test_closing_during_the_copy_stops_it_and_hands_the_backup_to_a_process_of_its_own(
    col: Collection, copy_under_way: threading.Event, detached_backups: list
) -> None:
    add_cards(col, "Spanish", 30)
    _answer_first(col)
    _close_while(col, copy_under_way)
    assert list(_folder(col).iterdir()) == []  # the cut-off copy is deleted
    assert detached_backups == [(col.target, "daily")]
    assert row_count(col.target, "review_log") == 1
    assert not _marked(col)  # so the next session backs up again
    assert not bk.finish_pending_backups(col)  # and the next start has nothing to finish
    assert bk.backup_before_first_write_today(col) is not None


def test_closing_during_the_check_leaves_a_copy_the_next_start_names(
    col: Collection, check_under_way: threading.Event, detached_backups: list
) -> None:
    add_cards(col, "Spanish", 3)
    before = table_checksum(col.target)
    _answer_first(col)
    _close_while(col, check_under_way)
    (left,) = _folder(col).iterdir()
    assert left.name.endswith(".unchecked")
    assert store.list_backups(col.target) == []  # never listed, so never restored or rotated
    assert _marked(col)  # the day's copy exists; it is not made again
    assert bk.backup_before_first_write_today(col) is None
    assert detached_backups == []
    assert bk.finish_pending_backups(col)  # the next start
    col.wait_for_workers()
    (daily,) = store.list_backups(col.target)
    assert daily.reason == "daily" and left.name.startswith(f"{daily.path.name}.")
    assert table_checksum(daily.path) == before  # the collection before the day's first answer
    assert [p.name for p in _folder(col).iterdir()] == [daily.path.name]


def test_the_tui_start_finishes_what_the_last_close_left(
    col: Collection, check_under_way: threading.Event
) -> None:
    add_cards(col, "Spanish", 3)
    _answer_first(col)
    _close_while(col, check_under_way)
    args = SimpleNamespace(db=col.target, config=None)
    started = context.app_collection_from(args)  # what `flashcards` and `flashcards review` open
    try:
        started.wait_for_workers()
    finally:
        started.close()
    (daily,) = store.list_backups(col.target)
    assert [p.name for p in _folder(col).iterdir()] == [daily.path.name]


def test_a_left_copy_never_pushes_a_good_backup_out(
    col: Collection, check_under_way: threading.Event, clock: FixedClock
) -> None:
    add_cards(col, "Spanish", 3)
    older = []
    for _ in range(backup_rotation.KEEP_DAILY):  # a full week of good daily backups
        older.append(bk.make_backup(col, "daily"))
        clock.advance(days=1)
    _answer_first(col)
    _close_while(col, check_under_way)
    assert [b.path for b in store.list_backups(col.target)] == older


def test_a_left_copy_that_fails_its_check_is_deleted_and_the_day_backed_up_again(
    col: Collection, check_under_way: threading.Event, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_cards(col, "Spanish", 3)
    _answer_first(col)
    _close_while(col, check_under_way)
    (left,) = _folder(col).iterdir()
    left.write_bytes(left.read_bytes()[:4096] + b"\xff" * 8192)  # damaged where it lies
    assert bk.finish_pending_backups(col)
    col.wait_for_workers()
    assert list(_folder(col).iterdir()) == []
    assert not _marked(col)  # so the next change backs up again, and says what it finds


def test_a_stepped_copy_keeps_the_snapshot_while_the_collection_is_written(
    col: Collection, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_cards(col, "Spanish", 50)
    before = table_checksum(col.target)
    pending = store.start_backup(col.target, "daily", clock=col.clock)

    def write() -> None:  # another connection changes the collection between two steps
        conn = sqlite3.connect(col.target, timeout=5)
        with conn:
            conn.execute("DELETE FROM review_log")
            conn.execute("UPDATE card SET front = 'changed'")
        conn.close()

    monkeypatch.setattr(store, "STEP_PAGES", 1)
    path = pending.finish(_Gate(StopSignal(), threading.Event(), at_first=write))  # type: ignore[arg-type]
    assert table_checksum(path) == before
    assert table_checksum(col.target) != before


def test_a_stopped_check_is_never_taken_for_a_finding(col: Collection) -> None:
    add_cards(col, "Spanish", 3)
    stop = StopSignal()
    stop.stop()
    with pytest.raises(BackupStopped):
        store.verify_copy(Path(col.target), Path(col.target), quick=True, stop=stop)


def test_pending_leaves_alone_what_a_live_process_works_on(col: Collection) -> None:
    add_cards(col, "Spanish", 3)
    final = bk.make_backup(col, "daily")
    folder = final.parent
    stem = final.name.removesuffix("-daily.db")
    live = subprocess.Popen(["sleep", "60"])
    try:
        theirs = temp_name(folder / f"{stem}-1-daily.db", "partial", live.pid)
        ours = temp_name(folder / f"{stem}-2-daily.db", "checking")
        reused = temp_name(folder / f"{stem}-3-daily.db", "partial")  # our pid, not our file
        foreign = folder / "notes.db.123.partial"  # not a backup of this collection's name
        for path in (theirs, ours, reused, foreign):
            path.write_bytes(b"x")
        claim(ours)
        try:
            assert pending_backups.pending(Path(col.target)) == [reused]
        finally:
            release(ours)
        live.kill()
        live.wait()
        assert set(pending_backups.pending(Path(col.target))) == {theirs, ours, reused}
    finally:
        live.kill()
        live.wait()


def test_the_process_of_its_own_backs_the_collection_up_as_it_is(col: Collection) -> None:
    add_cards(col, "Spanish", 3)
    _answer_first(col)
    col.wait_for_workers()  # the day's backup made: the child backs up the state after the answer
    col.close()
    now = table_checksum(col.target)
    child = [sys.executable, "-m", "flashcards.storage.backup_child", col.target, "daily"]
    assert subprocess.run(child, timeout=HOLD, check=False).returncode == 0
    made = [b.path for b in store.list_backups(col.target) if b.reason == "daily"]
    assert len(made) == 2 and table_checksum(made[-1]) == now
    assert [p.name for p in _folder(col).iterdir() if not p.name.endswith(".db")] == []


def test_the_process_of_its_own_backs_up_no_damaged_collection(db_path: Path) -> None:
    db_path.write_bytes(b"SQLite format 3\x00" + b"\xff" * 8192)
    child = [sys.executable, "-m", "flashcards.storage.backup_child", str(db_path), "daily"]
    assert subprocess.run(child, timeout=HOLD, check=False).returncode == 1
    assert store.list_backups(db_path) == []
