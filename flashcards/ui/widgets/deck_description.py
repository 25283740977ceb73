"""The selected deck's description under the deck list (set with `o` or `decks set`)."""

from __future__ import annotations

from textual.widgets import Static

from flashcards.services.decks import DeckCounts
from flashcards.ui.plain import plain


class DeckDescription(Static):
    """Shows the description of the deck the cursor is on; hidden when it has none."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.descriptions: dict[str, str] = {}

    def remember(self, counts: list[DeckCounts]) -> None:
        """The descriptions of every deck, as the list was last read."""
        self.descriptions = {c.name: c.description for c in counts}

    def show_deck(self, deck: str | None) -> None:
        text = self.descriptions.get(deck or "", "").strip()
        self.update(plain(text))
        self.display = bool(text)
