"""The browser's list of matching cards: one line a card, with a mark column for bulk actions.

A `DataTable` builds, measures and renders every cell as its own Rich renderable (seven
columns, forty visible rows: most of the time it took to open the browser). Here a row is
one line of text cut to fixed column widths and drawn through the Line API, only for the
lines on screen, so a search can hand over all its cards at once and scrolling never waits.

Every line is sanitised card text laid out as plain segments, never markup: fronts and deck
names come from files other people wrote. Widths are measured in terminal cells (`rich.cells`),
so wide characters are cut where they end, not in the middle.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from flashcards.sanitize import clean_line
from flashcards.services.cards import CardRow

MARK = "●"
# Due (10), Ivl (5), Ease (4), Lapses (6) and the mark (1), plus two cells of padding for each
# of the seven columns: what is left of the width goes to the front and the deck.
FIXED_WIDTH = 10 + 5 + 4 + 6 + 1 + 7 * 2
MIN_ROOM = 16  # cells for the front and the deck together
HEADER = (" ", "Front", "Deck", "Due", "Ivl", "Ease", "Lapses")
RIGHT = (False, False, False, False, True, True, True)  # the numbers are right-aligned


def _cell(text: str, width: int, right: bool = False) -> str:
    """`text` in exactly `width` cells: cut with an ellipsis, or padded."""
    if cell_len(text) > width:
        return set_cell_size(text, max(0, width - 1)) + "…" if width > 0 else ""
    pad = " " * (width - cell_len(text))
    return pad + text if right else text + pad


class CardTable(ScrollView, can_focus=True):
    """Matching cards; `marked` holds the ids marked with space, kept across new searches."""

    BINDINGS = [
        Binding("up", "cursor_up", "Up", show=False),
        Binding("down", "cursor_down", "Down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("home,ctrl+home", "first", "First", show=False),
        Binding("end,ctrl+end", "last", "Last", show=False),
        Binding("enter", "select", "Open", show=False),
    ]
    COMPONENT_CLASSES = {
        "card-table--header",
        "card-table--even-row",
        "card-table--cursor",
    }

    @dataclass
    class Highlighted(Message):
        """The cursor moved to another card (or the list changed under it)."""

        card_id: int | None

    @dataclass
    class Selected(Message):
        """Enter, or a click on the card under the cursor: open it."""

        card_id: int

    cursor_row: reactive[int] = reactive(0, always_update=True, init=False)

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

    # -- the cursor -------------------------------------------------------------------------

    def validate_cursor_row(self, row: int) -> int:
        return max(0, min(row, len(self._cards) - 1))

    def watch_cursor_row(self, row: int) -> None:
        self._scroll_to_row(row)
        self.refresh()
        self.post_message(self.Highlighted(self.selected_id()))

    def _scroll_to_row(self, row: int) -> None:
        rows_shown = max(1, self.size.height - 1)  # less the header line
        top = round(self.scroll_y)
        if row < top:
            self.scroll_to(y=row, animate=False, immediate=True)
        elif row >= top + rows_shown:
            self.scroll_to(y=row - rows_shown + 1, animate=False, immediate=True)

    def action_cursor_up(self) -> None:
        self.cursor_row -= 1

    def action_cursor_down(self) -> None:
        self.cursor_row += 1

    def action_page_up(self) -> None:
        self.cursor_row -= max(1, self.size.height - 2)

    def action_page_down(self) -> None:
        self.cursor_row += max(1, self.size.height - 2)

    def action_first(self) -> None:
        self.cursor_row = 0

    def action_last(self) -> None:
        self.cursor_row = len(self._cards) - 1

    def action_select(self) -> None:
        card_id = self.selected_id()
        if card_id is not None:
            self.post_message(self.Selected(card_id))

    def on_click(self, event: events.Click) -> None:
        """A click moves the cursor to the card; a click on the card under it opens it."""
        offset = event.get_content_offset(self)
        if offset is None or offset.y == 0:  # the header
            return
        row = offset.y - 1 + round(self.scroll_y)
        if row >= len(self._cards):
            return
        event.stop()
        if row == self.cursor_row:
            self.action_select()
        else:
            self.cursor_row = row

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
            f" {_cell(text, width, right)} "
            for text, width, right in zip(cells, widths, RIGHT, strict=True)
        ]

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

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        if y == 0:
            text, style = self._layout(HEADER), self.get_component_rich_style("card-table--header")
        else:
            row = y - 1 + round(self.scroll_y)
            if row >= len(self._cards):
                return Strip.blank(width, self.rich_style)
            text, style = self._row_text(row), self._row_style(row)
        strip = Strip([Segment(cell, style) for cell in text], sum(map(cell_len, text)))
        scroll_x = round(self.scroll_x)
        return strip.crop_extend(scroll_x, scroll_x + width, self.rich_style)

    def _row_style(self, row: int) -> Style:
        if row == self.cursor_row:
            return self.get_component_rich_style("card-table--cursor")
        if row % 2 == 0:  # as DataTable's zebra stripes: the first row is even
            return self.get_component_rich_style("card-table--even-row")
        return Style()
