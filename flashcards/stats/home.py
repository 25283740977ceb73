"""The two figures the home screen shows: reviews done today and the current streak."""

from __future__ import annotations

from dataclasses import dataclass

from peewee import fn

from flashcards.stats._common import HasClock, as_date, current_streak
from flashcards.storage import Review


@dataclass(frozen=True)
class HomeFigures:
    reviews_today: int  # scheduled answers today (drills not counted)
    streak: int  # days in a row with at least one review, ending today (or yesterday)


def home_figures(col: HasClock) -> HomeFigures:
    """Today's review count and the current streak, for every deck; two small indexed queries."""
    today = col.clock.today()
    reviews = (
        Review.select(fn.COUNT(Review.id))
        .where(Review.review_day == today, Review.drill == False)  # noqa: E712
        .scalar()
    )
    days = {
        as_date(d)
        for (d,) in Review.select(Review.review_day)
        .where(Review.review_day <= today)
        .distinct()
        .tuples()
    }
    return HomeFigures(reviews_today=int(reviews or 0), streak=current_streak(days, today))
