"""The `?` overlay: every key of the screen underneath, read from its BINDINGS.

Reading the bindings (rather than a hand-written list) keeps the help true when keys change.
Bindings hidden from the footer (`show=False`: one grade digit each, extra scroll keys) are
left out; a screen lists those itself, as they apply in its mode, with `help_extra()` (the
review screen gives 1-4 in four-button mode, 0-5 otherwise).
"""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, Label, Static


def binding_rows(screen: Screen, app_bindings: list) -> list[tuple[str, str]]:
    """(keys, description) for the screen's shown bindings and the app's, in declaration order,
    then the lines of the screen's `help_extra()` if it has one."""
    rows: list[tuple[str, str]] = []
    seen: set[str] = set()
    for binding in [*type(screen).BINDINGS, *app_bindings]:
        if not isinstance(binding, Binding) or not binding.show or binding.action in seen:
            continue
        seen.add(binding.action)
        keys = binding.key_display or ", ".join(
            screen.app.get_key_display(Binding(k, binding.action)) for k in binding.key.split(",")
        )
        rows.append((keys, binding.description or binding.action))
    extra = getattr(screen, "help_extra", None)
    rows.extend(extra() if callable(extra) else [])
    rows.append(("ctrl+p", "Command palette: review a deck, statistics, import, themes"))
    return rows


def help_title(screen: Screen) -> str:
    """'Keys: review' for the ReviewScreen."""
    return f"Keys: {type(screen).__name__.removesuffix('Screen').lower()}"


class HelpScreen(ModalScreen[None]):
    """The keys it is given (`binding_rows`); any of escape, q or ? closes it.

    The list scrolls (arrows, page keys, the wheel) when it is taller than the terminal."""

    BINDINGS = [Binding("escape,q,question_mark", "close", "Close")]

    def __init__(self, title: str, rows: list[tuple[str, str]]) -> None:
        super().__init__()
        self.title_text = title
        self.rows = rows

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="dialog"):
            yield Label(self.title_text, id="help-title")
            yield Static(self._table(), id="help-keys")
            yield Label("escape, q or ? closes this help", classes="hint")
        yield Footer()  # this overlay's keys, not those of the screen underneath

    def _table(self) -> Table:
        """Keys left, what they do right, wrapped to the dialog's width."""
        table = Table(show_header=False, box=None, padding=(0, 2, 0, 0), expand=True)
        table.add_column("keys", no_wrap=True, style="bold")
        table.add_column("does", ratio=1)
        for keys, description in self.rows:
            table.add_row(Text(keys), Text(description))
        return table

    def on_mount(self) -> None:
        self.query_one("#dialog", VerticalScroll).focus()

    def action_close(self) -> None:
        self.dismiss(None)
