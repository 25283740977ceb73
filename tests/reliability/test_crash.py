"""Killing flashcards mid-work loses nothing it reported as saved and never damages the file."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tests.reliability import kill_harness as kh
from tests.reliability.dbtools import integrity


def test_kill_between_two_answers_keeps_every_returned_answer(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    kh.make_review_db(db, cards=20)
    child = kh.Child("wait-after", str(db), "5")
    assert child.wait_for("WAITING"), child.stderr
    code = child.kill()
    assert code == -9
    answers = child.answers()
    assert len(answers) == 5
    assert integrity(db) == "ok"
    assert kh.missing_answers(db, answers) == []
    assert kh.inconsistent_cards(db) == []


def test_the_checks_notice_a_lost_answer(tmp_path: Path) -> None:
    """The harness's own checks fail on a faked loss, so a green run means something."""
    db = tmp_path / "c.db"
    kh.make_review_db(db, cards=3)
    assert kh.missing_answers(db, [(1, 999)]) == ["answer 999 of card 1 is missing"]
    conn = sqlite3.connect(db)
    conn.execute("UPDATE card SET repetitions = 3, due = '2026-03-05' WHERE id = 2")
    conn.commit()
    conn.close()
    assert kh.inconsistent_cards(db) == ["card 2 disagrees with its last review"]


def test_random_kills_during_reviews(tmp_path: Path) -> None:
    """About 30 SIGKILLs at random moments (seeded): every printed answer is in the log."""
    report = kh.run_review_kills(tmp_path / "c.db", kills=30, seed=2026)
    assert report.ok, "\n".join(report.problems[:20])
    assert report.kills == 30
    assert report.integrity_ok == 30
    assert report.answers_verified > 100  # the kills did land while answers were being written


def test_random_kills_during_an_import(tmp_path: Path) -> None:
    report = kh.run_import_kills(tmp_path, kills=6, seed=5, cards=2000)
    assert report.ok, "\n".join(report.problems[:20])
    assert report.imports_complete + report.imports_absent == 6
