"""Pure helpers that the CLI and the TUI share to draw the heatmap and the forecast.

`heatmap_lines` is the one heatmap layout: `flashcards stats` and the statistics screen only map
its heat levels to colours, so the two cannot drift apart (they once did: each kept its own loop,
and the rows of one started a cell left of the others).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from flashcards.stats.reviews import DayCount

HEAT_LEVELS = 4  # 0 = no reviews, 1..4 = quartiles of the days with reviews
HEAT_COLOURS = ("grey23", "dark_green", "green4", "green3", "bright_green")
"""The colour of each heat level (Rich colour names, which Textual reads too)."""
WEEKDAY_LABELS = ("Mon", "", "Wed", "", "Fri", "", "Sun")
LABEL_WIDTH = 4  # "Mon "
GLYPH = "■"

Segment = tuple[str, int | None]
"""A run of text and its heat level; None for labels (drawn dim)."""


def heat_level(count: int, peak: int) -> int:
    """0 for no reviews, else 1..HEAT_LEVELS by the share of the busiest day."""
    if count <= 0 or peak <= 0:
        return 0
    return min(HEAT_LEVELS, 1 + (count * HEAT_LEVELS - 1) // peak)


def calendar_weeks(days: Sequence[DayCount], max_weeks: int) -> list[list[DayCount | None]]:
    """Days as calendar columns (one list per week, Monday first), the most recent `max_weeks`.

    The last week is padded with None after today. A first week the history starts in the
    middle of is left out: a lone Sunday cell left of every other row read as a row out of line.
    """
    if not days or max_weeks <= 0:
        return []
    weeks: list[list[DayCount | None]] = []
    week: list[DayCount | None] = [None] * days[0].date.weekday()
    for day in days:
        week.append(day)
        if len(week) == 7:
            weeks.append(week)
            week = []
    if week:
        weeks.append(week + [None] * (7 - len(week)))
    if len(weeks) > 1 and weeks[0][0] is None:
        weeks = weeks[1:]
    return weeks[-max_weeks:]


def _monday(week: list[DayCount | None]) -> dt.date:
    """The Monday of a calendar column (some of its days may be padding)."""
    day = next(d for d in week if d is not None)
    return day.date - dt.timedelta(days=day.date.weekday())


def month_labels(weeks: list[list[DayCount | None]], cell: int) -> str:
    """A line of month names, each above the column of the week its first day falls in.

    A name that would run into the next one, or past the last week, is left out (a narrow map
    shows every other month).
    """
    line, end = "", len(weeks) * cell
    for index, week in enumerate(weeks):
        monday = _monday(week)
        first = next(
            (d for d in (monday + dt.timedelta(days=i) for i in range(7)) if d.day == 1), None
        )
        if first is None and index > 0:
            continue
        name = (first or monday).strftime("%b")
        column = index * cell
        if column >= len(line) + (1 if line else 0) and column + len(name) <= end:
            line = line.ljust(column) + name
    return line


def heatmap_lines(days: Sequence[DayCount], width: int) -> list[list[Segment]]:
    """The heatmap in `width` columns: month names, a row per weekday, then a legend.

    A column per week, as many recent weeks as fit; two characters a week (a gap between them)
    when the whole year fits that way, else one. Every row has the same label width and one
    cell per week, padding included, so the rows line up whatever the first day's weekday.
    """
    room = max(1, width - LABEL_WIDTH)
    cell = 2 if room >= 2 * 53 else 1
    weeks = calendar_weeks(days, room // cell)
    peak = max((d.count for d in days), default=0)
    lines: list[list[Segment]] = [[(" " * LABEL_WIDTH + month_labels(weeks, cell), None)]]
    for weekday, name in enumerate(WEEKDAY_LABELS):
        line: list[Segment] = [(name.ljust(LABEL_WIDTH), None)]
        for week in weeks:
            day = week[weekday]
            text = GLYPH.ljust(cell)
            line.append((" " * cell, None) if day is None else (text, heat_level(day.count, peak)))
        lines.append(line)
    legend: list[Segment] = [(" " * LABEL_WIDTH + "less ", None)]
    legend += [(GLYPH, level) for level in range(HEAT_LEVELS + 1)]
    legend.append((" more", None))
    lines.append(legend)
    return lines


def heatmap_weeks(days: Sequence[DayCount], width: int) -> int:
    """How many weeks `heatmap_lines` shows in `width` columns (for the title above it)."""
    room = max(1, width - LABEL_WIDTH)
    return len(calendar_weeks(days, room // (2 if room >= 2 * 53 else 1)))


def scale(values: Sequence[int], width: int) -> list[int]:
    """Bar lengths in 0..width for `values`, any non-zero value at least 1."""
    peak = max(values, default=0)
    if peak <= 0:
        return [0] * len(values)
    return [max(1, round(v * width / peak)) if v else 0 for v in values]


def plural(count: int, word: str, many: str | None = None) -> str:
    """'1 lapse', '2 lapses', '0 lapses'."""
    return f"{count} {word if count == 1 else (many or word + 's')}"
