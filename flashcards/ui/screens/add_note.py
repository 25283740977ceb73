"""The Add screen: write a note (basic, reverse, cloze, type-in) into a deck, one after another.

ctrl+s adds the note and clears the front and back for the next one, keeping the deck, the type
and the tags. As you type, the line under the form says what the note will make (a cloze text:
how many cards; a text with no deletion is refused) and flags a front the deck already has.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.suggester import Suggester, SuggestFromList
from textual.widgets import Footer, Header, Input, Label, Select, Static, TextArea

from flashcards.decks.added_notes import note_table
from flashcards.errors import UserError
from flashcards.sanitize import clean_line
from flashcards.services.adding import (
    add_notes,
    cards_of,
    deck_names,
    is_duplicate,
    known_tags,
)
from flashcards.services.collection import Collection
from flashcards.ui.plain import plain_line

TYPES = (
    ("Basic", "basic"),
    ("Reverse (both ways)", "reverse"),
    ("Cloze (deletions)", "cloze"),
    ("Type the answer", "type"),
)


class LastWordSuggester(Suggester):
    """Completes the last space-separated word from a list (tags)."""

    def __init__(self, words: list[str]) -> None:
        super().__init__(case_sensitive=True)
        self.words = words

    async def get_suggestion(self, value: str) -> str | None:
        head, _, last = value.rpartition(" ")
        if not last:
            return None
        for word in self.words:
            if word.startswith(last) and word != last:
                return f"{head} {word}" if head else word
        return None


class AddNoteScreen(Screen[int]):
    """Dismisses with the number of notes added while it was open."""

    BINDINGS = [
        Binding("ctrl+s", "add", "Add", priority=True, id="add-note"),
        Binding("escape", "close", "Close", id="add-close"),
    ]

    def __init__(self, collection: Collection, deck: str | None = None) -> None:
        super().__init__()
        self.collection = collection
        self.deck = deck or ""
        self.added = 0
        self._shown_names: dict[str, str] = {}  # deck names as shown (cleaned) -> as stored

    def compose(self) -> ComposeResult:
        yield Header()
        # Shown cleaned; a typed name that is a stored one as shown means that stored deck.
        self._shown_names = {clean_line(n): n for n in deck_names(self.collection)}
        decks = list(self._shown_names)
        with Vertical(id="add-form"):
            with Horizontal(classes="add-row"):
                yield Label("Deck", classes="add-label")
                yield Input(
                    clean_line(self.deck) or (decks[0] if decks else ""),
                    id="add-deck",
                    placeholder="a deck, or a new name (Parent::Child)",
                    suggester=SuggestFromList(decks, case_sensitive=False),
                )
                yield Select(TYPES, value="basic", allow_blank=False, id="add-type")
            yield Label("Front", id="add-front-label", classes="add-label")
            yield TextArea(id="add-front")
            yield Label("Back", id="add-back-label", classes="add-label")
            yield TextArea(id="add-back")
            with Horizontal(classes="add-row"):
                yield Label("Tags", classes="add-label")
                yield Input(
                    id="add-tags",
                    placeholder="space-separated",
                    suggester=LastWordSuggester(known_tags(self.collection)),
                )
            yield Static(id="add-status")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#add-front", TextArea).focus()
        self._update_status()

    # -- the form -----------------------------------------------------------------------------

    def _kind(self) -> str:
        return str(self.query_one("#add-type", Select).value)

    def _table(self) -> dict:
        front = self.query_one("#add-front", TextArea).text
        back = self.query_one("#add-back", TextArea).text
        tags = tuple(self.query_one("#add-tags", Input).value.split())
        return note_table(self._kind(), front, back, tags)

    def _deck(self) -> str:
        typed = self.query_one("#add-deck", Input).value.strip()
        return self._shown_names.get(typed, typed)

    def _say(self, text: str, problem: bool = False) -> None:
        status = self.query_one("#add-status", Static)
        status.update(plain_line(text))
        status.set_class(problem, "problem")

    @on(TextArea.Changed)
    @on(Input.Changed, "#add-deck")
    @on(Select.Changed)
    def _update_status(self) -> None:
        kind = self._kind()
        self.query_one("#add-front-label", Label).update(
            Content("Text (with {{c1::deletions}})" if kind == "cloze" else "Front")
        )
        self.query_one("#add-back-label", Label).update(
            Content("Extra (optional)" if kind == "cloze" else "Back")
        )
        table = self._table()
        if not table.get("text", table.get("front", "")).strip():
            self._say("ctrl+s adds the note · escape closes")
            return
        try:
            cards = cards_of(table, "the note")
        except UserError as exc:
            self._say(str(exc).removeprefix("the note: "), problem=True)
            return
        made = f"makes {len(cards)} card{'s' if len(cards) != 1 else ''}"
        try:
            duplicate = bool(self._deck()) and is_duplicate(self.collection, self._deck(), table)
        except UserError as exc:
            self._say(str(exc), problem=True)
            return
        if duplicate:
            self._say(f"{made} · the deck already has this front (ctrl+s skips it)", True)
        else:
            self._say(f"{made} · ctrl+s adds it")

    # -- actions ------------------------------------------------------------------------------

    def action_add(self) -> None:
        table = self._table()
        try:
            report = add_notes(self.collection, self._deck(), [("the note", table)])
        except UserError as exc:
            self.notify(str(exc), severity="error")
            return
        if report.duplicates:
            self.notify("Not added: the deck already has this front", severity="warning")
            return
        self.added += 1
        cards = f"{report.cards} card{'s' if report.cards != 1 else ''}"
        self.notify(f"Added {cards} to {report.deck}")
        self.query_one("#add-front", TextArea).clear()
        self.query_one("#add-back", TextArea).clear()
        self.query_one("#add-front", TextArea).focus()

    def action_close(self) -> None:
        self.dismiss(self.added)
