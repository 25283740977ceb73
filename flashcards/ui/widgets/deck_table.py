"""The home screen's deck list: the `Parent::Child` tree with new and due counts.

A list rather than a Tree because the counts line up in right-aligned columns and a whole row
is the cursor; subdecks are indented under their parent, and a parent folds (`left`, or `space`
on the home screen) to hide its subdecks and unfolds (`right`). The first row stands for every
deck at once. The deck column takes the width the list is given, so the counts sit at its right
edge rather than next to the longest name. Counts are coloured as Anki colours them: new blue,
due green, zero dimmed.

It is in the home screen's first frame, so it draws one line a row through the Line API
(`LineList`) rather than being a `DataTable`, whose import, styles and per-cell renderables
were most of what the home screen's first paint cost over Textual's floor. Deck names come
from files other people wrote: sanitised with `clean_line`, laid out as plain text, never markup.
"""

from __future__ import annotations

from typing import NamedTuple

from rich.style import Style
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message

from flashcards.decks.names import ancestors as parent_names
from flashcards.sanitize import clean_line
from flashcards.services.deck_list import DeckCounts
from flashcards.ui.widgets.line_list import LineList, fit

ALL_DECKS_KEY = "\x00all"
"""Row key of the 'All decks' row; cannot clash with a deck name."""
COUNT_WIDTH = 5
PADDING = 1  # cells each side of a column, as a DataTable's cell padding
SCROLLBAR = 2  # kept free, so a scrollbar appearing does not push the counts off
COUNTS_WIDTH = 2 * (COUNT_WIDTH + 2 * PADDING)
MIN_DECK_WIDTH = 12 + 2 * PADDING
FOLDED, UNFOLDED, LEAF = "▸ ", "▾ ", "  "
BOLD = Style(bold=True)
NEW_STYLE, DUE_STYLE, ZERO_STYLE = (
    Style.parse("bold dodger_blue1"),
    Style.parse("bold green3"),
    Style(dim=True),
)


class DeckRow(NamedTuple):
    """One line of the list: its key (a deck name, or ALL_DECKS_KEY), label and counts."""

    key: str
    label: str
    new: int
    due: int


class DeckTable(LineList):
    """Decks with their new/due counts; Enter (or a click on a selected row) asks to review one."""

    BINDINGS = [
        Binding("enter", "select", "Review", show=True),
        Binding("left", "fold", "Fold", show=False),
        Binding("right", "unfold", "Unfold", show=False),
    ]
    """Enter is shown so the footer says what Enter does here."""

    # Messages are plain classes, not dataclasses: defining a dataclass compiles three methods
    # (about 0.3 ms each class), and this module is imported before the home screen's first paint.
    class ReviewRequested(Message):
        """The user chose a deck to review; `deck` is None for every deck."""

        def __init__(self, deck: str | None) -> None:
            super().__init__()
            self.deck = deck

    class DeckHighlighted(Message):
        """The cursor moved to a deck (None: the 'All decks' row)."""

        def __init__(self, deck: str | None) -> None:
            super().__init__()
            self.deck = deck

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002  (Textual's name)
        super().__init__(id=id)
        self.counts: list[DeckCounts] = []
        self.folded: set[str] = set()
        self.parents: set[str] = set()
        self._rows: list[DeckRow] = []
        self._index: dict[str, int] = {}
        self._lines: dict[int, list[str]] = {}  # row -> its cells at `_deck_width`
        self._deck_width = 0

    # -- contents ---------------------------------------------------------------------------

    @property
    def row_count(self) -> int:
        return len(self._rows)

    def show(self, counts: list[DeckCounts]) -> None:
        """Replace the rows, keeping the cursor on the same deck where it still exists."""
        self.counts = counts
        self.parents = {parent for c in counts for parent in parent_names(c.name)}
        self.folded &= self.parents
        self._rebuild()

    def row_keys(self) -> list[str]:
        """The keys of the rows listed, top to bottom (folded subdecks are not listed)."""
        return [row.key for row in self._rows]

    def row_index(self, key: str) -> int | None:
        """Where the deck `key` (or ALL_DECKS_KEY) is listed; None when it is not."""
        return self._index.get(key)

    def row_cells(self, key: str) -> tuple[str, str, str]:
        """What the row of `key` reads: its label (indent and fold marker included), new and
        due. KeyError when it is not listed."""
        row = self._rows[self._index[key]]
        return row.label, str(row.new), str(row.due)

    def move_cursor_to(self, key: str) -> None:
        """Put the cursor on the row of `key` (KeyError when it is not listed)."""
        self.cursor_row = self._index[key]

    def selected_deck_key(self) -> str | None:
        """The row key under the cursor (ALL_DECKS_KEY for every deck), None when empty."""
        if not self._rows:
            return None
        return self._rows[min(self.cursor_row, len(self._rows) - 1)].key

    def selected_deck(self) -> str | None:
        """The deck under the cursor; None means every deck."""
        key = self.selected_deck_key()
        return None if key in (None, ALL_DECKS_KEY) else key

    def _rebuild(self) -> None:
        selected = self.selected_deck_key()
        top = [c for c in self.counts if c.depth == 0]
        rows = [
            DeckRow(
                ALL_DECKS_KEY,
                LEAF + "All decks",
                sum(c.new_today for c in top),
                sum(c.due_today for c in top),
            )
        ]
        for c in self.counts:
            if any(parent in self.folded for parent in parent_names(c.name)):
                continue
            marker = LEAF
            if c.name in self.parents:
                marker = FOLDED if c.name in self.folded else UNFOLDED
            label = "  " * c.depth + marker + clean_line(c.name.rsplit("::", 1)[-1])
            rows.append(DeckRow(c.name, label, c.new_today, c.due_today))
        self._rows = rows
        self._index = {row.key: i for i, row in enumerate(rows)}
        self._lines.clear()
        self._size_to_rows()
        # A deck gone since (deleted elsewhere, or folded away) leaves the cursor where it is.
        row = self._index.get(selected, self.cursor_row) if selected is not None else 0
        self.set_reactive(DeckTable.cursor_row, self.validate_cursor_row(row))
        self._scroll_to_row(self.cursor_row)
        self.refresh()
        if self.selected_deck_key() != selected:
            self._cursor_moved()

    # -- folding ----------------------------------------------------------------------------

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
        self.move_cursor_to(deck)

    def action_unfold(self) -> None:
        deck = self.selected_deck()
        if deck in self.folded:
            self.folded.discard(deck)
            self._rebuild()

    # -- the cursor's messages --------------------------------------------------------------

    def _cursor_moved(self) -> None:
        key = self.selected_deck_key()
        if key is not None:
            self.post_message(self.DeckHighlighted(None if key == ALL_DECKS_KEY else key))

    def action_select(self) -> None:
        key = self.selected_deck_key()
        if key is not None:
            self.post_message(self.ReviewRequested(None if key == ALL_DECKS_KEY else key))

    # -- drawing ----------------------------------------------------------------------------

    def on_resize(self) -> None:
        self._lines.clear()
        self._size_to_rows()
        self._scroll_to_row(self.cursor_row)

    def _size_to_rows(self) -> None:
        """One line a deck and the header, as wide as the columns (the scrollbar's cells
        left out, so a scrollbar does not bring a horizontal one)."""
        self.virtual_size = Size(self._width() - SCROLLBAR, len(self._rows) + 1)

    def _width(self) -> int:
        """The line's width: the list's, or the columns' least where the list is narrower."""
        return max(self.size.width, MIN_DECK_WIDTH + COUNTS_WIDTH + SCROLLBAR)

    def _layout(self, label: str, new: str, due: str) -> list[str]:
        """The deck column takes what the counts and the scrollbar leave; the last cell runs
        to the edge, so the row's colour does."""
        deck = self._width() - COUNTS_WIDTH - SCROLLBAR - 2 * PADDING
        if deck != self._deck_width:
            self._deck_width = deck
            self._lines.clear()
        pad = " " * PADDING
        return [
            pad + fit(label, deck) + pad,
            pad + fit(new, COUNT_WIDTH, right=True) + pad,
            pad + fit(due, COUNT_WIDTH, right=True) + pad,
            " " * SCROLLBAR,
        ]

    def _header(self) -> list[str]:
        return self._layout("Deck", "New", "Due")

    def _row_text(self, row: int) -> list[str]:
        text = self._lines.get(row)
        if text is None:
            deck = self._rows[row]
            text = self._layout(deck.label, str(deck.new), str(deck.due))
            self._lines[row] = text
        return text

    def _cell_styles(self, row: int) -> tuple[Style | None, ...]:
        deck = self._rows[row]
        return (
            BOLD if deck.key == ALL_DECKS_KEY else None,
            NEW_STYLE if deck.new else ZERO_STYLE,
            DUE_STYLE if deck.due else ZERO_STYLE,
            None,
        )
