"""A dialog to fix a card's front and back during review, without losing its progress.

The text areas show the sides cleaned (a TextArea passes an ESC in the text straight to the
terminal). A side the user did not touch is returned as it was, controls and all, so opening
and saving the dialog changes nothing; an edited side is saved as shown, controls made visible.
"""

from __future__ import annotations

from collections.abc import Callable

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Input, Label, TextArea

from flashcards.sanitize import clean, clean_line


class EditCardScreen(ModalScreen[bool]):
    """Edits a card's two sides; `save(front, back)` stores them and says whether the dialog may
    close. When the save fails (a busy collection) it stays open with the text as typed, so
    ctrl+s tries again and nothing typed is lost. Dismisses with True when saved."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", priority=True),
        Binding("escape", "cancel", "Cancel", priority=True),
    ]

    def __init__(
        self,
        front: str,
        back: str,
        save: Callable[..., bool],
        tags: tuple[str, ...] | None = None,
    ) -> None:
        """With `tags`, the note's tags are edited too and `save(front, back, tags)` gets them."""
        super().__init__()
        self.front = front
        self.back = back
        self.save = save
        self.tags = tags

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label("Front")
            yield TextArea(clean(self.front), id="front", soft_wrap=True)
            yield Label("Back")
            yield TextArea(clean(self.back), id="back", soft_wrap=True)
            if self.tags is not None:
                yield Label("Tags")
                yield Input(clean_line(" ".join(self.tags)), id="tags", compact=True)
            with Horizontal(classes="buttons"):
                yield Button("Save (ctrl+s)", variant="primary", id="save", compact=True)
                yield Button("Cancel (esc)", id="cancel", compact=True)
        yield Footer()  # this dialog's keys, not those of the review underneath

    def on_mount(self) -> None:
        self.query_one("#front", TextArea).focus()

    def action_save(self) -> None:
        front = self._edited(self.front, self.query_one("#front", TextArea).text)
        back = self._edited(self.back, self.query_one("#back", TextArea).text)
        if not front.strip():
            self.notify("The front may not be empty", severity="error")
            return
        if self.tags is None:
            saved = self.save(front, back)
        else:
            typed = self.query_one("#tags", Input).value
            tags = self.tags if typed == clean_line(" ".join(self.tags)) else tuple(typed.split())
            saved = self.save(front, back, tags)
        if saved:
            self.dismiss(True)

    @staticmethod
    def _edited(original: str, shown: str) -> str:
        """The side to save: the original when what was shown of it was left as it was."""
        return original if shown == clean(original) else shown

    def action_cancel(self) -> None:
        self.dismiss(False)

    @on(Button.Pressed, "#save")
    def _save(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.action_cancel()
