"""Beside the deck list: the selected deck's description, today's figures and two small charts.

The figures come from `flashcards.stats.deck_overview` (three queries for the selected deck,
however many decks there are) and the deck's counts the list already read; the panel only shows.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Sparkline, Static

from flashcards.sanitize import clean, clean_line
from flashcards.services.deck_list import DeckCounts
from flashcards.stats import DeckOverview
from flashcards.stats.layout import plural
from flashcards.ui.formatting import format_seconds
from flashcards.ui.widgets.week_chart import WeekChart

MAX_DESCRIPTION_LINES = 3


def _description(text: str) -> str:
    """At most a few lines of a deck's description (the panel is no reader)."""
    lines = clean(text).strip().splitlines()
    if len(lines) > MAX_DESCRIPTION_LINES:
        lines = [*lines[: MAX_DESCRIPTION_LINES - 1], lines[MAX_DESCRIPTION_LINES - 1] + " …"]
    return "\n".join(lines)


class OverviewPanel(Vertical):
    """The selected deck (None: every deck) at a glance."""

    def compose(self) -> ComposeResult:
        yield Static(id="overview-title")
        yield Static(id="overview-description")
        yield Static(id="overview-figures")
        with Horizontal(id="overview-charts"):
            yield WeekChart(id="overview-week")
            with Vertical(id="overview-history"):
                yield Static(id="overview-history-title")
                yield Sparkline([], summary_function=max, id="overview-sparkline")

    def show(self, counts: DeckCounts | None, totals: tuple[int, int], overview: DeckOverview):
        """`counts` of the deck (None for every deck, whose new/due `totals` are given)."""
        name = "All decks" if counts is None else clean_line(counts.name)
        self.query_one("#overview-title", Static).update(Content.assemble((name, "bold")))
        description = _description(counts.description) if counts else ""
        described = self.query_one("#overview-description", Static)
        described.update(Content(description))
        described.display = bool(description)
        new, due = (counts.new_today, counts.due_today) if counts else totals
        t = overview.today
        studied = t.reviews + t.drills
        self.query_one("#overview-figures", Static).update(
            Content.assemble(
                ("To study  ", "dim"),
                (f"{new} new", "bold dodger_blue1" if new else "dim"),
                " · ",
                (f"{due} due", "bold green3" if due else "dim"),
                "\n",
                ("Today     ", "dim"),
                plural(t.reviews, "review"),
                f" ({t.new} new) · " if t.new else " · ",
                plural(t.drills, "drill"),
                "\n",
                ("Studied   ", "dim"),
                plural(studied, "answer"),
                f" in {format_seconds(t.seconds)}",
            )
        )
        days = overview.last_30_days
        total = sum(d.count for d in days)
        self.query_one("#overview-history-title", Static).update(
            Content.assemble(("Last 30 days", "bold"), (f" {plural(total, 'review')}", "dim"))
        )
        self.query_one(Sparkline).data = [d.count for d in days]
        self.query_one(WeekChart).set_days(overview.next_7_days)
