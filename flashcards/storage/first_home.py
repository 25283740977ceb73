"""The reads behind the home screen's first paint, with the standard `sqlite3` module only.

`flashcards` (the home screen) paints its deck list with the real New and Due counts before
Peewee, the models and the services are imported: `services/first_home.py` computes the counts
from what these functions read, and the screen opens the collection as usual right after the
first paint. The statements mirror, for SQLite only, `deck_counts(totals=False)`'s reads:
`storage/deck_rows.py` (`capped_counts_query`) and `services/daily_limits.extras_today`; a test
checks that the counts from them are the service's.

As `first_queue.FirstQueueReader` (whose connection, schema check and reads of the decks'
limits and of today's studied counts these share): read-only, never created, never migrated,
and anything unusual raises `Unusual` so the caller takes the usual path.
"""

from __future__ import annotations

import datetime as dt

from flashcards.storage.first_queue import _OPENS_NOTE, FirstQueueReader

# Each deck's own new (or due) cards that may be shown today, counted no further than a cap:
# not suspended, not buried past today (buried cards found through their partial index).
_CAPPED = (
    "(SELECT COUNT(*) FROM (SELECT 1 FROM card WHERE card.deck_id = deck.id"
    " AND card.suspended = 0 AND {state} AND card.id NOT IN"
    " (SELECT id FROM card WHERE buried_until IS NOT NULL AND buried_until > :today)"
    " LIMIT {cap}))"
)


class FirstHomeReader(FirstQueueReader):
    """A read-only connection to a collection file of the current schema (a context manager)."""

    def decks_by_name(self) -> list[tuple[int, str, str]]:
        """Every deck's (id, name, description), by name, as `services.decks` lists them."""
        return self._rows("SELECT id, name, description FROM deck ORDER BY name")

    def meta_with_prefix(self, prefix: str) -> dict[str, str]:
        """The meta table's keys that start with `prefix` (taken literally), with their values."""
        rows = self._rows(
            "SELECT key, value FROM meta WHERE substr(key, 1, length(:p)) = :p", {"p": prefix}
        )
        return {str(key): str(value) for key, value in rows}

    def capped_counts(
        self, today: dt.date, new_cap: int, due_cap: int, one_per_note: bool
    ) -> dict[int, tuple[int, int]]:
        """Each deck's own (new, due) cards available today, each counted up to its cap (as
        `deck_rows.capped_counts`); with `one_per_note` (siblings are buried) the new cards
        that open their note today, as the first card's fast path reads them."""
        opens_note = _OPENS_NOTE if one_per_note else ""
        new = _CAPPED.format(state=f"card.due IS NULL{opens_note}", cap=":new_cap")
        due = _CAPPED.format(state="card.due <= :today", cap=":due_cap")
        rows = self._rows(
            f"SELECT id, {new}, {due} FROM deck",
            {"today": today.isoformat(), "new_cap": max(0, new_cap), "due_cap": max(0, due_cap)},
        )
        return {deck_id: (new, due) for deck_id, new, due in rows}
