"""The review screen's top line: cards left by queue and a progress bar.

Drilled cards come back, so the total grows during a session; the bar's total is always
'done + left' and never goes backwards except on undo.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import ProgressBar, Static

from flashcards.sanitize import clean_line
from flashcards.services.session_types import QueueCounts


class SessionProgress(Horizontal):
    """'new 3 · review 2 · drill 1' and a bar of cards done out of done + left."""

    def compose(self) -> ComposeResult:
        yield Static(id="counts")
        yield ProgressBar(show_eta=False, id="bar")

    def show(self, deck_label: str, counts: QueueCounts, done: int) -> None:
        """Update both parts at once."""
        self.query_one("#counts", Static).update(
            Content.assemble(
                (clean_line(deck_label), "bold"),
                "  new ",
                (str(counts.new), "bold $primary"),
                " · review ",
                (str(counts.review), "bold $success"),
                " · drill ",
                (str(counts.drill), "bold $warning"),
            )
        )
        self.query_one("#bar", ProgressBar).update(total=max(1, done + counts.total), progress=done)
