"""A home screen that paints its deck list before the collection is opened (`flashcards`).

The CLI counts the decks with `services.first_home` (plain `sqlite3`, no Peewee) and hands the
list here with a way to open the collection; the home screen shows the list, then opens the
collection and reads the counts again through the services before it takes any key (see
`HomeScreen`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, NamedTuple

from flashcards.services.deck_list import DeckCounts

if TYPE_CHECKING:
    from flashcards.services.collection import Collection


class QuickHome(NamedTuple):  # not a dataclass: cheaper to define (cold start)
    counts: list[DeckCounts]
    open: Callable[[], Collection]  # the collection, opened as every command opens it
