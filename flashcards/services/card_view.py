"""The card a review shows, and which part of the queue it came from: plain data, no database
handle.

In a module of its own, apart from the session's other results (`session_types.py`), because
`flashcards review` builds one before its first paint and every module imported then is part
of the wait (cold start is a benchmark target); the card's kind is named for type checking
only, so the deck formats' module is not loaded for it.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import TYPE_CHECKING, NamedTuple

from flashcards.scheduler import Sm2State

if TYPE_CHECKING:
    from flashcards.decks.spec import CardKind


class Queue(StrEnum):
    """Which part of a session's queue a card came from."""

    NEW = "new"  # never reviewed, within today's new-card limit
    REVIEW = "review"  # due today or earlier
    DRILL = "drill"  # graded below four this session: shown again (SM-2 step 6)


class CardView(NamedTuple):
    """A card as the UI shows it: plain data, no database handle. (A NamedTuple rather than a
    frozen dataclass: it is defined before the review's first paint, and costs a seventh as
    much to define.)"""

    id: int
    deck: str
    kind: CardKind
    front: str
    back: str
    tags: tuple[str, ...]
    ordinal: int
    state: Sm2State
    is_new: bool
    due: dt.date | None
    lapses: int
    queue: Queue
