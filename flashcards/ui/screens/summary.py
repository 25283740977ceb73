"""The end of a session: what was done and when the next review is due."""

from __future__ import annotations

import datetime as dt

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Middle
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Static

from flashcards.services.session_types import SessionSummary
from flashcards.ui.formatting import format_date, format_seconds
from flashcards.ui.navigation import LeaveReview


def summary_content(summary: SessionSummary, today: dt.date, cram: bool = False) -> Content:
    """The figures, one per line, labels left and numbers bold."""
    pct = f" ({round(100 * summary.correct / summary.reviewed)}%)" if summary.reviewed else ""
    rows = [
        ("Reviewed", str(summary.reviewed)),
        ("Correct (q ≥ 3)", f"{summary.correct}{pct}"),
        ("Time spent", format_seconds(summary.seconds)),
        ("New cards learned", str(summary.new_learned)),
        ("Drills", str(summary.drills)),
        ("Next review", format_date(summary.next_due, today)),
    ]
    parts: list = [("Cram finished (nothing was recorded)" if cram else "Session finished", "bold")]
    parts.append("\n")
    for label, value in rows:
        parts.extend(["\n", f"{label:<20}", (value, "bold")])
    return Content.assemble(*parts)


class SummaryScreen(Screen[None]):
    """Figures from `StudySession.summary()`; Enter, q or escape goes on."""

    BINDINGS = [Binding("enter,q,escape", "leave", "Done")]

    def __init__(self, summary: SessionSummary, today: dt.date, cram: bool = False) -> None:
        super().__init__()
        self.summary = summary
        self.today = today
        self.cram = cram

    def compose(self) -> ComposeResult:
        with Middle(), Center():
            yield Static(summary_content(self.summary, self.today, self.cram), id="summary")
        yield Footer()

    def action_leave(self) -> None:
        self.post_message(LeaveReview())
