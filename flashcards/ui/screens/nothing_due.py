"""Shown instead of a review when nothing is due: when the next card is, and what else to do.

Offers ten more new cards today (raises today's limit for the deck reviewed, and is offered only
when it has new cards waiting) or a cram session, which goes through every card and writes
nothing. The screen asks the app to do either with a message (`ui.navigation`).
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
from flashcards.ui.navigation import CramRequested, LeaveReview, StudyMoreNew

EXTRA_NEW = 10
"""How many more new cards `n` allows today."""


class NothingDueScreen(Screen[None]):
    """'Nothing due in X. Next card: tomorrow.' with n (when new cards wait) / c / q."""

    BINDINGS = [
        Binding("n", "more_new", f"{EXTRA_NEW} more new cards"),
        Binding("c", "cram", "Cram"),
        Binding("q,escape", "leave", "Back"),
    ]

    def __init__(
        self, deck: str | None, next_due: dt.date | None, today: dt.date, new_waiting: int = 0
    ) -> None:
        super().__init__()
        self.deck = deck
        self.next_due = next_due
        self.today = today
        self.new_waiting = new_waiting

    def compose(self) -> ComposeResult:
        name = self.deck or "any deck"
        parts: list = [
            ("Nothing due in ", "bold"),
            (clean_line(name), "bold $accent"),
            (".", "bold"),
            "\n\nNext card due: ",
            (format_date(self.next_due, self.today), "bold"),
            "\n\n",
        ]
        if self.new_waiting:
            more = min(EXTRA_NEW, self.new_waiting)
            parts += [("n", "bold"), f"  study {more} more new cards today\n"]
        else:
            parts.append(("No new cards are waiting in this deck.\n", "dim"))
        parts += [
            ("c", "bold"),
            "  cram: go through every card (nothing is recorded)\n",
            ("q", "bold"),
            "  back",
        ]
        with Middle(), Center():
            yield Static(Content.assemble(*parts), id="nothing-due")
        yield Footer()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """`n` only when it would give new cards."""
        if action == "more_new":
            return self.new_waiting > 0
        return True

    def action_more_new(self) -> None:
        self.post_message(StudyMoreNew(self.deck, EXTRA_NEW))

    def action_cram(self) -> None:
        self.post_message(CramRequested(self.deck))

    def action_leave(self) -> None:
        self.post_message(LeaveReview())
