"""The study session's one write path: a failed write is a one-line `UserError` that leaves the
session's queues and undo stack as they were (so it can be retried); a card another process
deleted is skipped, not a KeyError; a stored value out of SM-2's range never crashes grading."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from flashcards.errors import UserError
from flashcards.services.collection import Collection
from flashcards.services.grading import MAX_COUNT
from flashcards.services.study import CardDeleted, StudySession
from flashcards.storage import Card, Review
from flashcards.storage.dialect import is_sqlite
from tests.conftest import add_cards

ROOT = Path(__file__).resolve().parents[2]
SQLITE_BIG, POSTGRES_BIG = 2**63 - 1, 2**31 - 1  # the largest integer each column holds


def snapshot(s: StudySession) -> tuple:
    """Everything in memory a failed write must leave alone."""
    return (s.pending(), s.counts(), s.undo_depth, s.answered)


def read_only(col: Collection, on: bool) -> None:
    """Make every write fail (as a read-only or full collection would), or work again."""
    sql = (
        "PRAGMA query_only = {}" if is_sqlite(col.db) else "SET default_transaction_read_only = {}"
    )
    col.db.execute_sql(sql.format(int(on)))


@pytest.mark.sqlite_only  # another connection holds SQLite's one write lock
def test_a_busy_collection_is_a_user_error_and_the_session_is_unchanged(
    col: Collection, db_path: Path
) -> None:
    c0, _ = add_cards(col, "B", 2)
    s = StudySession(col, "B")
    s.answer(5)
    before = snapshot(s)
    col.db.execute_sql("PRAGMA busy_timeout = 20")
    holder = sqlite3.connect(db_path)
    holder.execute("BEGIN IMMEDIATE")
    try:
        for change in (
            lambda: s.answer(4),
            s.bury,
            s.suspend,
            s.undo_step,
            lambda: s.edit_current("new front", "new back"),
        ):
            with pytest.raises(UserError, match="busy"):
                change()
            assert snapshot(s) == before
    finally:
        holder.rollback()
        holder.close()
    assert s.current().front == "B front 1".replace("B", "q")
    assert Review.select().count() == 1


def test_a_failed_undo_keeps_its_step_and_can_be_retried(col: Collection) -> None:
    (card,) = add_cards(col, "U", 1)
    s = StudySession(col, "U")
    s.answer(5)
    read_only(col, True)
    with pytest.raises(UserError, match="read-only"):
        s.undo()
    assert s.can_undo and Review.select().count() == 1
    read_only(col, False)
    assert s.undo().id == card
    assert not s.can_undo and Review.select().count() == 0
    assert Card.get_by_id(card).due is None


def test_a_failed_edit_bury_and_suspend_change_nothing(col: Collection) -> None:
    c0, _ = add_cards(col, "E", 2)
    s = StudySession(col, "E")
    before = snapshot(s)
    read_only(col, True)
    for change in (s.bury, s.suspend, lambda: s.edit_current("x", "y")):
        with pytest.raises(UserError, match="read-only"):
            change()
        assert snapshot(s) == before and s.current().id == c0
    read_only(col, False)
    assert s.edit_current("x", "y").front == "x" and Card.get_by_id(c0).front == "x"


def test_a_card_deleted_elsewhere_is_skipped_when_answered(col: Collection) -> None:
    c0, c1 = add_cards(col, "D", 2)
    s = StudySession(col, "D")
    assert s.current().id == c0  # shown, and cached by the session
    Card.delete().where(Card.id == c0).execute()  # as `import --prune` would
    with pytest.raises(CardDeleted, match="deleted"):
        s.answer(4)
    assert s.current().id == c1 and s.counts().total == 1
    s.answer(5)
    assert s.current() is None and Review.select().count() == 1


def test_a_card_deleted_elsewhere_is_skipped_when_shown_buried_or_edited(col: Collection) -> None:
    c0, c1, c2, c3 = add_cards(col, "K", 4)
    s = StudySession(col, "K")
    Card.delete().where(Card.id == c0).execute()
    assert s.current().id == c1 and s.notices  # skipped on the way, with a notice
    Card.delete().where(Card.id == c1).execute()
    with pytest.raises(CardDeleted):
        s.bury()
    assert s.current().id == c2
    Card.delete().where(Card.id == c2).execute()
    with pytest.raises(CardDeleted):
        s.edit_current("x", "y")
    assert s.current().id == c3


def test_undo_of_an_answer_to_a_card_deleted_elsewhere(col: Collection) -> None:
    c0, c1 = add_cards(col, "Z", 2)
    s = StudySession(col, "Z")
    s.answer(5)
    Card.delete().where(Card.id == c0).execute()
    assert s.current().id == c1
    with pytest.raises(CardDeleted):
        s.undo()
    assert not s.can_undo  # the deleted card's step went with it: nothing to put back
    assert s.current().id == c1


@pytest.mark.sqlite_only  # the other process opens the same collection file
def test_import_prune_from_another_process_while_a_review_is_open(
    col: Collection, db_path: Path, tmp_path: Path
) -> None:
    deck = tmp_path / "deck.toml"
    cards = "".join(f'[[cards]]\nid = "c{i}"\nfront = "front {i}"\nback = "b"\n' for i in range(3))
    deck.write_text('[deck]\nname = "P"\n' + cards)
    run = [sys.executable, "-m", "flashcards", "--db", str(db_path), "import"]
    assert subprocess.run([*run, str(deck)], cwd=ROOT, capture_output=True).returncode == 0
    s = StudySession(col, "P")
    first = s.current()
    assert first is not None and first.front == "front 0"
    deck.write_text(
        '[deck]\nname = "P"\n'
        + cards.split("[[cards]]")[0]
        + "[[cards]]"
        + "[[cards]]".join(cards.split("[[cards]]")[2:])
    )  # without card c0
    pruned = subprocess.run([*run, "--prune", str(deck)], cwd=ROOT, capture_output=True, text=True)
    assert pruned.returncode == 0, pruned.stderr
    with pytest.raises(CardDeleted):
        s.answer(4)
    assert s.current().front == "front 1"
    s.answer(4)


@pytest.mark.parametrize("column", ["lapses", "repetitions", "easiness", "interval"])
@pytest.mark.parametrize("sign", [1, -1])
def test_a_failed_card_with_a_huge_stored_value_is_graded_safely(
    col: Collection, column: str, sign: int
) -> None:
    """`lapses = 2**63-1`, failed, used to overflow the database's integer and crash the TUI."""
    value = sign * (SQLITE_BIG if is_sqlite(col.db) else POSTGRES_BIG)
    (card,) = add_cards(col, "H", 1)
    Card.update(
        **{
            column: value,
            "repetitions": 3 if column != "repetitions" else value,
            "interval": 10 if column != "interval" else value,
        }
    ).where(Card.id == card).execute()
    s = StudySession(col, "H", cram=False)
    s.preview(1)
    result = s.answer(1)  # a lapse
    assert result.after.interval == 1
    row = Card.get_by_id(card)
    assert 0 <= row.lapses <= MAX_COUNT and row.interval == 1
    if result.again_today:  # not a leech: the same-day drill comes next
        s.answer(5)
    assert s.current() is None and Review.select().count() == 1 + result.again_today


@pytest.mark.sqlite_only  # only SQLite lets a date column hold text
def test_a_card_with_a_damaged_due_date_is_shown_and_graded(col: Collection) -> None:
    (card,) = add_cards(col, "G", 1)
    col.db.execute_sql(
        "UPDATE card SET due = '2000-13-45', repetitions = 2, interval = 6 WHERE id = ?", (card,)
    )
    s = StudySession(col, "G")  # due as text sorts before today: it is in the review queue
    assert s.current().id == card
    assert s.answer(5).after.interval == 15  # ceil(6 * 2.5): the rest of the state counts
    assert Card.get_by_id(card).due is not None  # a real date again


@pytest.mark.parametrize("stored", ["abc", "-5", "99999999999999999999"])
def test_a_damaged_extra_new_cards_count_does_not_stop_the_session(
    col: Collection, stored: str
) -> None:
    from flashcards.services.daily_limits import raise_new_limit_today
    from flashcards.storage import Meta

    add_cards(col, "N", 3)
    raise_new_limit_today(col, "N", 1)
    Meta.update(value=stored).where(Meta.key.startswith("extra_new:")).execute()
    s = StudySession(col, "N")
    assert s.counts().new == 3
    raise_new_limit_today(col, "N", 10)  # builds on it without failing


@pytest.mark.sqlite_only  # only SQLite lets a date column hold text
def test_a_damaged_future_due_date_does_not_stop_the_summary(col: Collection) -> None:
    (card,) = add_cards(col, "F", 1)
    col.db.execute_sql("UPDATE card SET due = 'zzzz', repetitions = 1 WHERE id = ?", (card,))
    assert StudySession(col, "F").summary().next_due is None
