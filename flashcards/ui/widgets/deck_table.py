"""The home screen's deck list: a table of the `Parent::Child` tree with new and due counts.

A DataTable rather than a Tree because the counts line up in columns and a whole row is the
cursor; subdecks are indented under their parent. The first row stands for every deck at once.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import DataTable
from textual.widgets.data_table import RowDoesNotExist

from flashcards.services.decks import DeckCounts
from flashcards.ui.plain import plain_cell

ALL_DECKS_KEY = "\x00all"
"""Row key of the 'All decks' row; cannot clash with a deck name."""


class DeckTable(DataTable):
    """Decks with their new/due counts; Enter (or a click on a selected row) asks to review one."""

    BINDINGS = [Binding("enter", "select_cursor", "Review", show=True)]
    """Shadows DataTable's hidden Enter so the footer says what Enter does here."""

    DEFAULT_CSS = """
    DeckTable {
        height: 1fr;
    }
    """

    @dataclass
    class ReviewRequested(Message):
        """The user chose a deck to review; `deck` is None for every deck."""

        deck: str | None

    def __init__(self, **kwargs) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)

    def on_mount(self) -> None:
        self.add_column("Deck", key="deck")
        self.add_column("New", key="new")
        self.add_column("Due", key="due")

    def show(self, counts: list[DeckCounts]) -> None:
        """Replace the rows, keeping the cursor on the same deck where it still exists."""
        selected = self.selected_deck_key()
        self.clear()
        top = [c for c in counts if c.depth == 0]
        self.add_row(
            Text("All decks", style="bold"),
            *(_num(sum(getattr(c, f) for c in top)) for f in ("new_today", "due_today")),
            key=ALL_DECKS_KEY,
        )
        for c in counts:
            label = plain_cell("  " * c.depth + c.name.rsplit("::", 1)[-1])
            self.add_row(label, _num(c.new_today), _num(c.due_today), key=c.name)
        if selected is not None:
            # A deck gone since (deleted elsewhere) leaves the cursor where it is.
            with contextlib.suppress(RowDoesNotExist):
                self.move_cursor(row=self.get_row_index(selected))

    def selected_deck_key(self) -> str | None:
        """The row key under the cursor (ALL_DECKS_KEY for every deck), None when empty."""
        if not self.row_count:
            return None
        return self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value

    def selected_deck(self) -> str | None:
        """The deck under the cursor; None means every deck."""
        key = self.selected_deck_key()
        return None if key in (None, ALL_DECKS_KEY) else key

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        key = event.row_key.value
        self.post_message(self.ReviewRequested(None if key == ALL_DECKS_KEY else key))


def _num(value: int) -> Text:
    return Text(str(value), justify="right", style="dim" if value == 0 else "")
