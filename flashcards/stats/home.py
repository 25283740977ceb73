"""The two figures the home screen shows: reviews done today and the current streak."""

from __future__ import annotations

from dataclasses import dataclass

from peewee import fn

from flashcards.stats._common import OpenCollection, current_streak
from flashcards.storage import DayStat
from flashcards.storage.binding import runs_on_collection
from flashcards.storage.stored_dates import stored_date


@dataclass(frozen=True)
class HomeFigures:
    reviews_today: int  # scheduled answers today (drills not counted)
    streak: int  # days in a row with at least one review, ending today (or yesterday)


@runs_on_collection
def home_figures(col: OpenCollection) -> HomeFigures:
    """Today's review count and the current streak, for every deck, from `day_stats` (one
    query over a row per deck and study day, not over the review log)."""
    today = col.clock.today()
    rows = (
        DayStat.select(DayStat.day, fn.SUM(DayStat.answers), fn.SUM(DayStat.drills))
        .where(DayStat.day <= today)
        .group_by(DayStat.day)
        .bind(col.db)
        .tuples()
    )
    per_day = {
        day: (int(answers or 0), int(drills or 0))
        for stored, answers, drills in rows
        if (day := stored_date(stored)) is not None
    }
    answers, drills = per_day.get(today, (0, 0))
    days = {day for day, (n, _) in per_day.items() if n > 0}
    return HomeFigures(reviews_today=answers - drills, streak=current_streak(days, today))
