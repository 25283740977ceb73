"""A small column chart of the cards due on each of the next seven days (overdue ones today)."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.widget import Widget

from flashcards.stats import ForecastDay

BLOCKS = " ▁▂▃▄▅▆▇█"
BAR_ROWS = 2
COLUMN = 4  # characters per day


class WeekChart(Widget):
    """The count above each column, two rows of eighth-blocks, the weekday below."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.days: tuple[ForecastDay, ...] = ()

    def set_days(self, days: Sequence[ForecastDay]) -> None:
        self.days = tuple(days)
        self.refresh()

    def render(self) -> Text:
        counts = [d.due for d in self.days]
        peak = max(counts, default=0)
        text = Text("Due next 7 days", style="bold")
        text.append("\n" + "".join(str(n).rjust(COLUMN - 1) + " " for n in counts), style="dim")
        eighths = [(max(1, round(n * BAR_ROWS * 8 / peak)) if n else 0) for n in counts]
        for row in range(BAR_ROWS, 0, -1):
            text.append("\n")
            for e in eighths:
                fill = min(8, max(0, e - (row - 1) * 8))
                text.append(" " + BLOCKS[fill] * (COLUMN - 2) + " ", style="green3")
        text.append("\n")
        for i, day in enumerate(self.days):  # today's weekday in bold: the chart starts today
            text.append(f"{day.date:%a}".rjust(COLUMN - 1) + " ", style="bold" if i == 0 else "dim")
        return text
