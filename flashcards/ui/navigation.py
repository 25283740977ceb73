"""Messages the review screens send the app to move on: the app decides where each one leads.

Screens post these rather than call the app's methods, so they know nothing of the concrete
app (and tests can drive a screen alone). They bubble from the screen to the app, whose
`on_*` handlers in `app.py` do the navigating.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:  # the review paints its first card before the study service is imported
    from flashcards.services.study import StudySession


@dataclass
class ReviewFinished(Message):
    """The session is empty or the user left it: the summary, if anything was answered."""

    session: StudySession


@dataclass
class StudyMoreNew(Message):
    """Allow `extra` more new cards today in `deck` (None: every deck), then review them."""

    deck: str | None
    extra: int


@dataclass
class CramRequested(Message):
    """Go through every card of `deck` without recording anything."""

    deck: str | None


class LeaveReview(Message):
    """Back home, or out of the app when it was opened with `flashcards review`."""
