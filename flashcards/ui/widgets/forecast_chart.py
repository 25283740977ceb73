"""A column chart of the cards due on each of the next 30 days (overdue ones count today)."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.widget import Widget

from flashcards.stats import ForecastDay

BLOCKS = " ▁▂▃▄▅▆▇█"
ROWS = 5  # bar height in lines


class ForecastChart(Widget):
    """One column per day, eighth-blocks for height, the day of the month every week below."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.days: tuple[ForecastDay, ...] = ()

    def set_forecast(self, days: Sequence[ForecastDay]) -> None:
        self.days = tuple(days)
        self.refresh()

    def render(self) -> Text:
        counts = [d.due for d in self.days]
        peak = max(counts, default=0)
        total = sum(counts)
        text = Text(f"Due in the next {len(counts)} days: {total}", style="bold")
        text.append(f" (today {counts[0] if counts else 0}, overdue included)\n", style="dim")
        cell = 2 if self.size.width >= 2 * len(counts) + 6 else 1
        eighths = [round(c * ROWS * 8 / peak) if peak else 0 for c in counts]
        eighths = [max(1, e) if c else 0 for e, c in zip(eighths, counts, strict=True)]
        width = len(str(peak))
        for row in range(ROWS, 0, -1):
            axis = str(peak) if row == ROWS else ("0" if row == 1 else "")
            text.append(axis.rjust(width) + " ", style="dim")
            for e in eighths:
                fill = min(8, max(0, e - (row - 1) * 8))
                text.append(BLOCKS[fill] * (cell - 1 if cell > 1 else 1), style="cyan")
                if cell > 1:
                    text.append(" ")
            text.append("\n")
        labels = "".join(f"{d.date.day:<{cell * 7}}" for i, d in enumerate(self.days) if i % 7 == 0)
        text.append(" " * (width + 1) + labels, style="dim")
        return text
