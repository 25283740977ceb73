"""A dialog to fix a card's front and back during review, without losing its progress."""

from __future__ import annotations

from collections.abc import Callable

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, TextArea


class EditCardScreen(ModalScreen[bool]):
    """Edits a card's two sides; `save(front, back)` stores them and says whether the dialog may
    close. When the save fails (a busy collection) it stays open with the text as typed, so
    ctrl+s tries again and nothing typed is lost. Dismisses with True when saved."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", priority=True),
        Binding("escape", "cancel", "Cancel", priority=True),
    ]

    def __init__(self, front: str, back: str, save: Callable[[str, str], bool]) -> None:
        super().__init__()
        self.front = front
        self.back = back
        self.save = save

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label("Front")
            yield TextArea(self.front, id="front", soft_wrap=True)
            yield Label("Back")
            yield TextArea(self.back, id="back", soft_wrap=True)
            with Horizontal(classes="buttons"):
                yield Button("Save (ctrl+s)", variant="primary", id="save")
                yield Button("Cancel (esc)", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#front", TextArea).focus()

    def action_save(self) -> None:
        front = self.query_one("#front", TextArea).text
        back = self.query_one("#back", TextArea).text
        if not front.strip():
            self.notify("The front may not be empty", severity="error")
            return
        if self.save(front, back):
            self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)

    @on(Button.Pressed, "#save")
    def _save(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.action_cancel()
