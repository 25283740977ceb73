"""The one definition of a card's states, as SQL conditions and as a label for one row.

The home counts, the statistics, the study queue and search all ask "is this card new, due,
suspended, buried, a leech?"; they take the answer from here so the figures they show agree.

A card's *state* is where it is in learning; whether it may be shown *today* is a separate
question. As in Anki, burying hides a card for the day and changes nothing else: a buried new
card is still new, a buried review card still learning, young or mature.

- new: never reviewed (`due` is NULL);
- review: reviewed at least once (`due` is set);
- learning / young / mature: reviewed cards by progress: repetitions ≤ 1 (just learned or
  relearning after a lapse), then interval below or from MATURE_INTERVAL days;
- suspended: set aside until unsuspended; a suspended card is counted as suspended, not in
  its state (`is_active` is "not suspended");
- buried: hidden until `buried_until` (today < buried_until); it keeps its state;
- available: may be shown today: neither suspended nor buried;
- due: a reviewed, available card whose due date is today or earlier;
- leech: tagged `leech` (the review session tags and suspends it; see services/grading.py).

So the two kinds of count differ on buried cards, on purpose:
- counts *by state* (the statistics' new / learning / young / mature) are `is_active()` and
  the state: a buried card counts in its state;
- counts of *what can be studied today* (the deck list's New and Due, the study queue) are
  `is_available(today)` and the state (`new_available`, `is_due`): a buried card does not
  count there, and the deck list shows it in its own Buried column.
`state_label`, the one word a table shows for one card, names the reason a card is not shown
today (suspended, buried) before its state.
"""

from __future__ import annotations

import datetime as dt

from peewee import SQL, Case, Database, Expression, fn

from flashcards.scheduler import MATURE_DAYS
from flashcards.storage.dialect import literal_sql, row_sql
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


def new_available(today: dt.date) -> Expression:
    """New and may be shown today: what the deck list's New column counts."""
    return is_new() & is_available(today)


def first_new_of_note(today: dt.date) -> Expression:
    """A new card that may open its note today: no other card of the note (same deck, same
    note key) that may be shown today is due today or is a new card of a lower id.

    The rule of a day's new cards while siblings are buried (`bury_siblings`), as Anki's v3
    scheduler gathers them: at most one card of a note comes in a day's queue, and none beside
    a sibling that is due, since answering one card buries the others until tomorrow. Without
    it a queue of 20 new cards holding both deletions of a cloze text lost two cards to one
    answer, and showed one fewer than the deck list. The study queue, the deck list's "new
    today" and the fast first card (`first_queue.py`, in plain SQL) all apply it, so they agree
    before and after each answer. A card without a note key has no siblings.
    """
    sibling = Card.alias("sibling")
    blocking = sibling.select(SQL("1")).where(
        sibling.deck == Card.deck,
        sibling.note == Card.note,
        sibling.id != Card.id,
        ~sibling.suspended,  # not `== False`: that would lead SQLite to the (deck, state) index
        sibling.buried_until.is_null() | (sibling.buried_until <= today),
        (sibling.due <= today) | (sibling.due.is_null() & (sibling.id < Card.id)),
    )
    return is_new() & ((Card.note == "") | ~fn.EXISTS(blocking))


def new_for_queue(today: dt.date, one_per_note: bool) -> Expression:
    """The new cards a day's queue takes from: all of them, or with `one_per_note` (siblings
    are buried) those that open their note today (`first_new_of_note`)."""
    return first_new_of_note(today) if one_per_note else is_new()


def new_by_state() -> Expression:
    """New by state (buried or not), not suspended: what the statistics count as new."""
    return is_active() & is_new()


def is_due(today: dt.date) -> Expression:
    return is_reviewed() & is_available(today) & (Card.due <= today)


def due_from_index(today: dt.date) -> Expression:
    """`is_due(today)`, the same cards, written for a search: "not buried" as "not among the
    few buried cards" (the partial index `card_buried_until`) rather than a test of each row's
    `buried_until`, so that every column it tests is in `card_deck_state` and
    `card_suspended_due_deck_id`, and SQLite picks a deck's due cards from the index alone
    without reading each one's row."""
    buried = Card.select(Card.id).where(is_buried(today))  # a subquery of its own: `card` there
    return is_reviewed() & is_active() & (Card.due <= today) & Card.id.not_in(buried)


def is_learning() -> Expression:
    return is_reviewed() & (Card.repetitions <= 1)


def is_young() -> Expression:
    return is_reviewed() & (Card.repetitions >= 2) & (Card.interval < MATURE_INTERVAL)


def is_mature() -> Expression:
    return is_reviewed() & (Card.repetitions >= 2) & (Card.interval >= MATURE_INTERVAL)


def _state_conditions() -> tuple[tuple[Expression, str], ...]:
    """Each state's condition and name; every card meets exactly one (suspended or not)."""
    return (
        (is_new(), "new"),
        (is_learning(), "learning"),
        (is_young(), "young"),
        (is_mature(), "mature"),
    )


STATES = tuple(name for _, name in _state_conditions())
"""The words the stored counters' `state` column holds (schema_v6.py)."""


def state_sql(db: Database, row: str) -> str:
    """A card's state (one of STATES) as SQL text over `row` (`NEW`/`OLD` in a trigger, or the
    table), written from the conditions above, so the counters the triggers keep by state and
    the queries that test a state cannot disagree."""
    return row_sql(db, Case(None, list(_state_conditions())), row)


def forecast_sql(db: Database, row: str) -> str:
    """`is_active() & is_reviewed()`, over `row`, as SQL text: the cards the forecast counts
    (`due_counts`, schema_v6.py)."""
    return row_sql(db, is_active() & is_reviewed(), row)


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
