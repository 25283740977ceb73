"""Figures read from the review log: today, streaks, reviews per day, true retention.

One grouped pass over the last year of the log (per study day: answers, drills, and the
young/mature retention counts), one small query for today's details and one walk over the distinct
older study days for the longest streak. The number of queries never depends on the history.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from peewee import SQL, Case, fn

from flashcards.stats._common import as_date, current_streak, longest_streak
from flashcards.storage import Card, Review

MATURE_INTERVAL = 21  # days: a card whose interval reached this is mature, as in Anki
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


def _count(condition) -> fn:
    return fn.COUNT(Case(None, [(condition, 1)]))


def _scoped(query, deck_ids: list[int] | None):
    """Limit a review-log query to the cards of some decks (None: the whole log)."""
    if deck_ids is None:
        return query
    return query.join(Card, on=(Review.card == Card.id)).where(Card.deck.in_(deck_ids))


def _older_days(before: dt.date, deck_ids: list[int] | None) -> set[dt.date]:
    """Distinct study days before `before`, for the longest streak."""
    if deck_ids is None:
        # A loose index scan: hop from one distinct day to the next on the review_day index,
        # so the cost follows the number of days, not the number of reviews.
        db = Review._meta.database
        table, param = Review._meta.table_name, db.param
        sql = (
            f'WITH RECURSIVE d(day) AS (SELECT MAX(review_day) FROM "{table}" '
            f"WHERE review_day < {param} UNION ALL "
            f'SELECT (SELECT MAX(review_day) FROM "{table}" WHERE review_day < d.day) '
            "FROM d WHERE d.day IS NOT NULL) SELECT day FROM d WHERE day IS NOT NULL"
        )
        rows = db.execute_sql(sql, (before.isoformat(),)).fetchall()
    else:
        query = Review.select(Review.review_day).where(Review.review_day < before).distinct()
        rows = _scoped(query, deck_ids).tuples()
    return {as_date(day) for (day,) in rows}


def review_figures(today: dt.date, deck_ids: list[int] | None = None) -> ReviewFigures:
    """Today, streaks, the last year day by day and true retention; three queries in all."""
    start = today - dt.timedelta(days=HISTORY_DAYS - 1)
    learned = (Review.drill == False) & (Review.before_repetitions >= 1)  # noqa: E712
    correct = Review.quality >= 3
    mature = Review.before_interval >= MATURE_INTERVAL
    per_day_query = (
        Review.select(
            Review.review_day,
            fn.COUNT(SQL("*")),
            _count(Review.drill == True),  # noqa: E712
            _count(learned),
            _count(learned & correct),
            _count(learned & mature),
            _count(learned & mature & correct),
        )
        .where(Review.review_day.between(start, today))
        .group_by(Review.review_day)
    )
    rows = {as_date(r[0]): r[1:] for r in _scoped(per_day_query, deck_ids).tuples()}

    scheduled = Review.drill == False  # noqa: E712
    today_query = Review.select(
        _count(scheduled),
        _count(scheduled & Review.before_due.is_null()),
        _count(Review.drill == True),  # noqa: E712
        _count(scheduled & correct),
        fn.COALESCE(fn.SUM(Review.duration_ms), 0),
    ).where(Review.review_day == today)
    reviews, new, drills, ok, ms = _scoped(today_query, deck_ids).tuples().get()
    today_stats = TodayStats(int(reviews), int(new), int(drills), int(ok), int(ms) / 1000)

    days = {day for day, r in rows.items() if r[0]} | _older_days(start, deck_ids)
    streak = Streak(current_streak(days, today), longest_streak(days))

    per_day = tuple(
        DayCount(day, (r[0] - r[1]) if (r := rows.get(day)) else 0)
        for day in (start + dt.timedelta(days=i) for i in range(HISTORY_DAYS))
    )
    retention = []
    for window in RETENTION_WINDOWS:
        first = today - dt.timedelta(days=window - 1)
        young_n = young_ok = mature_n = mature_ok = 0
        for day, (_, _, l_n, l_ok, m_n, m_ok) in rows.items():
            if day >= first:
                young_n += l_n - m_n
                young_ok += l_ok - m_ok
                mature_n += m_n
                mature_ok += m_ok
        young = RetentionFigure(young_n, young_ok)
        retention.append(Retention(window, young, RetentionFigure(mature_n, mature_ok)))
    return ReviewFigures(today_stats, streak, per_day, tuple(retention))
