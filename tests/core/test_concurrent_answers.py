"""Two processes answering the same cards of one collection at once (issue 8's acceptance).

Each child studies the same deck, so they answer the same cards at the same moments. Every
answer a child reports must be in the review log exactly once, nothing else may be there, and
each card's state must be what replaying its log rows through the scheduler gives: an answer
builds on the other process's, never on a stale copy. On PostgreSQL when a server is available
(the row is locked with SELECT ... FOR UPDATE), and on SQLite (BEGIN IMMEDIATE) always.
"""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from flashcards.clock import FixedClock
from flashcards.scheduler import Sm2State, review
from flashcards.services.collection import open_collection
from flashcards.storage import Card, Review
from tests.conftest import START, add_cards

ROOT = Path(__file__).parents[2]
CARDS = 15


def _answer_together(target: str) -> list[tuple[int, int]]:
    """Run two workers on `target` until both are done; the (card, review id) each reported."""
    children = [
        subprocess.Popen(
            [sys.executable, "-m", "tests.core.answer_worker", target, str(seed), "80"],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for seed in (1, 2)
    ]
    for child in children:
        assert child.stdout is not None and child.stdout.readline().strip() == "READY"
    for child in children:
        assert child.stdin is not None
        child.stdin.write("go\n")
        child.stdin.flush()
    answers: list[tuple[int, int]] = []
    ranges = []
    for child in children:
        out, err = child.communicate(timeout=60)
        assert child.returncode == 0, err[-2000:]
        mine = [tuple(map(int, line.split()[1:])) for line in out.splitlines()]
        assert len(mine) >= CARDS, "each child answered every card at least once"
        answers += mine
        ranges.append((min(r for _, r in mine), max(r for _, r in mine)))
    (a_first, a_last), (b_first, b_last) = ranges
    assert a_first < b_last and b_first < a_last, "the two children's answers interleave"
    return answers


def _check_log_and_states(answers: list[tuple[int, int]]) -> None:
    ids = Counter(review_id for _, review_id in answers)
    assert max(ids.values()) == 1, "an answer was reported twice"
    logged = {r.id: r.card_id for r in Review.select(Review.id, Review.card)}
    assert logged == {review_id: card_id for card_id, review_id in answers}
    for card in Card.select():
        state, lapses = Sm2State(), 0
        rows = Review.select().where(Review.card == card.id, ~Review.drill).order_by(Review.id)
        for row in rows:
            before = (row.before_repetitions, row.before_interval, row.before_easiness)
            assert before == (state.repetitions, state.interval, state.easiness), (card.id, row.id)
            lapses += row.quality < 3 and state.repetitions >= 1
            state = review(state, row.quality)
            assert (row.after_repetitions, row.after_interval, row.after_easiness) == (
                state.repetitions,
                state.interval,
                state.easiness,
            )
        assert (card.repetitions, card.interval, card.easiness, card.lapses) == (
            state.repetitions,
            state.interval,
            state.easiness,
            lapses,
        ), card.id
    answered_by = Counter(card_id for card_id, _ in answers)
    assert len(answered_by) == CARDS and min(answered_by.values()) >= 2  # both answered each


@pytest.fixture(params=["sqlite", "postgresql"])
def shared_target(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A collection with one deck of new cards, on a SQLite file or a PostgreSQL database."""
    if request.param == "sqlite":
        return str(tmp_path / "shared.db")
    return request.getfixturevalue("postgres_db")


def test_two_processes_answering_the_same_cards(shared_target: str) -> None:
    with open_collection(shared_target, clock=FixedClock(START)) as col:
        add_cards(col, "Shared", CARDS)
    answers = _answer_together(shared_target)
    with open_collection(shared_target, clock=FixedClock(START)) as col:
        _check_log_and_states(answers)
