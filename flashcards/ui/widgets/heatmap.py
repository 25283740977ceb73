"""A calendar heatmap of reviews per day: a column per week, a row per weekday, like GitHub's.

The layout (month names, aligned rows, how many weeks fit) is `flashcards.stats.layout`'s, the
same `flashcards stats` prints; this widget only colours it and fits it to its width.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.widget import Widget

from flashcards.stats import DayCount
from flashcards.stats.layout import HEAT_COLOURS, heatmap_lines, heatmap_weeks


class Heatmap(Widget):
    """Reviews per day over the last year; shows as many recent weeks as the width allows."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.days: tuple[DayCount, ...] = ()

    def set_days(self, days: Sequence[DayCount]) -> None:
        self.days = tuple(days)
        self.refresh()

    def render(self) -> Text:
        width = self.content_region.width or self.size.width
        peak = max((d.count for d in self.days), default=0)
        total = sum(d.count for d in self.days)
        weeks = heatmap_weeks(self.days, width)
        text = Text(f"Reviews: {total} in the last {weeks} weeks", style="bold")
        text.append(f" (busiest day {peak})", style="dim")
        for line in heatmap_lines(self.days, width):
            text.append("\n")
            for segment, level in line:
                text.append(segment, style="dim" if level is None else HEAT_COLOURS[level])
        return text
