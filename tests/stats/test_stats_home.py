"""home_figures: today's scheduled reviews and the current streak, on a known log."""

from __future__ import annotations

import datetime as dt

import pytest

from flashcards.stats import HomeFigures, home_figures
from flashcards.storage import Review
from tests.conftest import add_cards

TODAY = dt.date(2026, 3, 2)  # the study day of conftest's START


def _log(card_id: int, day: dt.date, *, drill: bool = False) -> None:
    Review.create(
        card=card_id,
        reviewed_at=dt.datetime.combine(day, dt.time(12)),
        review_day=day,
        quality=4,
        drill=drill,
        before_repetitions=0,
        before_interval=0,
        before_easiness=250,
        after_repetitions=1,
        after_interval=1,
        after_easiness=250,
    )


@pytest.mark.parametrize(
    ("offsets", "drills_today", "expected"),
    [
        ([], 0, HomeFigures(0, 0)),
        ([0], 0, HomeFigures(1, 1)),
        ([0, 0, 1, 2], 2, HomeFigures(2, 3)),
        ([1, 2, 3], 0, HomeFigures(0, 3)),  # today still open: yesterday's streak stands
        ([0, 1, 3, 4, 5], 0, HomeFigures(1, 2)),  # the gap on day -2 breaks it
        ([2, 3], 0, HomeFigures(0, 0)),  # nothing yesterday or today: broken
    ],
)
def test_home_figures(col, offsets, drills_today, expected):
    (card,) = add_cards(col, "D", 1)
    for offset in offsets:
        _log(card, TODAY - dt.timedelta(days=offset))
    for _ in range(drills_today):
        _log(card, TODAY, drill=True)
    assert home_figures(col) == expected
