"""`deck_overview`: the figures the home screen shows beside the deck list for the selected deck.

Three queries whatever the collection (the deck tree's ids, `day_stats` grouped by day, the due
dates of the next week grouped by day), read again each time the selection moves; never one
query per deck.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flashcards.stats._common import OpenCollection, deck_tree_ids
from flashcards.stats.cards import ForecastDay, forecast
from flashcards.stats.reviews import DayCount, TodayStats, review_figures
from flashcards.storage.binding import runs_on_collection

OVERVIEW_FORECAST_DAYS = 7
OVERVIEW_HISTORY_DAYS = 30


@dataclass(frozen=True)
class DeckOverview:
    """One deck tree (`deck` None: every deck) on study day `day`."""

    deck: str | None
    day: dt.date
    today: TodayStats  # what was studied today
    last_30_days: tuple[DayCount, ...]  # oldest first, today last
    next_7_days: tuple[ForecastDay, ...]  # today first (overdue cards count today)


@runs_on_collection
def deck_overview(col: OpenCollection, deck: str | None = None) -> DeckOverview:
    """Today's study, the last 30 days' reviews and the next week's due counts of a deck tree.

    Raises UserError for a deck that does not exist.
    """
    day = col.clock.today()
    deck_ids = deck_tree_ids(col.db, deck)
    reviews = review_figures(col.db, day, deck_ids)
    return DeckOverview(
        deck=deck,
        day=day,
        today=reviews.today,
        last_30_days=reviews.per_day[-OVERVIEW_HISTORY_DAYS:],
        next_7_days=forecast(col.db, day, deck_ids, days=OVERVIEW_FORECAST_DAYS),
    )
