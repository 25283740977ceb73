"""The plain data a study session hands to its callers: no database handles, so the UI can
keep and show them freely. The card itself is in `card_view.py` (the review's first paint
needs it alone)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flashcards.scheduler import Sm2State
from flashcards.services.card_view import CardView, Queue

__all__ = ["AnswerResult", "CardView", "Queue", "QueueCounts", "SessionSummary"]


@dataclass(frozen=True)
class AnswerResult:
    """What one answer did, so the UI can tell the user (a leech above all)."""

    card_id: int
    quality: int
    drill: bool
    before: Sm2State
    after: Sm2State
    due: dt.date | None
    lapse: bool
    leech: bool
    again_today: bool  # the card comes back in today's drill
    was_new: bool  # the card had never been reviewed before this answer
    review_id: int | None  # the review-log row written (None in a cram session)


@dataclass(frozen=True)
class QueueCounts:
    new: int
    review: int
    drill: int

    @property
    def total(self) -> int:
        return self.new + self.review + self.drill


@dataclass(frozen=True)
class SessionSummary:
    reviewed: int  # scheduled answers (drills not counted)
    correct: int  # of those, passed (q >= scheduler.PASS_MARK)
    seconds: float  # time spent on every answer, drills included
    new_learned: int
    drills: int
    next_due: dt.date | None
