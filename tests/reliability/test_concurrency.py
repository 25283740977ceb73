"""Two processes on one collection: no corruption, no lost or doubled answers, clear busy errors."""

from __future__ import annotations

import sqlite3
from collections import Counter
from pathlib import Path

import pytest

from flashcards.errors import UserError
from flashcards.services.backup import backup_before_first_write_today, make_backup
from flashcards.services.study import StudySession
from flashcards.storage import Review
from tests.conftest import add_cards
from tests.reliability import kill_harness as kh
from tests.reliability.dbtools import integrity, row_count


def _run_side_by_side(
    first: tuple[str, ...],
    second: tuple[str, ...],
    a_until: tuple[str, int],
    b_until: tuple[str, int],
):
    """Run two children at once until each has printed its count of lines (`word`, n): both
    have then written while the other was writing; then kill both."""
    a, b = kh.Child(*first), kh.Child(*second)
    assert a.wait_for("READY") and b.wait_for("READY"), a.stderr + b.stderr
    reached = (a.wait_for_count(*a_until), b.wait_for_count(*b_until))
    codes = (a.kill(), b.kill())
    assert reached == (True, True), a.stderr[-500:] + b.stderr[-500:]
    assert codes == (-9, -9), a.stderr[-500:] + b.stderr[-500:]  # neither crashed by itself
    return a, b


def _assert_each_answer_once(db: Path, answers: list[tuple[int, int]], writers: int) -> None:
    ids = Counter(rid for _, rid in answers)
    assert not [rid for rid, n in ids.items() if n > 1], "a review id was reported twice"
    assert kh.missing_answers(db, answers) == []
    # Rows committed but not yet printed when the kill came: at most one per writer.
    assert 0 <= row_count(db, "review_log") - len(answers) <= writers


def _writer_child(db: Path, deck: str) -> tuple[str, ...]:
    return ("review-deck", str(db), "1", deck)


def test_two_review_sessions_at_once(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    kh.make_review_db(db, cards=120, decks=2)
    a, b = _run_side_by_side(
        _writer_child(db, "Kill::Deck 0"),
        _writer_child(db, "Kill::Deck 1"),
        ("ANSWERED", 11),
        ("ANSWERED", 11),
    )
    answers = a.answers() + b.answers()
    assert len(a.answers()) > 10 and len(b.answers()) > 10  # both really wrote, interleaved
    assert integrity(db) == "ok"
    _assert_each_answer_once(db, answers, writers=2)
    assert kh.inconsistent_cards(db) == []


def test_a_review_while_bulk_write_transactions_run(tmp_path: Path) -> None:
    """A bulk edit holds the write lock 0.2 s at a time; answers wait for it, none is lost."""
    db = tmp_path / "c.db"
    kh.make_review_db(db, cards=120, decks=2)
    a, b = _run_side_by_side(
        _writer_child(db, "Kill::Deck 0"),
        ("bulk", str(db), "0.2", "0.1"),
        ("ANSWERED", 6),
        ("BULK", 2),
    )
    assert len(a.answers()) > 5 and any(line.startswith("BULK") for line in b.lines)
    assert integrity(db) == "ok"
    _assert_each_answer_once(db, a.answers(), writers=1)
    assert kh.inconsistent_cards(db) == []


@pytest.fixture
def other_writer(db_path: Path, col):
    """A second connection to the collection; `BEGIN IMMEDIATE` on it holds the write lock."""
    add_cards(col, "Busy", 3)
    other = sqlite3.connect(db_path, isolation_level=None)
    col.db.execute_sql("PRAGMA busy_timeout = 100")  # give up after 0.1 s instead of 5
    yield other
    if other.in_transaction:
        other.execute("ROLLBACK")
    other.close()


def test_a_blocked_answer_is_a_busy_error_and_nothing_is_written(col, other_writer) -> None:
    session = StudySession(col)
    assert session.current() is not None
    other_writer.execute("BEGIN IMMEDIATE")
    with pytest.raises(UserError) as failed:
        session.answer(4)
    message = str(failed.value)
    assert "the collection is busy" in message and "\n" not in message
    assert Review.select().count() == 0


def test_a_blocked_answer_can_be_retried(col, other_writer) -> None:
    """The failed answer left the session as it was: same card, same state, answer again."""
    session = StudySession(col)
    first = session.current()
    assert first is not None
    other_writer.execute("BEGIN IMMEDIATE")
    with pytest.raises(UserError, match="the collection is busy"):
        session.answer(4)
    other_writer.execute("ROLLBACK")
    again = session.current()
    assert again is not None and again.id == first.id
    assert again.state == first.state  # not the unsaved, already-graded state
    session.answer(4)
    assert Review.select().count() == 1


def test_the_daily_backup_under_a_held_lock_is_a_busy_user_error(col, other_writer) -> None:
    other_writer.execute("BEGIN IMMEDIATE")
    with pytest.raises(UserError, match="the collection is busy"):
        backup_before_first_write_today(col)


def test_backups_while_another_process_answers(tmp_path: Path) -> None:
    """The online backup API copies a consistent snapshot while answers are being committed."""
    db = tmp_path / "c.db"
    kh.make_review_db(db, cards=60, decks=1)
    child = kh.Child("review", str(db), "3")
    assert child.wait_for("READY"), child.stderr
    made = []
    try:
        for n in range(1, 6):
            made.append(make_backup(db, "pre-restore"))  # a protected reason: none rotated away
            assert child.wait_for_count("ANSWERED", n), child.stderr  # an answer between copies
    finally:
        assert child.kill() == -9, child.stderr[-500:]
    assert len(child.answers()) > 0
    for path in made:
        assert integrity(path) == "ok"
        assert kh.inconsistent_cards(path) == []  # each copy is one committed state
