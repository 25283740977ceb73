"""The one definition of a card's states, as SQL conditions and as a label for one row.

The home counts, the statistics, the study queue and search all ask "is this card new, due,
suspended, buried, a leech?"; they take the answer from here so the figures they show agree.

- new: never reviewed (`due` is NULL), suspended or not;
- review: reviewed at least once (`due` is set);
- learning / young / mature: reviewed cards by progress: repetitions ≤ 1 (just learned or
  relearning after a lapse), then interval below or from MATURE_INTERVAL days;
- suspended: set aside until unsuspended;
- buried: hidden until `buried_until` (today < buried_until);
- available: may be shown today: neither suspended nor buried;
- due: a reviewed, available card whose due date is today or earlier;
- leech: tagged `leech` (the review session tags and suspends it; see services/grading.py).
"""

from __future__ import annotations

import datetime as dt

from peewee import SQL, Database, Expression

from flashcards.scheduler import MATURE_DAYS
from flashcards.storage.dialect import literal_sql
from flashcards.storage.models import Card

MATURE_INTERVAL = MATURE_DAYS  # days, as in Anki; the scheduler owns the figure
LEECH_TAG = "leech"
# Written out, not built by Peewee, so it reads exactly as the WHERE clause of the partial index
# `card_leech` (schema_v2.py), which SQLite then uses.
LEECH_SQL = "(' ' || \"tags\" || ' ') LIKE '% leech %'"


def is_new() -> Expression:
    return Card.due.is_null()


def is_reviewed() -> Expression:
    return Card.due.is_null(False)


def is_suspended() -> Expression:
    return Card.suspended == True  # noqa: E712


def is_active() -> Expression:
    """Not suspended (buried cards included: burying lasts a day)."""
    return Card.suspended == False  # noqa: E712


def is_buried(today: dt.date) -> Expression:
    # Guarded so that NOT is_buried() is true, not NULL, for a card never buried.
    return Card.buried_until.is_null(False) & (Card.buried_until > today)


def is_available(today: dt.date) -> Expression:
    """May be shown today: not suspended, not buried past today."""
    return is_active() & (Card.buried_until.is_null() | (Card.buried_until <= today))


def is_due(today: dt.date) -> Expression:
    return is_reviewed() & is_available(today) & (Card.due <= today)


def is_learning() -> Expression:
    return is_reviewed() & (Card.repetitions <= 1)


def is_young() -> Expression:
    return is_reviewed() & (Card.repetitions >= 2) & (Card.interval < MATURE_INTERVAL)


def is_mature() -> Expression:
    return is_reviewed() & (Card.repetitions >= 2) & (Card.interval >= MATURE_INTERVAL)


def is_leech(db: Database) -> SQL:
    return SQL(literal_sql(db, LEECH_SQL))


def state_label(
    *,
    due: dt.date | None,
    repetitions: int,
    interval: int,
    suspended: bool,
    buried_until: dt.date | None,
    today: dt.date,
) -> str:
    """One word for a card as tables show it: suspended, buried, new, learning, young, mature."""
    if suspended:
        return "suspended"
    if buried_until is not None and buried_until > today:
        return "buried"
    if due is None:
        return "new"
    if repetitions <= 1:
        return "learning"
    return "mature" if interval >= MATURE_INTERVAL else "young"
