"""A calendar heatmap of reviews per day: a column per week, a row per weekday, like GitHub's."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.widget import Widget

from flashcards.stats import DayCount
from flashcards.stats.layout import calendar_weeks, heat_level

LEVEL_STYLES = ("grey23", "dark_green", "green4", "green3", "bright_green")
LABEL = 4  # "Mon "
WEEKDAYS = ("Mon", "", "Wed", "", "Fri", "", "Sun")


class Heatmap(Widget):
    """Reviews per day over the last year; shows as many recent weeks as the width allows."""

    DEFAULT_CSS = """
    Heatmap {
        height: 9;
        width: 1fr;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.days: tuple[DayCount, ...] = ()

    def set_days(self, days: Sequence[DayCount]) -> None:
        self.days = tuple(days)
        self.refresh()

    def render(self) -> Text:
        room = max(1, self.size.width - LABEL)
        cell = 2 if room >= 2 * 53 else 1  # a gap between weeks when the whole year fits
        weeks = calendar_weeks(self.days, room // cell)
        peak = max((d.count for d in self.days), default=0)
        total = sum(d.count for d in self.days)
        text = Text(f"Reviews: {total} in the last {len(weeks)} weeks", style="bold")
        text.append(f" (busiest day {peak})\n", style="dim")
        for weekday, name in enumerate(WEEKDAYS):
            text.append(name.ljust(LABEL), style="dim")
            for week in weeks:
                day = week[weekday]
                glyph = "■".ljust(cell)
                if day is None:
                    text.append(" " * cell)
                else:
                    text.append(glyph, style=LEVEL_STYLES[heat_level(day.count, peak)])
            text.append("\n")
        text.append(" " * LABEL + "less ", style="dim")
        for style in LEVEL_STYLES:
            text.append("■", style=style)
        text.append(" more", style="dim")
        return text
