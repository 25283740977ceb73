"""A stored date as the code uses it: the one reading of `due`, `buried_until`, `review_day`.

What the driver hands back for a date column depends on how it was read: Peewee turns a
DateField's ISO text into a `date` when a model reads the column, but a prepared statement
(card_rows.py), a raw tuple or an aggregate (`GROUP BY day`) gives SQLite's text as it is, and
PostgreSQL gives a `date` either way. A `datetime` (a hand-made row) counts for its day.

A damaged value, one that is not a date at all (a hand-edited row, a damaged file, which
`flashcards check` reports), reads as None, the same as no date, and never raises: one bad row
must not stop the study session, a card table or the statistics from showing. What None means
is the reader's: a card with no due date is shown as new and graded as such (its next answer
writes a real date); a statistic that needs a day leaves the row out.
"""

from __future__ import annotations

import datetime as dt


def stored_date(value: object) -> dt.date | None:
    """The date `value` holds, or None when it holds none (NULL, or a damaged value)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if value is None or isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None
