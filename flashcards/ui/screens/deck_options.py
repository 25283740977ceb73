"""A deck's options: its own daily limits (blank: inherited) and its description."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from flashcards.errors import UserError
from flashcards.sanitize import clean_line
from flashcards.services.collection import Collection
from flashcards.services.deck_changes import DeckOptions, deck_options, set_deck_options
from flashcards.ui.plain import plain_line


class DeckOptionsScreen(ModalScreen[DeckOptions | None]):
    """Dismisses with the options as saved, or None when cancelled."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="options-cancel"),
        Binding("ctrl+s", "save", "Save", priority=True, id="options-save"),
    ]

    def __init__(self, collection: Collection, deck: str) -> None:
        super().__init__()
        self.collection = collection
        self.options = deck_options(collection, deck)

    def compose(self) -> ComposeResult:
        o = self.options
        settings = self.collection.settings
        with Vertical(id="dialog"):
            yield Static(plain_line(f"Options of {o.name}"), id="options-title")
            with Horizontal(classes="options-row"):
                yield Label(Content("New cards a day"), classes="options-label")
                yield Input(
                    "" if o.new_per_day is None else str(o.new_per_day),
                    placeholder=f"inherited ({settings.new_per_day} by default)",
                    type="integer",
                    id="options-new",
                )
            with Horizontal(classes="options-row"):
                yield Label(Content("Reviews a day"), classes="options-label")
                yield Input(
                    "" if o.reviews_per_day is None else str(o.reviews_per_day),
                    placeholder=f"inherited ({settings.reviews_per_day} by default)",
                    type="integer",
                    id="options-reviews",
                )
            with Horizontal(classes="options-row"):
                yield Label(Content("Description"), classes="options-label")
                yield Input(clean_line(o.description), id="options-description")
            yield Static(
                Content(
                    "A blank limit is inherited from the parent deck, else the "
                    "settings. ctrl+s saves · escape cancels"
                ),
                id="options-hint",
            )
            with Horizontal(classes="buttons"):
                yield Button("Save", variant="primary", id="options-save-button")
                yield Button("Cancel", id="options-cancel-button")

    def on_mount(self) -> None:
        self.query_one("#options-new", Input).focus()

    def _limit(self, selector: str) -> int | None:
        text = self.query_one(selector, Input).value.strip()
        return int(text) if text else None

    def _description(self) -> str | None:
        """The typed description, or None (kept as stored) when the field was not touched."""
        typed = self.query_one("#options-description", Input).value
        return None if typed == clean_line(self.options.description) else typed

    @on(Button.Pressed, "#options-save-button")
    def action_save(self) -> None:
        try:
            saved = set_deck_options(
                self.collection,
                self.options.name,
                new_per_day=self._limit("#options-new"),
                reviews_per_day=self._limit("#options-reviews"),
                description=self._description(),
            )
        except (UserError, ValueError) as exc:
            self.notify(str(exc), severity="error")
            return
        self.dismiss(saved)

    @on(Button.Pressed, "#options-cancel-button")
    def action_cancel(self) -> None:
        self.dismiss(None)
