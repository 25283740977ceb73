"""What a study session remembers of each step, and how a step is put back.

The session (study.py) decides which card is shown and writes each answer; this module holds
the records it keeps to reverse one (the card's row before, the review it added, the queue
entry it took) and the writes that reverse it. Undo is its own job: an answer, a bury and a
suspend all end by pushing a step here, and `undo_step` only ever reads one back.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

from flashcards.services.session_types import Queue
from flashcards.storage import Card, Review
from flashcards.storage.card_rows import ANSWER_COLUMNS, CardRow
from flashcards.storage.notes import restore_buried

# What an answer, bury or suspend can change, and so what undo puts back.
UNDONE_FIELDS = (*ANSWER_COLUMNS, "buried_until")


class Gone(Exception):
    """Raised inside a write transaction when the card's row is gone: rolls the write back."""


@dataclass
class Entry:
    """One card waiting in a session's queue, and which queue it came from."""

    card_id: int
    queue: Queue


@dataclass
class UndoStep:
    """Everything needed to put the session and the card back as they were.

    An answer only took the head of a queue (and maybe queued a drill), so it records just that:
    copying the queues on every answer would cost milliseconds with a backlog of thousands.
    Bury and suspend filter the queues, so they keep copies (`queues`).
    """

    card: CardRow  # the row as it was
    review_id: int | None
    answers_len: int
    entry: Entry | None = None
    from_main: bool = True
    drill_appended: bool = False
    queues: tuple[deque[Entry], deque[Entry]] | None = None
    buried_siblings: dict[int, object] | None = None  # sibling id -> its buried_until before

    def queues_before(
        self, main: deque[Entry], drill: deque[Entry]
    ) -> tuple[deque[Entry], deque[Entry]]:
        """The session's (main, drill) queues as they were before this step."""
        if self.queues is not None:
            return self.queues
        if self.drill_appended:
            drill.pop()
        (main if self.from_main else drill).appendleft(self.entry)  # type: ignore[arg-type]
        return main, drill


def update_card(card_id: int, changes: dict[str, object]) -> None:
    """Change one card's columns; `Gone` if another process deleted it."""
    if not Card.update(**changes).where(Card.id == card_id).execute():
        raise Gone


def put_back(step: UndoStep) -> None:
    """Inside the session's write transaction: the card's row as it was, the siblings it buried
    unburied, and the review it logged deleted (the day_stats triggers take it off the sums)."""
    update_card(step.card.id, {k: getattr(step.card, k) for k in UNDONE_FIELDS})
    if step.buried_siblings:
        restore_buried(step.buried_siblings)
    if step.review_id is not None:
        Review.delete().where(Review.id == step.review_id).execute()
