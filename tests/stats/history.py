"""Builders for known review histories: cards and review-log rows written directly.

Writing rows (rather than driving a StudySession for weeks) lets a test state exactly which day,
grade, drill flag and prior state each answer had, so every figure can be computed by hand.
"""

from __future__ import annotations

import datetime as dt

from flashcards.storage import Card, Review
from flashcards.storage.binding import runs_on_collection
from tests.conftest import add_cards


@runs_on_collection
def card(col, deck: str = "D", **state) -> int:
    """One card in `deck` with the given state fields (repetitions, interval, due, …)."""
    (card_id,) = add_cards(col, deck, 1, prefix=f"c{Card.select().count()}_")
    if state:
        Card.update(**state).where(Card.id == card_id).execute()
    return card_id


def log(
    card_id: int,
    day: dt.date,
    quality: int = 4,
    *,
    drill: bool = False,
    reps: int = 0,
    interval: int = 0,
    seconds: float = 0,
    at: dt.datetime | None = None,
) -> None:
    """One answer on study day `day`; reps/interval are the card's state before it (0 = new)."""
    Review.create(
        card=card_id,
        reviewed_at=at or dt.datetime.combine(day, dt.time(12)),
        review_day=day,
        quality=quality,
        drill=drill,
        duration_ms=int(seconds * 1000),
        before_repetitions=reps,
        before_interval=interval,
        before_easiness=250,
        before_due=None if reps == 0 and interval == 0 else day,
        after_repetitions=reps + 1 if quality >= 3 else 0,
        after_interval=1,
        after_easiness=250,
        after_due=day + dt.timedelta(days=1),
    )
