"""Read-only statistics over the review log and the cards, returned as plain dataclasses."""

from flashcards.stats.home import HomeFigures, home_figures

__all__ = ["HomeFigures", "home_figures"]
