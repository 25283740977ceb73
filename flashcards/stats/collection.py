"""`collection_stats`: every figure of the statistics screen and of `flashcards stats`, at once."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from flashcards.stats._common import OpenCollection, deck_tree_ids
from flashcards.stats.cards import (
    CardCounts,
    EaseCount,
    ForecastDay,
    HardCard,
    counts_and_easiness,
    forecast,
    hardest_cards,
)
from flashcards.stats.reviews import (
    DayCount,
    Retention,
    RetentionFigure,
    Streak,
    TodayStats,
    review_figures,
)
from flashcards.storage.binding import runs_on_collection


@dataclass(frozen=True)
class CollectionStats:
    """Statistics for every deck (`deck` None) or one deck and its subdecks, on study day `day`."""

    deck: str | None
    day: dt.date
    today: TodayStats
    streak: Streak
    reviews_per_day: tuple[DayCount, ...]  # the last 365 days, oldest first, today last
    retention: tuple[Retention, ...]  # last 7, 30 and 365 days
    forecast: tuple[ForecastDay, ...]  # the next 30 days, today first
    counts: CardCounts
    easiness: tuple[EaseCount, ...]
    hardest: tuple[HardCard, ...]

    @property
    def last_30_days(self) -> tuple[DayCount, ...]:
        return self.reviews_per_day[-30:]

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict (dates as ISO strings), the shape `flashcards stats --json` prints."""

        def figure(f: RetentionFigure) -> dict[str, Any]:
            return {"reviews": f.reviews, "correct": f.correct, "rate": f.rate}

        t = self.today
        return {
            "deck": self.deck,
            "day": self.day.isoformat(),
            "today": {
                "reviews": t.reviews,
                "new": t.new,
                "drills": t.drills,
                "correct": t.correct,
                "correct_share": t.correct_share,
                "seconds": t.seconds,
            },
            "streak": {"current": self.streak.current, "longest": self.streak.longest},
            "retention": {
                str(r.days): {
                    "young": figure(r.young),
                    "mature": figure(r.mature),
                    "total": figure(r.total),
                }
                for r in self.retention
            },
            "reviews_per_day": [
                {"date": d.date.isoformat(), "count": d.count} for d in self.reviews_per_day
            ],
            "forecast": [{"date": f.date.isoformat(), "due": f.due} for f in self.forecast],
            "counts": {
                "new": self.counts.new,
                "learning": self.counts.learning,
                "young": self.counts.young,
                "mature": self.counts.mature,
                "suspended": self.counts.suspended,
                "leech": self.counts.leech,
                "total": self.counts.total,
            },
            "easiness": [{"easiness": e.easiness, "cards": e.cards} for e in self.easiness],
            "hardest": [
                {
                    "id": h.id,
                    "deck": h.deck,
                    "front": h.front,
                    "lapses": h.lapses,
                    "easiness": h.easiness,
                }
                for h in self.hardest
            ],
        }


@runs_on_collection
def collection_stats(col: OpenCollection, deck: str | None = None) -> CollectionStats:
    """Every figure for all decks or one deck tree; a fixed handful of grouped queries.

    Raises UserError for a deck that does not exist.
    """
    day = col.clock.today()
    deck_ids = deck_tree_ids(col.db, deck)
    reviews = review_figures(col.db, day, deck_ids)
    counts, easiness = counts_and_easiness(col.db, deck_ids)
    return CollectionStats(
        deck=deck,
        day=day,
        today=reviews.today,
        streak=reviews.streak,
        reviews_per_day=reviews.per_day,
        retention=reviews.retention,
        forecast=forecast(col.db, day, deck_ids),
        counts=counts,
        easiness=easiness,
        hardest=hardest_cards(col.db, deck_ids),
    )
