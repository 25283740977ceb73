"""The home screen's deck list: the `Parent::Child` tree with new and due counts.

A DataTable rather than a Tree because the counts line up in right-aligned columns and a whole
row is the cursor; subdecks are indented under their parent, and a parent folds (`left`, or
`space` on the home screen) to hide its subdecks and unfolds (`right`). The first row stands for
every deck at once. The deck column takes the width the table is given, so the counts sit at its
right edge rather than next to the longest name. Counts are coloured as Anki colours them: new
blue, due green, zero dimmed.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

from rich.text import Text
from textual.binding import Binding
from textual.css.scalar import Unit
from textual.message import Message
from textual.widgets import DataTable
from textual.widgets.data_table import RowDoesNotExist

from flashcards.decks.names import ancestors as parent_names
from flashcards.sanitize import clean_line
from flashcards.services.deck_list import DeckCounts

ALL_DECKS_KEY = "\x00all"
"""Row key of the 'All decks' row; cannot clash with a deck name."""
COUNT_WIDTH = 5
FOLDED, UNFOLDED, LEAF = "▸ ", "▾ ", "  "
NEW_STYLE, DUE_STYLE = "bold dodger_blue1", "bold green3"


class DeckTable(DataTable):
    """Decks with their new/due counts; Enter (or a click on a selected row) asks to review one."""

    BINDINGS = [
        Binding("enter", "select_cursor", "Review", show=True),
        Binding("left", "fold", "Fold", show=False),
        Binding("right", "unfold", "Unfold", show=False),
    ]
    """Enter shadows DataTable's hidden one so the footer says what Enter does here."""

    @dataclass
    class ReviewRequested(Message):
        """The user chose a deck to review; `deck` is None for every deck."""

        deck: str | None

    @dataclass
    class DeckHighlighted(Message):
        """The cursor moved to a deck (None: the 'All decks' row)."""

        deck: str | None

    def __init__(self, **kwargs) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)
        self.counts: list[DeckCounts] = []
        self.folded: set[str] = set()
        self.parents: set[str] = set()
        self._deck_width = 0

    def show(self, counts: list[DeckCounts]) -> None:
        """Replace the rows, keeping the cursor on the same deck where it still exists."""
        self.counts = counts
        self.parents = {parent for c in counts for parent in parent_names(c.name)}
        self.folded &= self.parents
        self._rebuild()

    def _rebuild(self) -> None:
        selected = self.selected_deck_key()
        deck_width = self._fitting_deck_width()
        if deck_width != self._deck_width or not self.columns:
            self.clear(columns=True)
            self._deck_width = deck_width
            self.add_column(Text("Deck"), key="deck", width=deck_width)  # no markup to parse
            self.add_column(Text("New", justify="right"), key="new", width=COUNT_WIDTH)
            self.add_column(Text("Due", justify="right"), key="due", width=COUNT_WIDTH)
        else:
            self.clear()
        top = [c for c in self.counts if c.depth == 0]
        self.add_row(
            Text(LEAF + "All decks", style="bold"),
            _num(sum(c.new_today for c in top), NEW_STYLE),
            _num(sum(c.due_today for c in top), DUE_STYLE),
            key=ALL_DECKS_KEY,
        )
        for c in self.counts:
            if any(parent in self.folded for parent in parent_names(c.name)):
                continue
            marker = LEAF
            if c.name in self.parents:
                marker = FOLDED if c.name in self.folded else UNFOLDED
            label = "  " * c.depth + marker + clean_line(c.name.rsplit("::", 1)[-1])
            self.add_row(
                Text(label, overflow="ellipsis", no_wrap=True),
                _num(c.new_today, NEW_STYLE),
                _num(c.due_today, DUE_STYLE),
                key=c.name,
            )
        if selected is not None:
            # A deck gone since (deleted elsewhere, or folded away) leaves the cursor where it is.
            with contextlib.suppress(RowDoesNotExist):
                self.move_cursor(row=self.get_row_index(selected))

    def _fitting_deck_width(self) -> int:
        """The deck column's width: what the table is given, less the counts and cell padding."""
        counts = 2 * (COUNT_WIDTH + 2 * self.cell_padding)
        scrollbar = 2  # kept free, so a scrollbar appearing does not push the counts off
        return max(12, self._width() - counts - 2 * self.cell_padding - scrollbar)

    def _width(self) -> int:
        """The table's width; before its first layout (the home screen fills it for its first
        paint, when the table is alone in its row), the width it is about to get: the
        terminal's, within its max-width. Else the first frame drew the deck column 12 cells
        wide, and widened it a frame later."""
        if self.size.width:
            return self.size.width
        width = self.app.size.width
        cap = self.styles.max_width
        if cap is not None and cap.unit == Unit.CELLS:
            width = min(width, int(cap.value))
        return width

    def on_resize(self) -> None:
        if self.counts and self._fitting_deck_width() != self._deck_width:
            self._rebuild()

    def selected_deck_key(self) -> str | None:
        """The row key under the cursor (ALL_DECKS_KEY for every deck), None when empty."""
        if not self.row_count:
            return None
        return self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value

    def selected_deck(self) -> str | None:
        """The deck under the cursor; None means every deck."""
        key = self.selected_deck_key()
        return None if key in (None, ALL_DECKS_KEY) else key

    def toggle(self) -> None:
        """Fold the parent under the cursor, or unfold it."""
        deck = self.selected_deck()
        if deck in self.folded:
            self.action_unfold()
        else:
            self.action_fold()

    def action_fold(self) -> None:
        """Hide the subdecks of the deck under the cursor (on a subdeck: fold its parent)."""
        deck = self.selected_deck()
        if deck is None:
            return
        if deck not in self.parents or deck in self.folded:
            parents = parent_names(deck)
            if not parents:
                return
            deck = parents[-1]
        self.folded.add(deck)
        self._rebuild()
        self.move_cursor(row=self.get_row_index(deck))

    def action_unfold(self) -> None:
        deck = self.selected_deck()
        if deck in self.folded:
            self.folded.discard(deck)
            self._rebuild()

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        key = event.row_key.value
        self.post_message(self.DeckHighlighted(None if key == ALL_DECKS_KEY else key))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        key = event.row_key.value
        self.post_message(self.ReviewRequested(None if key == ALL_DECKS_KEY else key))


def _num(value: int, style: str) -> Text:
    return Text(str(value), justify="right", style="dim" if value == 0 else style)
