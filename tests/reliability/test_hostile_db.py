"""A hostile `--db`: each gives one clear line, exit 1, and leaves the file as it was.

Also a full disk (simulated with `PRAGMA max_page_count`) during an answer and an import, and a
clock moved backwards between sessions.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from flashcards.clock import FixedClock
from flashcards.errors import UserError
from flashcards.services.collection import open_collection
from flashcards.services.study import StudySession
from flashcards.storage import Review, database
from tests.conftest import START, add_cards
from tests.reliability.dbtools import integrity, table_checksum
from tests.reliability.kill_harness import write_big_deck


def _file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def make_collection(cli, path: Path, cards: int = 5) -> Path:
    """A collection as a user has it: opened by the CLI once (bundled decks in), plus a deck."""
    assert cli("--db", str(path), "decks").code == 0
    col = open_collection(path, clock=FixedClock(START))
    add_cards(col, "Mine", cards)
    col.close()
    return path


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (os.urandom(8192), "not a flashcards collection"),
        (b"just some notes\n" * 100, "not a flashcards collection"),
        (b"SQLite format 3\x00" + b"\x00\x10" + os.urandom(4000), "not a flashcards collection"),
    ],
    ids=["random-bytes", "text", "sqlite-header-then-garbage"],
)
def test_a_file_that_is_not_a_database(cli, tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "notes.db"
    path.write_bytes(content)
    result = cli("--db", str(path), "decks")
    assert result.code == 1
    assert message in result.error_line
    assert path.read_bytes() == content


def test_a_database_that_is_not_ours(cli, tmp_path: Path) -> None:
    """Someone else's SQLite file: refused, and not touched (no tables of ours added to it)."""
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE card (id INTEGER PRIMARY KEY, stuff BLOB)")
    conn.execute("INSERT INTO card VALUES (1, x'00ff')")
    conn.commit()
    conn.close()
    result = cli("--db", str(path), "decks")
    assert result.code == 1
    assert "not a flashcards collection" in result.error_line
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT * FROM card").fetchall() == [(1, b"\x00\xff")]
    assert [r[0] for r in conn.execute("SELECT name FROM sqlite_master")] == ["card"]
    conn.close()


def test_a_directory(cli, tmp_path: Path) -> None:
    result = cli("--db", str(tmp_path), "decks")
    assert result.code == 1
    assert "is a directory" in result.error_line


def test_a_missing_folder(cli, tmp_path: Path) -> None:
    result = cli("--db", str(tmp_path / "nope" / "c.db"), "decks")
    assert result.code == 1
    assert "does not exist" in result.error_line
    assert not (tmp_path / "nope").exists()


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs Linux /proc")
def test_a_location_where_no_file_can_be_created(cli) -> None:
    """procfs refuses new files even to root: a read-only location that works in any CI."""
    result = cli("--db", "/proc/flashcards-test.db", "decks")
    assert result.code == 1
    assert "cannot open the collection" in result.error_line


@contextlib.contextmanager
def read_only(path: Path) -> Iterator[str]:
    """Make `path` unwritable: chmod for a normal user; `chattr +i` for root (chmod does not
    stop root). Yields how; skips the test when neither works here."""
    if os.geteuid() != 0:
        path.chmod(0o444)
        path.parent.chmod(0o555)
        try:
            yield "chmod"
        finally:
            path.parent.chmod(0o755)
            path.chmod(0o644)
        return
    chattr = shutil.which("chattr")
    if chattr is None:
        pytest.skip("running as root (chmod cannot stop root) and chattr is not installed")
    done = subprocess.run([chattr, "+i", str(path)], capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"running as root and chattr +i is not allowed here: {done.stderr.strip()}")
    try:
        yield "chattr +i"
    finally:
        subprocess.run([chattr, "-i", str(path)], check=True)


def test_a_read_only_collection(cli, tmp_path: Path) -> None:
    path = make_collection(cli, tmp_path / "c.db")
    deck = write_big_deck(tmp_path / "d.toml", 20)
    before = table_checksum(path)
    with read_only(path):
        listed = cli("--db", str(path), "decks")
        result = cli("--db", str(path), "import", str(deck))
    assert listed.code == 0 and "Mine" in listed.out  # reading still works
    assert result.code == 1
    assert "read-only" in result.error_line
    assert table_checksum(path) == before
    assert integrity(path) == "ok"


@pytest.fixture
def full_disk_col(db_path: Path, clock: FixedClock):
    """A collection whose file may not grow by a single page (`PRAGMA max_page_count`)."""
    col = open_collection(db_path, clock=clock)
    add_cards(col, "Full", 300)
    pages = col.db.execute_sql("PRAGMA page_count").fetchone()[0]
    col.db.execute_sql(f"PRAGMA max_page_count = {pages}")
    yield col
    col.close()


def test_a_full_disk_during_answers(full_disk_col, db_path: Path) -> None:
    session = StudySession(full_disk_col)
    session.answer(4)  # the day's first answer starts the daily backup in the background;
    full_disk_col.wait_for_workers()  # it writes the day's marker when done: not mid-loop
    for _ in range(300):  # the log fills the last free page within a few dozen answers
        before = table_checksum(db_path)
        try:
            session.answer(4)
        except UserError as exc:
            failed = exc
            break
    else:
        pytest.fail("the file never filled up")
    assert "the disk is full; nothing was changed" in str(failed)
    assert table_checksum(db_path) == before  # the failed answer left no trace
    assert integrity(db_path) == "ok"


def test_a_full_disk_during_an_import(cli, tmp_path: Path, monkeypatch) -> None:
    path = make_collection(cli, tmp_path / "c.db")
    conn = sqlite3.connect(path)
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.close()
    deck = write_big_deck(tmp_path / "big.toml", 3000)
    before = table_checksum(path)
    monkeypatch.setitem(database.SQLITE_PRAGMAS, "max_page_count", pages + 2)
    result = cli("--db", str(path), "import", str(deck))
    assert result.code == 1
    assert "the disk is full" in result.error_line
    monkeypatch.delitem(database.SQLITE_PRAGMAS, "max_page_count")
    assert table_checksum(path) == before
    assert integrity(path) == "ok"


def test_the_clock_moved_back_between_sessions(db_path: Path) -> None:
    clock = FixedClock(START + dt.timedelta(days=30))
    with open_collection(db_path, clock=clock) as col:
        add_cards(col, "Time", 12)
        for day in range(3):  # three sessions a month ahead
            session = StudySession(col)
            while (view := session.current()) is not None:
                session.answer(4 if view.queue == "drill" else [5, 4, 3, 1][view.id % 4])
            clock.advance(days=1 + day)
        clock.set(START)  # the machine's clock is fixed, a month back
        for _ in range(3):
            session = StudySession(col)
            while session.current() is not None:
                session.answer(4)
            session.summary()
            clock.advance(days=1)
        rows = list(Review.select())
        assert rows
        assert all(r.after_interval >= 0 for r in rows)
        assert all(r.after_due is None or r.after_due >= r.review_day for r in rows)
    assert integrity(db_path) == "ok"
