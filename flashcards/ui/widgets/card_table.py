"""The browser's list of matching cards: one row a card, with a mark column for bulk actions.

Every cell is a plain `Text` of sanitised card text, never markup: fronts and deck names come
from files other people wrote.
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import DataTable

from flashcards.sanitize import clean_line
from flashcards.services.cards import CardRow

MARK = "●"
# Due (10), Ivl (5), Ease (4), Lapses (6) and the mark (1), plus two cells of padding for each
# of the seven columns: what is left of the width goes to the front and the deck.
FIXED_WIDTH = 10 + 5 + 4 + 6 + 1 + 7 * 2


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(1, width - 1)] + "…"


class CardTable(DataTable):
    """Matching cards; `marked` holds the ids marked with space, kept across new searches."""

    def __init__(self, **kwargs) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)
        self.marked: set[int] = set()
        self._cards: tuple[CardRow, ...] = ()
        self._shown_width = 0

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
        without scrolling sideways (80 columns included)."""
        selected = self.selected_id()
        self._cards, self._shown_width = cards, self.size.width
        room = max(20, (self.size.width or 80) - FIXED_WIDTH - 1)  # 1: the scrollbar's column
        deck_width = max(8, room * 2 // 5)
        front_width = room - deck_width
        self.clear()
        for card in cards:
            self.add_row(
                Text(MARK if card.id in self.marked else ""),
                Text(_cut(clean_line(card.question), front_width)),
                Text(_cut(clean_line(card.deck), deck_width)),
                Text(card.state if card.due is None else card.due.isoformat()),
                Text(str(card.interval), justify="right"),
                Text(f"{card.ease:.2f}", justify="right"),
                Text(str(card.lapses), justify="right"),
                key=str(card.id),
            )
        if selected is not None and str(selected) in self.rows:
            self.move_cursor(row=self.get_row_index(str(selected)))

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
