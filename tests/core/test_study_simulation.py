"""Day-by-day simulations of the study service against hand-computed expectations.

Each scenario drives `StudySession` with a `FixedClock` over days or weeks and checks due dates,
both daily limits, the same-day drill, bury, suspend, leeches, undo and the rollover hour.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from flashcards.clock import FixedClock
from flashcards.errors import UserError
from flashcards.services.collection import Collection
from flashcards.services.daily_limits import raise_new_limit_today
from flashcards.services.study import StudySession
from flashcards.storage import Card, Review
from flashcards.storage.dialect import is_sqlite
from tests.conftest import add_cards

D = dt.date


def state(card_id: int) -> tuple[int, int, int, dt.date | None, int]:
    c = Card.get_by_id(card_id)
    return (c.repetitions, c.interval, c.easiness, c.due, c.lapses)


def order(session: StudySession) -> list[tuple[int, str]]:
    """The whole remaining queue, read without answering (main then drill)."""
    return session.pending()


def test_three_days_due_dates_drill_bury_suspend_and_rollover(
    col: Collection, clock: FixedClock
) -> None:
    col.settings = replace(col.settings, new_per_day=3)
    c0, c1, c2, c3, c4 = add_cards(col, "Lang", 5)

    # Day 1, Mon 2 March 10:00: three new cards (the limit), c1 drilled until graded 4.
    s = StudySession(col, "Lang")
    assert order(s) == [(c0, "new"), (c1, "new"), (c2, "new")]
    assert s.answer(4).due == D(2026, 3, 3)
    r = s.answer(3)
    assert (r.after.easiness, r.again_today) == (236, True)
    s.answer(5)
    assert s.counts().drill == 1 and s.current().id == c1 and s.current().queue == "drill"
    assert s.answer(3).drill  # still below 4: again
    assert s.answer(4).drill
    assert s.current() is None
    assert state(c0) == (1, 1, 250, D(2026, 3, 3), 0)
    assert state(c1) == (1, 1, 236, D(2026, 3, 3), 0)  # drills left the SM-2 state alone
    assert state(c2) == (1, 1, 260, D(2026, 3, 3), 0)
    drills = Review.select().where(Review.drill == True).count()  # noqa: E712
    assert (Review.select().count(), drills) == (5, 2)
    summary = s.summary()
    assert (summary.reviewed, summary.correct, summary.new_learned, summary.drills) == (3, 3, 3, 2)
    assert summary.next_due == D(2026, 3, 3)
    # The new-card limit counts cards already started today.
    assert order(StudySession(col, "Lang")) == []

    # Day 2, Tue 3 March: the three reviews (due order, then id), then the last two new cards.
    clock.advance(days=1)
    s = StudySession(col, "Lang")
    assert order(s) == [(c0, "review"), (c1, "review"), (c2, "review"), (c3, "new"), (c4, "new")]
    s.answer(4)  # c0 -> (2, 6)
    lapse = s.answer(1)  # c1 fails: a lapse, since it had one repetition
    assert (lapse.lapse, lapse.after) == (True, replace(lapse.after, repetitions=0, interval=1))
    s.bury()  # c2 hidden until tomorrow
    s.suspend()  # c3
    s.answer(5)  # c4
    assert s.current().id == c1 and s.current().queue == "drill"
    s.answer(4)
    assert s.current() is None
    assert state(c0) == (2, 6, 250, D(2026, 3, 9), 0)
    assert state(c1) == (0, 1, 236, D(2026, 3, 4), 1)
    assert state(c2) == (1, 1, 260, D(2026, 3, 3), 0)
    assert Card.get_by_id(c2).buried_until == D(2026, 3, 4)
    assert Card.get_by_id(c3).suspended and state(c3)[3] is None
    assert state(c4) == (1, 1, 260, D(2026, 3, 4), 0)
    assert order(StudySession(col, "Lang")) == []  # c2 buried, c3 suspended, rest not due

    # Day 3: at 02:00 on Thursday it is still Wednesday's study day (rollover hour 4).
    clock.set(dt.datetime(2026, 3, 5, 2, 0))
    assert clock.today() == D(2026, 3, 4)
    s = StudySession(col, "Lang")
    assert order(s) == [(c2, "review"), (c1, "review"), (c4, "review")]  # most overdue first
    for q in (5, 4, 4):
        s.answer(q)
    assert state(c2) == (2, 6, 270, D(2026, 3, 10), 0)
    assert state(c1) == (1, 1, 236, D(2026, 3, 5), 1)
    assert state(c4) == (2, 6, 260, D(2026, 3, 10), 0)
    days = {
        r.review_day for r in Review.select().where(Review.reviewed_at >= dt.datetime(2026, 3, 5))
    }
    assert days == {D(2026, 3, 4)}


def test_review_limit_spreads_over_days(col: Collection, clock: FixedClock) -> None:
    col.settings = replace(col.settings, reviews_per_day=2, new_per_day=0)
    ids = add_cards(col, "D", 5)
    for offset, card_id in enumerate(ids):
        Card.update(
            repetitions=1, interval=1, due=D(2026, 2, 20) + dt.timedelta(days=offset)
        ).where(Card.id == card_id).execute()
    s = StudySession(col, "D")
    assert [c for c, _ in order(s)] == ids[:2]
    s.answer(5)
    # One review done today: a new session has room for just one more.
    assert [c for c, _ in order(StudySession(col, "D"))] == [ids[1]]
    s.answer(5)
    assert order(StudySession(col, "D")) == []
    clock.advance(days=1)
    assert [c for c, _ in order(StudySession(col, "D"))] == ids[2:4]


def test_new_limit_caps_each_deck_and_its_subtree_and_can_be_raised_for_today(
    col: Collection, clock: FixedClock
) -> None:
    col.settings = replace(col.settings, new_per_day=3)
    a = add_cards(col, "P::A", 5, prefix="a")
    b = add_cards(col, "P::B", 5, prefix="b")
    s = StudySession(col, "P")
    assert [c for c, _ in order(s)] == a[:3]  # P's own limit caps its subdecks together
    assert [c for c, _ in order(StudySession(col, "P::B"))] == b[:3]
    s.answer(5)
    s.answer(5)
    assert [c for c, _ in order(StudySession(col, "P"))] == [a[2]]
    assert [c for c, _ in order(StudySession(col, "P::A"))] == [a[2]]
    raise_new_limit_today(col, "P::A", 2)
    assert [c for c, _ in order(StudySession(col, "P::A"))] == a[2:5]
    clock.advance(days=1)  # the raise was for yesterday only
    assert [c for c, q in order(StudySession(col, "P::A")) if q == "new"] == a[2:5]


def test_leech_after_eight_lapses_over_weeks(col: Collection, clock: FixedClock) -> None:
    (card,) = add_cards(col, "L", 1)
    lapses = 0
    for day in range(16):
        s = StudySession(col, "L")
        assert s.current() is not None and s.current().id == card, f"day {day}"
        if day % 2 == 0:
            r = s.answer(3)  # learned again: one repetition
            assert not r.lapse
            s.answer(4)  # clears the drill
        else:
            r = s.answer(0)
            lapses += 1
            assert r.lapse and r.leech is (lapses == 8)
            if not r.leech:
                s.answer(4)
        assert s.current() is None
        clock.advance(days=1)
    c = Card.get_by_id(card)
    assert (c.lapses, c.suspended, "leech" in c.tags.split()) == (8, True, True)
    assert StudySession(col, "L").current() is None  # a suspended leech is out of every queue


def test_undo_twice_restores_both_cards_and_log(col: Collection, clock: FixedClock) -> None:
    c0, c1, c2 = add_cards(col, "U", 3)
    before = {c: Card.get_by_id(c).__data__.copy() for c in (c0, c1)}
    s = StudySession(col, "U")
    s.answer(5)
    clock.advance(seconds=5)
    s.answer(2)
    assert Review.select().count() == 2
    assert s.undo().id == c1
    assert s.undo().id == c0
    assert Review.select().count() == 0
    for c in (c0, c1):
        assert Card.get_by_id(c).__data__ == before[c]
    assert order(s) == [(c0, "new"), (c1, "new"), (c2, "new")]
    with pytest.raises(LookupError):
        s.undo()


def test_undo_bury_and_suspend(col: Collection) -> None:
    c0, c1 = add_cards(col, "U", 2)
    s = StudySession(col, "U")
    s.bury()
    s.suspend()
    assert s.current() is None
    s.undo()
    assert not Card.get_by_id(c1).suspended and s.current().id == c1
    s.undo()
    assert Card.get_by_id(c0).buried_until is None and s.current().id == c0


def test_cram_writes_nothing(col: Collection) -> None:
    ids = add_cards(col, "C", 2)
    Card.update(repetitions=2, interval=6, due=D(2026, 4, 1)).where(Card.id == ids[0]).execute()
    s = StudySession(col, "C", cram=True)
    assert [c for c, _ in order(s)] == ids
    s.answer(1)
    s.answer(5)
    s.answer(5)  # the drill of the first
    assert s.current() is None
    assert Review.select().count() == 0
    assert state(ids[0]) == (2, 6, 250, D(2026, 4, 1), 0)


def test_clock_moved_back_gives_no_negative_interval(col: Collection, clock: FixedClock) -> None:
    (card,) = add_cards(col, "B", 1)
    StudySession(col, "B").answer(5)
    clock.set(dt.datetime(2026, 2, 1, 10, 0))  # a month earlier
    Card.update(due=D(2026, 2, 1)).where(Card.id == card).execute()
    r = StudySession(col, "B").answer(4)
    assert r.after.interval == 6 and r.due == D(2026, 2, 7)


def test_answer_validates_quality_and_changes_nothing(col: Collection) -> None:
    (card,) = add_cards(col, "V", 1)
    s = StudySession(col, "V")
    with pytest.raises(ValueError):
        s.answer(True)  # type: ignore[arg-type]
    assert s.current().id == card and Review.select().count() == 0


def test_a_failed_write_leaves_the_session_as_it_was(col: Collection) -> None:
    c0, c1 = add_cards(col, "W", 2)
    s = StudySession(col, "W")
    # Every write now fails, as on a full disk.
    read_only = (
        "PRAGMA query_only = {}"
        if is_sqlite(col.db)
        else ("SET default_transaction_read_only = {}")
    )
    col.db.execute_sql(read_only.format(1))
    with pytest.raises(UserError, match="read-only"):
        s.answer(5)
    with pytest.raises(UserError, match="read-only"):
        s.bury()
    col.db.execute_sql(read_only.format(0))
    assert s.current().id == c0 and s.counts().new == 2
    assert Review.select().count() == 0 and state(c0) == (0, 0, 250, None, 0)
    s.answer(5)
    assert s.current().id == c1 and Review.select().count() == 1


def test_undo_through_drills_restores_the_queue_exactly(col: Collection) -> None:
    c0, c1, c2 = add_cards(col, "Q", 3)
    s = StudySession(col, "Q")
    snapshots = [order(s)]
    for q in (3, 5, 2, 3, 4):  # c0 drilled, c1 passes, c2 drilled, then both drills again
        s.answer(q)
        snapshots.append(order(s))
    assert snapshots[3] == [(c0, "drill"), (c2, "drill")]
    assert snapshots[-1] == [(c0, "drill")]
    for expected in reversed(snapshots[:-1]):
        s.undo()
        assert order(s) == expected
    assert Review.select().count() == 0


def test_two_sessions_answering_one_card_build_on_each_other(
    col: Collection, clock: FixedClock, db_target: str
) -> None:
    """Both answers count and the card ends as a replay of its log says, not as the last
    session's stale copy would have it."""
    from flashcards.scheduler import Sm2State, review
    from flashcards.services.collection import open_collection

    (card,) = add_cards(col, "T", 1)
    first = StudySession(col, "T")
    assert first.current().id == card
    other = open_collection(db_target, clock=clock)
    try:
        StudySession(other, "T").answer(5)
        result = first.answer(4)  # shown before the other answer, saved after it
    finally:
        other.close()
    assert (result.before, result.after) == (Sm2State(1, 1, 260), Sm2State(2, 6, 260))
    replayed = Sm2State()
    for row in Review.select().order_by(Review.id):
        replayed = review(replayed, row.quality)
    assert state(card)[:3] == (replayed.repetitions, replayed.interval, replayed.easiness)
