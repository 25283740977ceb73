"""Figures read from the review log: today, streaks, reviews per day, true retention.

All of them come from `day_stats`, the log's sums per study day and deck: one query, whose
size follows the number of study days, never the number of answers.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from peewee import Database, fn

from flashcards.stats._common import current_streak, longest_streak
from flashcards.storage import DayStat
from flashcards.storage.binding import runs_on_collection
from flashcards.storage.stored_dates import stored_date

HISTORY_DAYS = 365
RETENTION_WINDOWS = (7, 30, 365)


@dataclass(frozen=True)
class TodayStats:
    """Today's study: scheduled answers (drills apart), first answers of new cards, time spent."""

    reviews: int  # scheduled answers, drills not counted
    new: int  # of those, first answers of new cards
    drills: int  # same-day drill answers
    correct: int  # scheduled answers graded q >= 3
    seconds: float  # time spent on every answer, drills included

    @property
    def correct_share(self) -> float | None:
        return self.correct / self.reviews if self.reviews else None


@dataclass(frozen=True)
class Streak:
    current: int  # days in a row with a review, ending today (or yesterday while today is open)
    longest: int


@dataclass(frozen=True)
class DayCount:
    date: dt.date
    count: int  # scheduled answers that day (drills not counted)


@dataclass(frozen=True)
class RetentionFigure:
    """Scheduled answers to already-learned cards and how many of them were correct (q >= 3)."""

    reviews: int
    correct: int

    @property
    def rate(self) -> float | None:
        return self.correct / self.reviews if self.reviews else None

    def __add__(self, other: RetentionFigure) -> RetentionFigure:
        return RetentionFigure(self.reviews + other.reviews, self.correct + other.correct)


@dataclass(frozen=True)
class Retention:
    """True retention over the last `days` study days (today included)."""

    days: int
    young: RetentionFigure  # interval before the answer < 21 days
    mature: RetentionFigure  # interval before the answer >= 21 days

    @property
    def total(self) -> RetentionFigure:
        return self.young + self.mature


@dataclass(frozen=True)
class ReviewFigures:
    """Everything read from the review log, as `collection_stats` hands it on."""

    today: TodayStats
    streak: Streak
    per_day: tuple[DayCount, ...]  # the last 365 days, oldest first, today last
    retention: tuple[Retention, ...]  # one per window in RETENTION_WINDOWS


@runs_on_collection
def review_figures(
    db: Database, today: dt.date, deck_ids: list[int] | None = None
) -> ReviewFigures:
    """Today, streaks, the last year day by day and true retention, from `day_stats`.

    `day_stats` holds the review log's sums per study day and deck (kept by triggers, see
    storage/schema_v2.py), so this reads at most a row per deck per day that had answers,
    however many answers there were: one query in all.
    """
    start = today - dt.timedelta(days=HISTORY_DAYS - 1)
    query = (
        DayStat.select(
            DayStat.day,
            fn.SUM(DayStat.answers),
            fn.SUM(DayStat.drills),
            fn.SUM(DayStat.new_cards),
            fn.SUM(DayStat.correct),
            fn.SUM(DayStat.learned),
            fn.SUM(DayStat.learned_ok),
            fn.SUM(DayStat.mature),
            fn.SUM(DayStat.mature_ok),
            fn.SUM(DayStat.duration_ms),
        )
        .group_by(DayStat.day)
        .bind(db)
    )
    if deck_ids is not None:
        query = query.where(DayStat.deck_id.in_(deck_ids))
    rows = {
        day: tuple(int(v or 0) for v in r[1:])
        for r in query.tuples()
        if (day := stored_date(r[0])) is not None
    }

    answers, drills, new, ok, *_, ms = rows.get(today, (0,) * 9)
    today_stats = TodayStats(answers - drills, new, drills, ok, ms / 1000)

    days = {day for day, r in rows.items() if r[0]}
    streak = Streak(current_streak(days, today), longest_streak(days))

    per_day = tuple(
        DayCount(day, (r[0] - r[1]) if (r := rows.get(day)) else 0)
        for day in (start + dt.timedelta(days=i) for i in range(HISTORY_DAYS))
    )
    retention = []
    for window in RETENTION_WINDOWS:
        first = today - dt.timedelta(days=window - 1)
        young_n = young_ok = mature_n = mature_ok = 0
        for day, r in rows.items():
            if first <= day <= today:
                l_n, l_ok, m_n, m_ok = r[4:8]
                young_n += l_n - m_n
                young_ok += l_ok - m_ok
                mature_n += m_n
                mature_ok += m_ok
        young = RetentionFigure(young_n, young_ok)
        retention.append(Retention(window, young, RetentionFigure(mature_n, mature_ok)))
    return ReviewFigures(today_stats, streak, per_day, tuple(retention))
