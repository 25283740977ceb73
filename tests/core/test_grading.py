"""grade_card: what one grade does to a stored card row (table-driven, no database)."""

from __future__ import annotations

import datetime as dt

import pytest

from flashcards.clock import FixedClock
from flashcards.services.grading import grade_card, is_leech
from flashcards.storage.card_rows import CardRow

CLOCK = FixedClock(dt.datetime(2026, 3, 2, 10, 0))
TODAY = dt.date(2026, 3, 2)


def row(
    reps: int = 0, interval: int = 0, ease: int = 250, lapses: int = 0, tags: str = ""
) -> CardRow:
    return CardRow(
        id=1,
        deck_id=1,
        key="k",
        note="k",
        kind="basic",
        front="f",
        back="b",
        tags=tags,
        ordinal=0,
        repetitions=reps,
        interval=interval,
        easiness=ease,
        due=None if reps == 0 and interval == 0 else TODAY,
        lapses=lapses,
        suspended=False,
        buried_until=None,
        created_at=None,
        modified_at=None,
    )


@pytest.mark.parametrize(
    ("card", "quality", "state", "lapses", "leech", "suspended", "tags"),
    [
        (row(), 4, (1, 1, 250), 0, False, False, ""),
        (row(), 1, (0, 1, 250), 0, False, False, ""),  # a new card's failure is no lapse
        (row(2, 6, 250), 2, (0, 1, 250), 1, False, False, ""),
        (row(1, 1, 250, lapses=7, tags="verb"), 0, (0, 1, 250), 8, True, True, "verb leech"),
        (row(1, 1, 250, lapses=8, tags="leech"), 0, (0, 1, 250), 9, False, False, "leech"),
        (row(1, 1, 250, lapses=11, tags="leech"), 1, (0, 1, 250), 12, True, True, "leech"),
        (row(1, 1, 250, lapses=7), 3, (2, 6, 236), 7, False, False, ""),  # a pass is no lapse
    ],
)
def test_grade(card, quality, state, lapses, leech, suspended, tags) -> None:  # noqa: ANN001
    out = grade_card(card, quality, drill=False, clock=CLOCK)
    c = out.card
    assert (c.repetitions, c.interval, c.easiness) == state
    assert c.due == TODAY + dt.timedelta(days=state[1])
    assert (c.lapses, out.leech, c.suspended, c.tags) == (lapses, leech, suspended, tags)
    assert out.before_row == card and card.lapses == (lapses - out.lapse)  # input untouched


def test_a_drill_changes_nothing() -> None:
    card = row(2, 6, 250)
    out = grade_card(card, 0, drill=True, clock=CLOCK)
    assert out.card == card and out.before == out.after and not out.lapse


@pytest.mark.parametrize(
    ("lapses", "leech"), [(7, False), (8, True), (9, False), (12, True), (16, True)]
)
def test_leech_thresholds(lapses: int, leech: bool) -> None:
    assert is_leech(lapses) is leech
