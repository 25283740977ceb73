"""An app that upgrades an older collection on screen before it shows anything else.

Opening a collection of an older schema backs it up and runs the steps it lacks: about 14 s at
100,000 cards, minutes at a million. `flashcards` and `flashcards review` used to do that before
the TUI started, with a blank terminal all along. Given an `UpgradeStart`, the app paints the
upgrade screen at once (`ui/screens/upgrade.py`), opens the collection in a thread worker with
the progress told to that screen, then goes on to the home screen or the review.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from flashcards.services.collection import Collection
    from flashcards.storage.upgrade_progress import UpgradeReporter


Opened = tuple["Collection", str | None]
"""The collection, and the deck a review asked for as it is stored (found when it opened)."""


class UpgradeStart(NamedTuple):
    where: str  # the collection, as a message shows it (a URL's password masked)
    source: int  # its schema version
    target: int  # the version this flashcards brings it to
    open: Callable[[UpgradeReporter], Opened]  # opened as every command opens it
