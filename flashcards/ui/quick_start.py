"""A review that paints its first card before the collection is opened (`flashcards review`).

The CLI reads the first card with `services.first_card` (plain `sqlite3`, no Peewee) and hands
it here with a way to open the collection; the review screen shows the card, then opens the
collection and the session before it takes any key (see `ReviewScreen`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, NamedTuple

from flashcards.services.card_view import CardView

if TYPE_CHECKING:
    from flashcards.services.collection import Collection


class QuickStart(NamedTuple):
    """(A NamedTuple rather than a frozen dataclass: defined before the first paint, it costs
    a seventh as much to define.)"""

    first: CardView
    open: Callable[[], Collection]  # the collection, opened as every command opens it
