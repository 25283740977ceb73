"""The browser's list of matching cards: one line a card, with a mark column for bulk actions.

A row is one line of text cut to fixed column widths and drawn through the Line API, only for
the lines on screen (`LineList`), so a search can hand over all its cards at once and scrolling
never waits. A `DataTable`, which builds and renders every cell as its own Rich renderable,
took most of the time the browser needed to open.

Every line is sanitised card text laid out as plain segments, never markup: fronts and deck
names come from files other people wrote. Widths are measured in terminal cells, so wide
characters are cut where they end, not in the middle.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message

from flashcards.sanitize import clean_line
from flashcards.services.cards import CardRow
from flashcards.ui.widgets.line_list import LineList, fit

MARK = "●"
# Due (10), Ivl (5), Ease (4), Lapses (6) and the mark (1), plus two cells of padding for each
# of the seven columns: what is left of the width goes to the front and the deck.
FIXED_WIDTH = 10 + 5 + 4 + 6 + 1 + 7 * 2
MIN_ROOM = 16  # cells for the front and the deck together
HEADER = (" ", "Front", "Deck", "Due", "Ivl", "Ease", "Lapses")
RIGHT = (False, False, False, False, True, True, True)  # the numbers are right-aligned


class CardTable(LineList):
    """Matching cards; `marked` holds the ids marked with space, kept across new searches."""

    BINDINGS = [Binding("enter", "select", "Open", show=False)]

    @dataclass
    class Highlighted(Message):
        """The cursor moved to another card (or the list changed under it)."""

        card_id: int | None

    @dataclass
    class Selected(Message):
        """Enter, or a click on the card under the cursor: open it."""

        card_id: int

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002  (Textual's name)
        super().__init__(id=id)
        self.marked: set[int] = set()
        self._cards: tuple[CardRow, ...] = ()
        self._widths: tuple[int, ...] = ()
        self._lines: dict[int, list[str]] = {}  # row -> its cells at the current widths

    # -- contents ---------------------------------------------------------------------------

    @property
    def row_count(self) -> int:
        return len(self._cards)

    def show(self, cards: tuple[CardRow, ...]) -> None:
        """Replace the rows, keeping the cursor on the same card where it is still listed."""
        selected = self.selected_id()
        self._cards = cards
        self._lines.clear()
        self._size_to_rows()
        index = next((i for i, card in enumerate(cards) if card.id == selected), 0)
        self.cursor_row = index
        self.refresh()

    def selected_id(self) -> int | None:
        if not self._cards:
            return None
        return self._cards[min(self.cursor_row, len(self._cards) - 1)].id

    def toggle_mark(self) -> None:
        """Mark or unmark the card under the cursor."""
        card_id = self.selected_id()
        if card_id is None:
            return
        if card_id in self.marked:
            self.marked.discard(card_id)
        else:
            self.marked.add(card_id)
        self._lines.pop(self.cursor_row, None)
        self.refresh()

    def targets(self) -> list[int]:
        """What an action applies to: the marked cards, else the one under the cursor."""
        if self.marked:
            return sorted(self.marked)
        card_id = self.selected_id()
        return [] if card_id is None else [card_id]

    def _cursor_moved(self) -> None:
        self.post_message(self.Highlighted(self.selected_id()))

    def action_select(self) -> None:
        card_id = self.selected_id()
        if card_id is not None:
            self.post_message(self.Selected(card_id))

    # -- drawing ----------------------------------------------------------------------------

    def on_resize(self) -> None:
        self._lines.clear()
        self._scroll_to_row(self.cursor_row)

    def _size_to_rows(self) -> None:
        """One line a card and the header, as wide as the narrowest columns: a narrower list
        scrolls sideways, a wider one draws its columns wider (`render_line`). A width that
        followed the list's own would change with its first layout and lay the screen out
        again, after the rows are painted."""
        self.virtual_size = Size(FIXED_WIDTH + MIN_ROOM, len(self._cards) + 1)

    def _column_widths(self) -> tuple[int, ...]:
        """Fronts and decks share what the width leaves them: 19 cells at 60 columns; below
        MIN_ROOM the list scrolls sideways."""
        width = (self.size.width or 80) - self.styles.scrollbar_size_vertical
        room = max(MIN_ROOM, width - FIXED_WIDTH)
        deck = max(6, room * 2 // 5)
        return (1, room - deck, deck, 10, 5, 4, 6)

    def _layout(self, cells: tuple[str, ...]) -> list[str]:
        """The cells cut or padded to the column widths, one cell of padding each side."""
        widths = self._column_widths()
        if widths != self._widths:
            self._widths = widths
            self._lines.clear()
        return [
            f" {fit(text, width, right)} "
            for text, width, right in zip(cells, widths, RIGHT, strict=True)
        ]

    def _header(self) -> list[str]:
        return self._layout(HEADER)

    def _row_text(self, row: int) -> list[str]:
        text = self._lines.get(row)
        if text is None:
            card = self._cards[row]
            text = self._layout(
                (
                    MARK if card.id in self.marked else "",
                    clean_line(card.question),
                    clean_line(card.deck),
                    card.state if card.due is None else card.due.isoformat(),
                    str(card.interval),
                    f"{card.ease:.2f}",
                    str(card.lapses),
                )
            )
            self._lines[row] = text
        return text
