"""The browser's list of matching cards: one row a card, with a mark column for bulk actions.

Every cell is a plain `Text` of sanitised card text, never markup: fronts and deck names come
from files other people wrote.

Rows are listed a page at a time: a search hands over up to 500 cards, but a `DataTable` builds
and measures every row it holds (some 0.2 ms a row), and a screen shows forty. The first page
is listed at once; the next as the cursor or the scroll position comes near the last listed row,
so scrolling through all of them looks the same as before.
"""

from __future__ import annotations

from rich.text import Text
from textual.coordinate import Coordinate
from textual.widgets import DataTable

from flashcards.sanitize import clean_line
from flashcards.services.cards import CardRow

MARK = "●"
# Due (10), Ivl (5), Ease (4), Lapses (6) and the mark (1), plus two cells of padding for each
# of the seven columns: what is left of the width goes to the front and the deck.
FIXED_WIDTH = 10 + 5 + 4 + 6 + 1 + 7 * 2
PAGE_ROWS = 60  # more rows than a tall terminal shows at once


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(1, width - 1)] + "…"


class CardTable(DataTable):
    """Matching cards; `marked` holds the ids marked with space, kept across new searches."""

    def __init__(self, **kwargs) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)
        self.marked: set[int] = set()
        self._cards: tuple[CardRow, ...] = ()
        self._shown_width = 0
        self._front_width = self._deck_width = 0
        self._listing = False

    def on_mount(self) -> None:
        self.add_column(" ", key="mark", width=1)
        self.add_column("Front", key="front")
        self.add_column("Deck", key="deck")
        self.add_column("Due", key="due")
        self.add_column("Ivl", key="ivl")
        self.add_column("Ease", key="ease")
        self.add_column("Lapses", key="lapses")

    def on_resize(self) -> None:
        if self.size.width != self._shown_width and self._cards:
            self.show(self._cards)

    def show(self, cards: tuple[CardRow, ...]) -> None:
        """Replace the rows, keeping the cursor on the same card where it is still listed.

        Fronts and deck names are cut to what the width leaves them, so every column shows
        without scrolling sideways (80 columns included). The first page is listed now, the
        rest as the cursor or the scroll position reaches it (`_list_more`)."""
        selected = self.selected_id()
        self._cards, self._shown_width = cards, self.size.width
        room = max(20, (self.size.width or 80) - FIXED_WIDTH - 1)  # 1: the scrollbar's column
        self._deck_width = max(8, room * 2 // 5)
        self._front_width = room - self._deck_width
        self._listing = True  # clearing moves the cursor too: nothing to list yet
        self.clear()
        self._listing = False
        index = next((i for i, card in enumerate(cards) if card.id == selected), None)
        self._list_more(PAGE_ROWS if index is None else index + PAGE_ROWS)
        if index is not None:
            self.move_cursor(row=index)

    def _list_more(self, upto: int) -> None:
        """List the cards up to index `upto` (those not listed yet)."""
        if self._listing:  # adding a row moves the cursor, which would come back here
            return
        self._listing = True
        try:
            self._add_rows(self._cards[self.row_count : upto])
        finally:
            self._listing = False

    def _add_rows(self, cards: tuple[CardRow, ...]) -> None:
        for card in cards:
            self.add_row(
                Text(MARK if card.id in self.marked else ""),
                Text(_cut(clean_line(card.question), self._front_width)),
                Text(_cut(clean_line(card.deck), self._deck_width)),
                Text(card.state if card.due is None else card.due.isoformat()),
                Text(str(card.interval), justify="right"),
                Text(f"{card.ease:.2f}", justify="right"),
                Text(str(card.lapses), justify="right"),
                key=str(card.id),
            )

    def _near_the_end(self, row: int) -> None:
        if row >= self.row_count - PAGE_ROWS // 2 and self.row_count < len(self._cards):
            self._list_more(self.row_count + PAGE_ROWS)

    def watch_cursor_coordinate(self, old: Coordinate, new: Coordinate) -> None:
        super().watch_cursor_coordinate(old, new)
        self._near_the_end(new.row)

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        self._near_the_end(int(new_value) + self.size.height)

    def selected_id(self) -> int | None:
        if not self.row_count:
            return None
        key, _ = self.coordinate_to_cell_key(self.cursor_coordinate)
        return int(key.value) if key.value is not None else None

    def toggle_mark(self) -> None:
        """Mark or unmark the card under the cursor."""
        card_id = self.selected_id()
        if card_id is None:
            return
        if card_id in self.marked:
            self.marked.discard(card_id)
        else:
            self.marked.add(card_id)
        self.update_cell(str(card_id), "mark", Text(MARK if card_id in self.marked else ""))

    def targets(self) -> list[int]:
        """What an action applies to: the marked cards, else the one under the cursor."""
        if self.marked:
            return sorted(self.marked)
        card_id = self.selected_id()
        return [] if card_id is None else [card_id]
