"""day_stats, the per-day sums of the review log, stays exactly what the log says.

Triggers keep it. A short history is checked against figures counted by hand; longer ones after
answers, drills, undo and a pruned card against the same sums written out here afresh from
`review_log` (not taken from the schema step, which would make the check agree with itself),
and the v1 → v2 backfill likewise.
"""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
from pathlib import Path

import pytest

from flashcards.clock import FixedClock
from flashcards.services.collection import Collection, open_collection
from flashcards.services.study import StudySession
from flashcards.storage import Card, DayStat, Review
from tests.conftest import add_cards

FIXTURE = Path(__file__).parents[1] / "reliability" / "fixtures" / "v1_collection.db"


def _rows(conn, sql: str) -> list[tuple]:  # noqa: ANN001
    """Rows from a peewee Database (either backend) or a raw sqlite3 connection, days as text."""
    run = getattr(conn, "execute_sql", None) or conn.execute
    return [(str(r[0]), *r[1:]) for r in run(sql).fetchall()]


# What each day_stats column means, written from SCHEDULING.md: "scheduled" answers are the
# non-drill ones, "learned" ones were to a card reviewed before, "mature" ones to a card whose
# interval was 21 days or more, and an answer passes from grade 3.
_SCHEDULED = "NOT r.drill"
_LEARNED = f"{_SCHEDULED} AND r.before_repetitions >= 1"
_MATURE = f"{_LEARNED} AND r.before_interval >= 21"
BY_HAND = {
    "answers": "1",
    "drills": "CASE WHEN r.drill THEN 1 ELSE 0 END",
    "new_cards": f"CASE WHEN {_SCHEDULED} AND r.before_due IS NULL THEN 1 ELSE 0 END",
    "correct": f"CASE WHEN {_SCHEDULED} AND r.quality >= 3 THEN 1 ELSE 0 END",
    "learned": f"CASE WHEN {_LEARNED} THEN 1 ELSE 0 END",
    "learned_ok": f"CASE WHEN {_LEARNED} AND r.quality >= 3 THEN 1 ELSE 0 END",
    "mature": f"CASE WHEN {_MATURE} THEN 1 ELSE 0 END",
    "mature_ok": f"CASE WHEN {_MATURE} AND r.quality >= 3 THEN 1 ELSE 0 END",
    "duration_ms": "r.duration_ms",
}
COLUMNS = tuple(BY_HAND)


def from_log(conn) -> list[tuple]:  # noqa: ANN001
    sums = ", ".join(f"SUM({expr})" for expr in BY_HAND.values())
    return _rows(
        conn,
        f"SELECT r.review_day, COALESCE(c.deck_id, 0), {sums} FROM review_log r "
        "LEFT JOIN card c ON c.id = r.card_id GROUP BY 1, 2 ORDER BY 1, 2",
    )


def kept(conn) -> list[tuple]:  # noqa: ANN001
    cols = ", ".join(COLUMNS)
    rows = _rows(conn, f"SELECT day, deck_id, {cols} FROM day_stats ORDER BY 1, 2")
    # Undo can leave a row of zeros behind; it says the same as no row.
    return [r for r in rows if any(r[2:])]


def _figures(deck_id: int, day: dt.date) -> dict[str, int]:
    row = DayStat.get(DayStat.day == day, DayStat.deck_id == deck_id)
    return {column: getattr(row, column) for column in COLUMNS}


def test_a_short_history_counted_by_hand(col: Collection, clock: FixedClock) -> None:
    new_ok, new_failed = add_cards(col, "A", 2, prefix="a")
    s = StudySession(col, "A")
    s.answer(5, duration_ms=1000)  # new_ok: a new card, passed
    s.answer(2, duration_ms=2000)  # new_failed: a new card, failed, so drilled today
    s.answer(4, duration_ms=500)  # the drill of new_failed
    day = clock.today()
    assert _figures(Card.get_by_id(new_ok).deck_id, day) == {
        "answers": 3,
        "drills": 1,
        "new_cards": 2,
        "correct": 1,
        "learned": 0,
        "learned_ok": 0,
        "mature": 0,
        "mature_ok": 0,
        "duration_ms": 3500,
    }
    mature, young = add_cards(col, "B", 2, prefix="b")
    Card.update(repetitions=5, interval=30, due=day).where(Card.id == mature).execute()
    Card.update(repetitions=2, interval=6, due=day).where(Card.id == young).execute()
    s = StudySession(col, "B")
    s.answer(3, duration_ms=100)  # mature (due first: the lower id), passed with difficulty
    s.answer(1, duration_ms=200)  # young, a lapse, so drilled today
    s.answer(5, duration_ms=300)  # the drill of young
    assert _figures(Card.get_by_id(mature).deck_id, day) == {
        "answers": 3,
        "drills": 1,
        "new_cards": 0,
        "correct": 1,
        "learned": 2,
        "learned_ok": 1,
        "mature": 1,
        "mature_ok": 1,
        "duration_ms": 600,
    }


def test_answers_drills_and_undo_match_the_log(col: Collection, clock: FixedClock) -> None:
    a = add_cards(col, "A", 4, prefix="a")
    add_cards(col, "B", 2, prefix="b")
    for day in range(3):
        s = StudySession(col)
        for q in (5, 2, 4, 3, 5, 1):
            if s.current() is None:
                break
            s.answer(q, duration_ms=1500)
        while s.current() is not None:
            s.answer(4, duration_ms=700)
        if day == 1:
            s.undo()
            s.undo()
        clock.advance(days=1)
    conn = col.db
    assert kept(conn) == from_log(conn)
    row = DayStat.get(
        DayStat.day == dt.date(2026, 3, 2), DayStat.deck_id == Card.get_by_id(a[0]).deck_id
    )
    assert (row.answers, row.new_cards) == (
        Review.select()
        .join(Card)
        .where(Review.review_day == dt.date(2026, 3, 2), Card.deck == row.deck_id)
        .count(),
        4,
    )


def test_a_deleted_card_keeps_its_deck_in_the_sums(col: Collection) -> None:
    (card,) = add_cards(col, "A", 1)
    StudySession(col).answer(5)
    Card.delete_by_id(card)
    conn = col.db
    assert Review.get().card_id is None
    assert [r[:3] for r in kept(conn)] == [(dt.date(2026, 3, 2).isoformat(), 1, 1)]


@pytest.mark.sqlite_only  # the v1 fixture is a SQLite file
def test_migrating_a_v1_collection_backfills_the_sums(tmp_path: Path) -> None:
    path = tmp_path / "v1.db"
    shutil.copy(FIXTURE, path)
    with sqlite3.connect(path) as raw:
        before = from_log(raw)
        assert before, "the fixture has reviews"
    col = open_collection(path, clock=FixedClock(dt.datetime(2026, 3, 2, 10)))
    conn = col.db
    assert kept(conn) == before == from_log(conn)
    col.close()


def test_many_log_rows_a_statement_are_summed_as_one_by_one(col: Collection) -> None:
    """An import or `migrate-to` writes the log many rows a statement, and PostgreSQL sums a
    statement's rows at once (schema step 9): inserted and deleted in bulk, over several days,
    decks and kinds of answer, the sums are the log's."""
    cards = add_cards(col, "A", 3, prefix="a") + add_cards(col, "B", 2, prefix="b")
    rows = [
        {
            "card": cards[i % len(cards)],
            "reviewed_at": dt.datetime(2026, 3, 1 + i % 4, 9),
            "review_day": dt.date(2026, 3, 1 + i % 4),
            "quality": i % 6,
            "drill": i % 7 == 0,
            "duration_ms": 100 * i,
            "before_repetitions": i % 3,
            "before_interval": (i * 5) % 40,
            "before_easiness": 250,
            "before_due": None if i % 5 == 0 else dt.date(2026, 2, 20),
            "after_repetitions": i % 3 + 1,
            "after_interval": 6,
            "after_easiness": 250,
            "after_due": dt.date(2026, 3, 10),
        }
        for i in range(60)
    ]
    Review.insert_many(rows).execute()
    conn = col.db
    assert kept(conn) == from_log(conn)
    assert sum(r[2] for r in kept(conn)) == 60
    Review.delete().where(Review.quality < 3).execute()
    assert kept(conn) == from_log(conn)
