"""A one-line question in a dialog (a number of days, a deck, tag edits); answers through
`dismiss(text)`, or `dismiss(None)` when the user backs out."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Static


class AskScreen(ModalScreen[str | None]):
    """`question` and `hint` are plain text (never markup); enter answers, escape backs out."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="ask-cancel")]

    def __init__(self, question: str, hint: str = "", value: str = "") -> None:
        super().__init__()
        self.question = question
        self.hint = hint
        self.value = value

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(Content(self.question), id="ask-question")
            yield Input(self.value, placeholder=self.hint, id="ask-answer")
            yield Static(Content("enter to confirm · escape to cancel"), id="ask-keys")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted, "#ask-answer")
    def _submitted(self, event: Input.Submitted) -> None:
        answer = event.value.strip()
        self.dismiss(answer or None)

    def action_cancel(self) -> None:
        self.dismiss(None)
