"""Pure helpers that the CLI and the TUI share to draw the heatmap and the forecast."""

from __future__ import annotations

from collections.abc import Sequence

from flashcards.stats.reviews import DayCount

HEAT_LEVELS = 4  # 0 = no reviews, 1..4 = quartiles of the days with reviews


def heat_level(count: int, peak: int) -> int:
    """0 for no reviews, else 1..HEAT_LEVELS by the share of the busiest day."""
    if count <= 0 or peak <= 0:
        return 0
    return min(HEAT_LEVELS, 1 + (count * HEAT_LEVELS - 1) // peak)


def calendar_weeks(days: Sequence[DayCount], max_weeks: int) -> list[list[DayCount | None]]:
    """Days as calendar columns (one list per week, Monday first), the most recent `max_weeks`.

    The first week is padded with None before the first day, the last after today.
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
    return weeks[-max_weeks:]


def scale(values: Sequence[int], width: int) -> list[int]:
    """Bar lengths in 0..width for `values`, any non-zero value at least 1."""
    peak = max(values, default=0)
    if peak <= 0:
        return [0] * len(values)
    return [max(1, round(v * width / peak)) if v else 0 for v in values]
