"""Read-only statistics over the review log and the cards, returned as plain dataclasses.

Every function reads the study day from the collection's clock and issues a fixed number of
grouped queries, however long the history or large the collection.
"""

from flashcards.stats.cards import CardCounts, EaseCount, ForecastDay, HardCard
from flashcards.stats.collection import CollectionStats, collection_stats
from flashcards.stats.home import HomeFigures, home_figures
from flashcards.stats.overview import DeckOverview, deck_overview
from flashcards.stats.reviews import DayCount, Retention, RetentionFigure, Streak, TodayStats

__all__ = [
    "CardCounts",
    "CollectionStats",
    "DayCount",
    "DeckOverview",
    "EaseCount",
    "ForecastDay",
    "HardCard",
    "HomeFigures",
    "Retention",
    "RetentionFigure",
    "Streak",
    "TodayStats",
    "collection_stats",
    "deck_overview",
    "home_figures",
]
