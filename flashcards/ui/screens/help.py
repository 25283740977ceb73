"""The `?` overlay: every key of the screen underneath, read from its BINDINGS.

Reading the bindings (rather than a hand-written list) keeps the help true when keys change.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Label


def binding_rows(screen: Screen, app_bindings: list) -> list[tuple[str, str]]:
    """(keys, description) for the screen's bindings and the app's, in declaration order."""
    rows: list[tuple[str, str]] = []
    seen: set[str] = set()
    for binding in [*type(screen).BINDINGS, *app_bindings]:
        if not isinstance(binding, Binding) or binding.action in seen:
            continue
        seen.add(binding.action)
        keys = binding.key_display or ", ".join(
            screen.app.get_key_display(Binding(k, binding.action)) for k in binding.key.split(",")
        )
        rows.append((keys, binding.description or binding.action))
    rows.append(("ctrl+p", "Command palette: review a deck, statistics, import, themes"))
    return rows


class HelpScreen(ModalScreen[None]):
    """Keys of the screen it was opened over; any of escape, q or ? closes it."""

    BINDINGS = [Binding("escape,q,question_mark", "close", "Close")]

    def __init__(self, screen: Screen, app_bindings: list) -> None:
        super().__init__()
        self.rows = binding_rows(screen, app_bindings)
        extra = getattr(screen, "help_extra", None)
        self.extra = extra() if callable(extra) else []
        self.title_text = f"Keys: {type(screen).__name__.removesuffix('Screen').lower()}"

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(self.title_text, id="help-title")
            table = DataTable(show_header=False, cursor_type="none", id="help-keys")
            yield table
            yield Label("escape, q or ? closes this help", classes="hint")

    def on_mount(self) -> None:
        table = self.query_one("#help-keys", DataTable)
        table.add_columns("key", "does")
        for keys, description in self.rows:
            table.add_row(Text(keys, style="bold"), Text(description))
        for keys, description in self.extra:
            table.add_row(Text(keys, style="bold"), Text(description))

    def action_close(self) -> None:
        self.dismiss(None)
