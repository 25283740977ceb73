"""The home screen: the deck tree with new and due counts, the selected deck at a glance.

Counts are read again whenever the screen comes back into view (after a review, an import or
statistics), when the app resumes after a suspend (ctrl+z, then `fg`), and when the study day
changes under it: a timer asks the injected clock for the study day every
`DAY_CHECK_SECONDS`, so a home screen left open across the rollover hour (04:00) shows the new
day's due cards instead of yesterday's.

The screen takes the collection in its constructor and asks the app to navigate with messages
(`ReviewRequested`, `StatsRequested`, `ImportRequested`, `BrowseRequested`); it never reaches
into the app.
On a narrow terminal (the `-narrow` class, styles in app.tcss) the overview sits below the list.

The first paint is the header and the deck list (cold start is a benchmark target, `home_cold_ms`):
today's figures, the overview and the footer are mounted right after it. Given the `first` counts
and a `load` instead of a collection (`flashcards`, see `ui/quick_home.py`), the screen paints
those counts, then opens the collection and reads them again through the services; until then
(`ready`) its keys do nothing, and Enter on a deck waits for it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual import on
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Static

from flashcards.errors import UserError
from flashcards.services.deck_list import DeckCounts
from flashcards.ui.heap import settle
from flashcards.ui.widgets.deck_table import DeckTable
from flashcards.ui.widgets.title_bar import TitleBar

if TYPE_CHECKING:  # the services load after the first paint (see `load`)
    from flashcards.services.collection import Collection

NARROW = 70
"""Below this many columns the overview goes under the deck list instead of beside it."""


class HomeScreen(Screen[None]):
    """Deck list and overview; Enter reviews the selected deck ('All decks' reviews everything)."""

    BINDINGS = [
        Binding("enter", "review", "Review", id="review"),
        Binding("space", "fold", "Fold", key_display="␣", id="fold"),
        Binding("s", "stats", "Stats", id="stats"),
        Binding("slash", "browse", "Browse", key_display="/", id="browse"),
        Binding("i", "import", "Import", id="import"),
        # Add and the deck keys: in the help (?), not the footer, which has no room at 60 columns.
        Binding("a", "add", "Add", show=False, id="add"),
        Binding("n", "new_deck", "New deck", show=False, id="new-deck"),
        Binding("r", "rename_deck", "Rename deck", show=False, id="rename-deck"),
        Binding("o", "deck_options", "Deck options", show=False, id="deck-options"),
        Binding("delete", "delete_deck", "Delete deck", show=False, id="delete-deck"),
        Binding("q", "app.quit", "Quit", id="quit"),
    ]

    DAY_CHECK_SECONDS = 30.0
    """How often the clock is asked whether the study day changed (a cheap call, no query)."""

    narrow: reactive[bool] = reactive(False)

    # Plain message classes, not dataclasses: this module is imported before the first paint,
    # and defining a dataclass compiles three methods (about 0.3 ms a class).
    class ReviewRequested(Message):
        """Review a deck tree; None: every deck."""

        def __init__(self, deck: str | None) -> None:
            super().__init__()
            self.deck = deck

    class StatsRequested(Message):
        """Statistics of a deck tree; None: every deck."""

        def __init__(self, deck: str | None) -> None:
            super().__init__()
            self.deck = deck

    class ImportRequested(Message):
        """Open the import dialog."""

    class BrowseRequested(Message):
        """Open the card browser."""

    class AddRequested(Message):
        """Open the Add screen on a deck (None: the first deck)."""

        def __init__(self, deck: str | None) -> None:
            super().__init__()
            self.deck = deck

    def __init__(
        self,
        collection: Collection | None,
        *,
        first: list[DeckCounts] | None = None,
        load: Callable[[], Collection] | None = None,
    ) -> None:
        """`collection`, or (None) the `first` counts to paint and `load` to open it."""
        super().__init__()
        assert collection is not None or (first is not None and load is not None)
        self.collection: Collection = collection  # type: ignore[assignment]  (set by `load`)
        self._first = first
        self._load = load
        self.day = collection.clock.today() if collection is not None else None
        self.counts_by_name: dict[str, DeckCounts] = {}
        self.ready = False  # everything mounted and the collection open
        self._review_when_ready: list[str | None] = []  # Enter on a deck before `ready`

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with Horizontal(id="home-body"):
            yield DeckTable(id="decks")
            yield Static(
                "No decks yet. Press i to import a deck file (TOML, CSV/TSV or .apkg).",
                id="empty",
            )

    def on_mount(self) -> None:
        if self._first is not None:
            self._show_counts(self._first)
        else:
            self.refresh_counts()
        self.query_one(DeckTable).focus()
        self.set_interval(self.DAY_CHECK_SECONDS, self.check_day)
        self.app.app_resume_signal.subscribe(self, self._resumed)
        self.call_after_refresh(self._complete)

    async def _complete(self) -> None:
        """After the first paint: the collection (when it was not given), today's figures, the
        overview and the footer."""
        if self.collection is None:
            assert self._load is not None
            try:
                self.collection = self._load()
            except UserError:
                return  # the app is exiting with the message
        from flashcards.ui.widgets.key_footer import KeyFooter
        from flashcards.ui.widgets.overview_panel import OverviewPanel
        from flashcards.ui.widgets.today_panel import TodayPanel

        await self.mount(TodayPanel(), after=self.query_one(TitleBar))
        await self.query_one("#home-body").mount(OverviewPanel(id="overview"))
        footer = KeyFooter()
        footer.compact = self.narrow
        footer.show_command_palette = not self.narrow
        await self.mount(footer)
        self.ready = True
        self.refresh_bindings()  # a footer mounted late must be told which keys there are
        self.refresh_counts()
        for deck in self._review_when_ready:
            self.post_message(self.ReviewRequested(deck))
        self._review_when_ready.clear()
        settle()  # the start's objects frozen: later collector passes skip them (`heap.py`)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The screen's keys act once it is complete (`ready`). A key typed ahead of the first
        paint arrives while the panels above are still mounting, and a browser opened over
        that half-mounted screen drew its table in its headers' widths; such a key is dropped."""
        return self.ready

    def on_screen_resume(self) -> None:
        self.refresh_counts()

    def _resumed(self, _app: App) -> None:
        self.refresh_counts()

    def check_day(self) -> None:
        """Refresh when the study day changed since the counts were read (the rollover hour)."""
        if self.ready and self.collection.clock.today() != self.day:
            self.refresh_counts()

    def on_resize(self) -> None:
        self.narrow = self.size.width < NARROW

    def watch_narrow(self, narrow: bool) -> None:
        self.set_class(narrow, "-narrow")
        for footer in self.query("Footer"):  # mounted after the first paint
            # Every key of the screen still fits on one line at 60 columns; ctrl+p, which works
            # everywhere and is in the help (?), gives up its place.
            footer.compact = narrow
            footer.show_command_palette = not narrow

    def refresh_counts(self) -> None:
        """Re-read deck counts, today's figures and the selected deck's overview."""
        if self.collection is None:
            return  # the first counts are shown; the collection opens after the first paint
        from flashcards.services.decks import deck_counts

        self.day = self.collection.clock.today()
        counts = deck_counts(self.collection, totals=False)  # new and due only, as Anki's list
        self._show_counts(counts)
        if not self.ready:
            return
        from flashcards.ui.widgets.overview_panel import OverviewPanel
        from flashcards.ui.widgets.today_panel import TodayPanel

        self.query_one(TodayPanel).refresh_figures(self.collection)
        self.query_one(OverviewPanel).display = bool(counts)
        if counts:
            self.show_overview(self.query_one(DeckTable).selected_deck())

    def _show_counts(self, counts: list[DeckCounts]) -> None:
        self.counts_by_name = {c.name: c for c in counts}
        table = self.query_one(DeckTable)
        table.show(counts)
        self.query_one("#empty").display = not counts
        table.display = bool(counts)

    def show_overview(self, deck: str | None) -> None:
        """The overview of `deck` (None: every deck)."""
        from flashcards.stats import deck_overview
        from flashcards.ui.widgets.overview_panel import OverviewPanel

        counts = None if deck is None else self.counts_by_name.get(deck)
        if not self.ready or (deck is not None and counts is None):
            return  # a deck deleted since the list was read: the next refresh drops it
        top = [c for c in self.counts_by_name.values() if c.depth == 0]
        totals = (sum(c.new_today for c in top), sum(c.due_today for c in top))
        overview = deck_overview(self.collection, deck)
        self.query_one(OverviewPanel).show(counts, totals, overview)

    @on(DeckTable.DeckHighlighted)
    def _highlighted(self, event: DeckTable.DeckHighlighted) -> None:
        event.stop()
        self.show_overview(event.deck)

    @on(DeckTable.ReviewRequested)
    def _review_requested(self, event: DeckTable.ReviewRequested) -> None:
        event.stop()
        if self.ready:
            self.post_message(self.ReviewRequested(event.deck))
        elif not self._review_when_ready:  # typed ahead of the collection: once it is open
            self._review_when_ready.append(event.deck)

    def action_review(self) -> None:
        """Enter when the table is not focused (the table handles Enter itself)."""
        table = self.query_one(DeckTable)
        if table.row_count:
            self.post_message(self.ReviewRequested(table.selected_deck()))

    def action_fold(self) -> None:
        self.query_one(DeckTable).toggle()

    def action_stats(self) -> None:
        self.post_message(self.StatsRequested(self.query_one(DeckTable).selected_deck()))

    def action_import(self) -> None:
        self.post_message(self.ImportRequested())

    def action_browse(self) -> None:
        self.post_message(self.BrowseRequested())

    # Deck keys: the dialogs live in ui/deck_actions.py (loaded when one is opened).
    def action_add(self) -> None:
        self.post_message(self.AddRequested(self.query_one(DeckTable).selected_deck()))

    def action_new_deck(self) -> None:
        from flashcards.ui import deck_actions

        deck_actions.new_deck(self, self.collection, self.refresh_counts)

    def action_rename_deck(self) -> None:
        from flashcards.ui import deck_actions

        deck = self.query_one(DeckTable).selected_deck()
        deck_actions.rename(self, self.collection, deck, self.refresh_counts)

    def action_delete_deck(self) -> None:
        from flashcards.ui import deck_actions

        deck = self.query_one(DeckTable).selected_deck()
        deck_actions.delete(self, self.collection, deck, self.refresh_counts)

    def action_deck_options(self) -> None:
        from flashcards.ui import deck_actions

        deck = self.query_one(DeckTable).selected_deck()
        deck_actions.options(self, self.collection, deck, self.refresh_counts)

    def help_extra(self) -> list[tuple[str, str]]:
        """Keys of the deck list itself, for the help screen."""
        return [
            ("↑ ↓", "Move through the decks"),
            ("← →", "Fold / unfold the subdecks of the deck under the cursor"),
        ]
