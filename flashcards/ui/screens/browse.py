"""The card browser: a search box, the matching cards, and the selected card in full.

Typing searches after a short pause (Enter searches at once); the search runs in a thread
worker so the screen never waits on the database. Space marks cards; suspend, unsuspend, forget,
set due, move, tag and delete act on the marked cards, or on the one under the cursor when none
is marked, through the same services as the command line (`id:` queries of the chosen cards).
Enter on a card opens it in full with its whole review history.
"""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Input, Static

from flashcards.errors import UserError
from flashcards.sanitize import clean_line
from flashcards.services.cards import SearchResult, card_details, search_cards
from flashcards.services.collection import Collection
from flashcards.ui.widgets.card_pane import CardPane
from flashcards.ui.widgets.card_table import CardTable
from flashcards.ui.widgets.key_hint import KeyHint
from flashcards.ui.widgets.title_bar import TitleBar

DEBOUNCE_SECONDS = 0.3
SHOWN = 500  # rows listed at most; the status line says when more match


class BrowseScreen(Screen[None]):
    """Search and act on cards; escape leaves the search box, then the screen.

    The bulk changes (`services.card_changes`, ~10 ms to import) are imported by the actions
    that use them, not to open the browser."""

    BINDINGS = [
        Binding("slash", "focus_search", "Search", key_display="/", id="browse-search"),
        Binding("space", "mark", "Mark", id="browse-mark"),
        Binding("s", "suspend", "Suspend", id="browse-suspend"),
        Binding("u", "unsuspend", "Unsuspend", id="browse-unsuspend"),
        Binding("f", "forget", "Forget", id="browse-forget"),
        Binding("r", "set_due", "Set due", id="browse-set-due"),
        Binding("m", "move", "Move", id="browse-move"),
        Binding("t", "tag", "Tag", id="browse-tag"),
        Binding("delete,d", "delete", "Delete", id="browse-delete"),
        Binding("a", "add", "Add", id="browse-add"),
        Binding("E", "edit_in_editor", "Edit in $EDITOR", id="browse-editor"),
        Binding("escape", "back", "Back", id="browse-back"),
    ]

    def __init__(self, collection: Collection, query: str = "") -> None:
        super().__init__()
        self.collection = collection
        self.initial_query = query
        self._debounce: Timer | None = None
        self._found = ""

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Input(
            self.initial_query,
            placeholder="Search, e.g. deck:French is:due  (docs/search.md)",
            id="search-query",
        )
        yield Static("", id="search-status")
        yield CardTable(id="cards")
        yield CardPane("No card selected.", id="card-pane")
        yield KeyHint()

    def on_mount(self) -> None:
        self.query_one(Input).focus()
        if self.initial_query.strip():
            self.search_now()
        else:
            # No query: the first SHOWN + 1 cards in id order, a few milliseconds at any size.
            # Read here, before the first layout, the first frame already holds the rows: no
            # thread to start, no second layout when they arrive.
            self._show_result(search_cards(self.collection, "", limit=SHOWN))

    # -- searching --------------------------------------------------------------------------

    @on(Input.Changed, "#search-query")
    def _changed(self) -> None:
        if self._debounce is not None:
            self._debounce.stop()
        self._debounce = self.set_timer(DEBOUNCE_SECONDS, self.search_now)

    @on(Input.Submitted, "#search-query")
    def _submitted(self) -> None:
        if self._debounce is not None:
            self._debounce.stop()
        self.search_now()
        self.query_one(CardTable).focus()

    def search_now(self) -> None:
        self._run_search(self.query_one(Input).value)

    @work(thread=True, exclusive=True, group="browse-search")
    def _run_search(self, query: str) -> None:
        """The query in a thread; the result (or the user's error) goes back to the screen."""
        try:
            result = search_cards(self.collection, query, limit=SHOWN)
        except UserError as exc:
            self.app.call_from_thread(self._show_error, str(exc))
            return
        self.app.call_from_thread(self._show_result, result)

    def _show_error(self, message: str) -> None:
        status = self.query_one("#search-status", Static)
        status.add_class("-error")
        status.update(Content(clean_line(message)), layout=False)  # one line, always

    def _show_result(self, result: SearchResult) -> None:
        status = self.query_one("#search-status", Static)
        status.remove_class("-error")
        table = self.query_one(CardTable)
        table.show(result.cards)
        n = len(result.cards)
        self._found = f"the first {n} shown" if result.more else f"{n} card{'s' if n != 1 else ''}"
        self._show_status()  # the table says which card is highlighted now

    def _show_status(self) -> None:
        marked = self.query_one(CardTable).marked
        extra = f" · {len(marked)} marked" if marked else ""
        status = self.query_one("#search-status", Static)
        status.update(Content(self._found + extra), layout=False)  # one line, always

    # -- the selected card ------------------------------------------------------------------

    def on_card_table_highlighted(self) -> None:
        self._show_selected()

    def on_card_table_selected(self, message: CardTable.Selected) -> None:
        """Enter on a card: the card in full, with its whole history, in a dialog."""
        from flashcards.ui.screens.card_details import CardDetailsScreen

        card_id = message.card_id
        try:
            card = card_details(self.collection, card_id)
        except UserError as exc:  # deleted meanwhile (another process)
            self.notify(clean_line(exc), severity="warning")
            return
        self.app.push_screen(CardDetailsScreen(card))

    def _show_selected(self) -> None:
        card_id = self.query_one(CardTable).selected_id()
        pane = self.query_one(CardPane)
        if card_id is None:
            pane.show(None)
            return
        try:
            pane.show(card_details(self.collection, card_id))
        except UserError:
            pane.show(None)  # deleted meanwhile (another process)

    # -- actions ----------------------------------------------------------------------------

    def action_add(self) -> None:
        self.app.open_add()  # type: ignore[attr-defined]

    def action_edit_in_editor(self) -> None:
        from flashcards.ui.external_editor import edit_note_in_editor

        card_id = self.query_one(CardTable).selected_id()
        if card_id is not None and edit_note_in_editor(self.app, self.collection, card_id):
            self.search_now()

    def action_focus_search(self) -> None:
        self.query_one(Input).focus()

    def action_back(self) -> None:
        if self.query_one(Input).has_focus:
            self.query_one(CardTable).focus()
        else:
            self.app.pop_screen()

    def action_mark(self) -> None:
        table = self.query_one(CardTable)
        table.toggle_mark()
        table.action_cursor_down()
        self._show_status()

    def _act(self, operation, done: str) -> None:  # noqa: ANN001
        table = self.query_one(CardTable)
        ids = table.targets()
        if not ids:
            self.notify("No card selected", severity="warning")
            return
        try:
            result = operation(self.collection, "id:" + ",".join(map(str, ids)))
        except UserError as exc:
            self.notify(clean_line(exc), severity="error")
            return
        table.marked.clear()
        cards = "card" if result.changed == 1 else "cards"
        self.notify(f"{done} {result.changed} {cards}")
        self.search_now()

    def action_suspend(self) -> None:
        from flashcards.services import card_changes as ops

        self._act(ops.suspend_cards, "Suspended")

    def action_unsuspend(self) -> None:
        from flashcards.services import card_changes as ops

        self._act(ops.unsuspend_cards, "Unsuspended")

    def action_forget(self) -> None:
        from flashcards.services import card_changes as ops

        self._act(ops.forget_cards, "Forgot")

    def _ask_then(self, question: str, hint: str, act) -> None:  # noqa: ANN001
        """Ask one line about the chosen cards, then `act(answer)`; nothing when backed out."""
        from flashcards.ui.screens.ask import AskScreen

        count = len(self.query_one(CardTable).targets())
        if not count:
            self.notify("No card selected", severity="warning")
            return
        cards = "card" if count == 1 else "cards"

        def answered(answer: str | None) -> None:
            if answer:
                act(answer)

        self.app.push_screen(AskScreen(f"{question} ({count} {cards})", hint), answered)

    def action_set_due(self) -> None:
        from flashcards.services import card_changes as ops

        self._ask_then(
            "Due in how many days?",
            "0 = today, 3 = in three days, 3-7 = spread over that range",
            lambda days: self._act(lambda col, q: ops.set_due(col, q, days), "Rescheduled"),
        )

    def action_move(self) -> None:
        from flashcards.services import card_changes as ops

        self._ask_then(
            "Move to which deck?",
            "a deck name, e.g. Languages::French (created if missing)",
            lambda deck: self._act(lambda col, q: ops.move_cards(col, q, deck), "Moved"),
        )

    def action_tag(self) -> None:
        from flashcards.services import card_changes as ops

        def retag(text: str) -> None:
            try:
                add, remove = ops.parse_tag_edits(text.split())
            except UserError as exc:
                self.notify(clean_line(exc), severity="error")
                return
            self._act(lambda col, q: ops.tag_cards(col, q, add, remove), "Retagged")

        self._ask_then("Tags to add (+tag) and remove (-tag)", "+verbs -irregular", retag)

    def action_delete(self) -> None:
        from flashcards.services import card_changes as ops
        from flashcards.ui.screens.confirm import ConfirmScreen

        count = len(self.query_one(CardTable).targets())
        if not count:
            self.notify("No card selected", severity="warning")
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self._act(ops.delete_cards, "Deleted")

        cards = "card" if count == 1 else "cards"
        question = f"Delete {count} {cards}? A backup is made first; their reviews stay in the log."
        self.app.push_screen(ConfirmScreen(question), answered)
