"""The home screen's deck list, counted before the collection is opened.

`flashcards` with no command shows the deck list with today's New and Due counts. Opening the
collection through Peewee (importing it, the models, the services, checking the schema) costs
more than the counts, so the CLI asks `first_home` first: it reads a SQLite collection
read-only with the standard `sqlite3` module (`storage/first_home.py`) and applies the daily
limits through the same `deck_list.DayLimits` as `deck_counts(totals=False)`, so the list it
gives is the one the services give (a test checks it). The home screen paints it, then opens
the collection and reads the counts again through the services before it takes any key.

None means "take the usual path": a server URL, a file that is not there or not of the current
schema, a collection whose bundled decks are not installed yet (the first open installs them),
or anything that fails.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import NamedTuple

from flashcards.services.deck_list import DayLimits, DeckCounts, home_list, split_counts
from flashcards.services.extra_new import extras_by_deck, extras_prefix
from flashcards.settings import Settings
from flashcards.storage.first_home import FirstHomeReader
from flashcards.storage.first_queue import Unusual

BUNDLED_FLAG = "bundled_installed"  # services/bundled.py's INSTALLED_FLAG (a test compares)


class FirstHome(NamedTuple):  # not a dataclass: cheaper to define (cold start)
    counts: list[DeckCounts]  # as `deck_counts(col, today, totals=False)` gives them
    has_media: bool  # whether the collection holds any image or sound at all


def first_home(target: str | Path, settings: Settings, today: dt.date) -> FirstHome | None:
    """The home screen's deck list for `today`, or None (see above)."""
    if "://" in str(target):
        return None
    try:
        with FirstHomeReader(Path(target).expanduser()) as reader:
            if reader.meta(BUNDLED_FLAG) is None:
                return None  # the first open installs the bundled decks
            return FirstHome(_counts(reader, settings, today), reader.has_media())
    except Unusual:
        return None


def _counts(reader: FirstHomeReader, settings: Settings, today: dt.date) -> list[DeckCounts]:
    decks = reader.decks_by_name()
    extras = extras_by_deck(reader.meta_with_prefix(extras_prefix(today)).items(), today)
    day = DayLimits(
        {deck_id: name for deck_id, name, _ in decks},
        reader.decks(),
        reader.studied_today(today),
        extras,
        settings,
    )
    counts = reader.capped_counts(today, *day.caps(), settings.bury_siblings)
    figures = split_counts(counts)
    return home_list(decks, *day.offered(figures))
