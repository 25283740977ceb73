"""The statistics screen's hardest cards: lapses, ease, the front as read, the deck.

Laid out for the widget's width on each render: the numbers keep their columns, the deck name
has what the front leaves (at least a quarter of the line), each cut with an ellipsis.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.widget import Widget

from flashcards.sanitize import clean_line
from flashcards.stats import HardCard
from flashcards.stats.layout import plural

LAPSES = len("99 lapses")
EASE = len("ease 2.50")


def _fit(text: str, width: int) -> str:
    """`text` in exactly `width` columns: cut with an ellipsis, or padded."""
    if width <= 0:
        return ""
    return (text if len(text) <= width else text[: width - 1] + "…").ljust(width)


class HardestCards(Widget):
    """Up to ten cards, most lapses first; 'none yet' before any card has lapsed."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.cards: tuple[HardCard, ...] = ()

    def set_cards(self, cards: Sequence[HardCard]) -> None:
        self.cards = tuple(cards)
        self.refresh(layout=True)

    def get_content_height(self, container, viewport, width: int) -> int:  # noqa: ANN001
        return 1 + max(1, len(self.cards))

    def render(self) -> Text:
        text = Text("Hardest cards", style="bold")
        if not self.cards:
            text.append("\nnone yet", style="dim")
            return text
        width = self.content_region.width or self.size.width
        rest = max(10, width - LAPSES - EASE - 4)
        decks = [clean_line(h.deck) for h in self.cards]
        fronts = [clean_line(h.shown_front) for h in self.cards]
        longest_deck = max(len(d) for d in decks)
        # The front first (at least three quarters), then the deck has what the front left.
        front_width = min(max(len(f) for f in fronts), rest - 2 - min(longest_deck, rest // 4))
        deck_width = min(longest_deck, rest - 2 - front_width)
        for h, front, deck in zip(self.cards, fronts, decks, strict=True):
            text.append("\n")
            text.append(plural(h.lapses, "lapse").rjust(LAPSES))
            text.append(f"  ease {h.easiness / 100:.2f}  ")
            text.append(_fit(front, front_width))
            text.append("  ")
            text.append(_fit(deck, deck_width).rstrip(), style="dim")
        return text
