"""Shown instead of a review when nothing is due: when the next card is, and what else to do.

Offers a few more new cards today (raises today's limit for this deck only) or a cram session,
which goes through every card and writes nothing.
"""

from __future__ import annotations

import datetime as dt

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Middle
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Static

from flashcards.sanitize import clean_line
from flashcards.ui.formatting import format_date

EXTRA_NEW = 10
"""How many more new cards `n` allows today."""


class NothingDueScreen(Screen[None]):
    """'Nothing due in X. Next card: tomorrow.' with n / c / q."""

    BINDINGS = [
        Binding("n", "more_new", f"{EXTRA_NEW} more new cards"),
        Binding("c", "cram", "Cram"),
        Binding("q,escape", "leave", "Back"),
    ]

    def __init__(self, deck: str | None, next_due: dt.date | None, today: dt.date) -> None:
        super().__init__()
        self.deck = deck
        self.next_due = next_due
        self.today = today

    def compose(self) -> ComposeResult:
        name = self.deck or "any deck"
        text = Content.assemble(
            ("Nothing due in ", "bold"),
            (clean_line(name), "bold $accent"),
            (".", "bold"),
            "\n\nNext card due: ",
            (format_date(self.next_due, self.today), "bold"),
            "\n\n",
            ("n", "bold"),
            f"  study {EXTRA_NEW} more new cards today\n",
            ("c", "bold"),
            "  cram: go through every card (nothing is recorded)\n",
            ("q", "bold"),
            "  back",
        )
        with Middle(), Center():
            yield Static(text, id="nothing-due")
        yield Footer()

    def action_more_new(self) -> None:
        self.app.study_more_new(self.deck, EXTRA_NEW)

    def action_cram(self) -> None:
        self.app.open_review(self.deck, cram=True, replace=True)

    def action_leave(self) -> None:
        self.app.leave_review()
