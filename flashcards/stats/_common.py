"""Small helpers shared by the stats queries: the collection protocol, dates, deck trees."""

from __future__ import annotations

import datetime as dt
from typing import Protocol

from peewee import Database

from flashcards.clock import Clock
from flashcards.decks import names
from flashcards.errors import UserError
from flashcards.storage import Deck
from flashcards.storage.binding import runs_on_collection


class OpenCollection(Protocol):
    """What stats need from a collection (stats may not import services, so no Collection type):
    its database, which every query runs on, and its clock."""

    @property
    def db(self) -> Database: ...

    @property
    def clock(self) -> Clock: ...


@runs_on_collection
def deck_tree_ids(db: Database, name: str | None) -> list[int] | None:
    """Ids of a deck and its subdecks (`Name` and `Name::…`); None means every deck.

    A copy of the tiny lookup in services.decks, which stats may not import.
    """
    if name is None:
        return None
    wanted = names.normalise(name)
    rows = Deck.select(Deck.id, Deck.name).bind(db).tuples()
    ids = [i for i, n in rows if names.in_tree(n, wanted)]
    if not ids or not wanted:
        raise UserError(f"no deck named {name!r} (see `flashcards decks`)")
    return ids


def current_streak(days: set[dt.date], today: dt.date) -> int:
    """Days in a row with a review, ending today, or yesterday while today is still open."""
    day = today if today in days else today - dt.timedelta(days=1)
    streak = 0
    while day in days:
        streak += 1
        day -= dt.timedelta(days=1)
    return streak


def longest_streak(days: set[dt.date]) -> int:
    """The longest run of consecutive days in `days`."""
    best = 0
    for day in days:
        if day - dt.timedelta(days=1) in days:
            continue  # not the start of a run
        length = 1
        while day + dt.timedelta(days=length) in days:
            length += 1
        best = max(best, length)
    return best
