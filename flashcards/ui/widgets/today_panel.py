"""One line above the deck list: reviews done today and the current streak.

The figures come from `flashcards.stats.home_figures`, a read-only query, so the panel can be
refreshed whenever the home screen comes back into view.
"""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from flashcards.services.collection import Collection
from flashcards.stats import home_figures


class TodayPanel(Static):
    """'Today: 12 reviews · streak 5 days'."""

    def refresh_figures(self, collection: Collection) -> None:
        """Ask the stats layer again (called on mount and whenever the home screen resumes)."""
        figures = home_figures(collection)
        days = "day" if figures.streak == 1 else "days"
        reviews = "review" if figures.reviews_today == 1 else "reviews"
        self.update(
            Content.assemble(
                "Today: ",
                (str(figures.reviews_today), "bold"),
                f" {reviews} · streak ",
                (str(figures.streak), "bold"),
                f" {days}",
            )
        )
