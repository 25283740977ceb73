"""Where "more new cards today" is kept: a Meta key that names the day and the deck, and how a
stored count is read. Pure, so the first card of a review can be chosen before Peewee loads."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from flashcards.settings import MAX_PER_DAY


def extra_new_key(day: dt.date, deck: str | None) -> str:
    return f"extra_new:{day.isoformat()}:{deck or '*'}"


def stored_count(value: object) -> int:
    """A stored count of extra cards; a damaged one (text, negative, huge) counts as none, so
    it can never break the queue (a huge LIMIT overflows the database's integer)."""
    text = str(value or "0").strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 9:
        return 0
    return min(int(text), MAX_PER_DAY)


def extras_prefix(day: dt.date) -> str:
    """What every key of `day`'s raised limits starts with (the deck name follows)."""
    return extra_new_key(day, None)[:-1]


def extras_by_deck(rows: Iterable[tuple[str, object]], day: dt.date) -> dict[str, int]:
    """`day`'s raised new-card limits by deck name (`*`: every deck), from (key, value) rows
    whose keys start with `extras_prefix(day)`."""
    prefix = extras_prefix(day)
    return {key[len(prefix) :]: stored_count(value) for key, value in rows}
