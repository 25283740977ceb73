"""The home screen: decks with their new and due counts, today's figures, and the way in.

Counts are read again whenever the screen comes back into view (after a review, an import or
statistics), so what it shows is never stale.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from flashcards.services.decks import deck_counts
from flashcards.ui.widgets.deck_table import DeckTable
from flashcards.ui.widgets.today_panel import TodayPanel


class HomeScreen(Screen[None]):
    """Deck list; Enter reviews the selected deck ('All decks' reviews everything)."""

    BINDINGS = [
        Binding("enter", "review", "Review", show=True, id="review"),
        Binding("s", "stats", "Statistics", id="stats"),
        Binding("slash", "browse", "Browse", key_display="/", id="browse"),
        Binding("i", "import", "Import", id="import"),
        Binding("q", "quit", "Quit", id="quit"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        yield TodayPanel()
        yield DeckTable(id="decks")
        yield Static(
            "No decks yet. Press i to import a deck file (TOML, CSV/TSV or .apkg).",
            id="empty",
        )
        yield Footer()

    def on_mount(self) -> None:
        self.refresh_counts()
        self.query_one(DeckTable).focus()

    def on_screen_resume(self) -> None:
        self.refresh_counts()

    def refresh_counts(self) -> None:
        """Re-read deck counts and today's figures."""
        collection = self.app.collection
        counts = deck_counts(collection, totals=False)  # new and due only, as Anki's list
        self.query_one(DeckTable).show(counts)
        self.query_one(TodayPanel).refresh_figures(collection)
        self.query_one("#empty").display = not counts
        self.query_one(DeckTable).display = bool(counts)

    @on(DeckTable.ReviewRequested)
    def _review_requested(self, event: DeckTable.ReviewRequested) -> None:
        self.app.open_review(event.deck)

    def action_review(self) -> None:
        """Enter when the table is not focused (the table handles Enter itself)."""
        table = self.query_one(DeckTable)
        if table.row_count:
            self.app.open_review(table.selected_deck())

    def action_stats(self) -> None:
        self.app.open_stats(self.query_one(DeckTable).selected_deck())

    def action_import(self) -> None:
        self.app.open_import()

    def action_browse(self) -> None:
        self.app.open_browse()

    async def action_quit(self) -> None:
        self.app.exit()
