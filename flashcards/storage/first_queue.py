"""The reads behind the first card of a review, with the standard `sqlite3` module only.

`flashcards review` paints its first card before Peewee, the models and the services are
imported (about 60 ms of a cold start): `services/first_card.py` decides which card comes first
from what these functions read, and the review opens the collection as usual right after the
first paint. So this is a fast path, and says so: the statements mirror, for SQLite only,
`storage/deck_rows.py` (`limit_rows`, `studied_today`), `services/daily_limits.py` (the extra new
cards, `available`) and the two queries of `services/study_queue.todays_queue`; a test checks
that the card chosen from them is the one the study session shows.

The file is opened read-only, never created, never migrated. Anything unusual (no such file, a
schema other than `SCHEMA_VERSION`, a database that is not ours or is damaged, a busy lock)
raises `Unusual`, and the caller takes the usual path, which says what is wrong in one line.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path
from urllib.parse import quote

SCHEMA_VERSION = 10
"""The schema these statements were written for (a test compares it with storage's own);
steps 9 and 10 changed nothing in a SQLite file but its version number."""

CARD_COLUMNS = (
    "id, deck_id, kind, front, back, tags, ordinal, repetitions, interval, easiness, due, lapses"
)
_AVAILABLE = "suspended = 0 AND (buried_until IS NULL OR buried_until <= :today)"
# `card_states.first_new_of_note`: no sibling shown today is due or an earlier new card.
_OPENS_NOTE = (
    " AND (card.note = '' OR NOT EXISTS (SELECT 1 FROM card AS sibling"
    " WHERE sibling.deck_id = card.deck_id AND sibling.note = card.note"
    " AND sibling.id != card.id AND NOT sibling.suspended"
    " AND (sibling.buried_until IS NULL OR sibling.buried_until <= :today)"
    " AND (sibling.due <= :today OR (sibling.due IS NULL AND sibling.id < card.id))))"
)


def first_new_card_sql(one_per_note: bool) -> str:
    """The statement of `FirstQueueReader.first_new_card` (:deck, :today)."""
    opens_note = _OPENS_NOTE if one_per_note else ""
    return (
        f"SELECT id FROM card WHERE deck_id = :deck AND {_AVAILABLE} AND due IS NULL"
        f"{opens_note} ORDER BY id LIMIT 1"
    )


class Unusual(Exception):
    """The fast path cannot answer for this collection: take the usual one."""


class FirstQueueReader:
    """A read-only connection to a collection file of the current schema (a context manager)."""

    def __init__(self, path: Path) -> None:
        if not path.is_file():
            raise Unusual(f"{path} is not a file")
        uri = f"file:{quote(str(path.resolve()))}?mode=ro"
        try:
            self._db = sqlite3.connect(uri, uri=True, timeout=0.5)
        except sqlite3.Error as exc:
            raise Unusual(str(exc)) from None
        try:
            version = self.meta("schema_version")
        except Unusual:
            self.close()
            raise
        if version != str(SCHEMA_VERSION):
            self.close()
            raise Unusual(f"schema version {version!r}")

    def __enter__(self) -> FirstQueueReader:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        self._db.close()

    def _rows(self, sql: str, params: dict[str, object] | tuple[object, ...] = ()) -> list[tuple]:
        try:
            return self._db.execute(sql, params).fetchall()
        except sqlite3.Error as exc:  # not ours, damaged, locked: the usual path says which
            raise Unusual(str(exc)) from None

    def meta(self, key: str) -> str | None:
        """A value of the meta table (None when the key is not there)."""
        rows = self._rows("SELECT value FROM meta WHERE key = ?", (key,))
        return str(rows[0][0]) if rows else None

    def decks(self) -> list[tuple[int, str, int | None, int | None]]:
        """Every deck's (id, name, new_per_day, reviews_per_day), as `deck_rows.limit_rows`."""
        return self._rows("SELECT id, name, new_per_day, reviews_per_day FROM deck")

    def studied_today(self, day: dt.date) -> dict[int, tuple[int, int]]:
        """Per deck, (new cards started, reviews answered) on `day`, drills left out (every
        deck: the caller keeps those of its tree), as `deck_rows.studied_today`: from
        `day_stats`, by the deck each card was answered in (see there why not the log)."""
        rows = self._rows(
            "SELECT deck_id, SUM(new_cards), SUM(answers - drills - new_cards)"
            " FROM day_stats WHERE day = ? GROUP BY deck_id",
            (day.isoformat(),),
        )
        return {deck: (int(new or 0), int(rev or 0)) for deck, new, rev in rows}

    def due_cards(
        self, deck_ids: list[int] | None, today: dt.date, limit: int, offset: int = 0
    ) -> list[tuple[int, int]]:
        """(card id, deck id) of cards due by `today` in these decks (None: every deck), in
        queue order (most overdue first, a day's cards deck by deck: `queue_rows.due_page`),
        `limit` of them from `offset`. As there, the walk reads the (suspended, due, deck_id)
        index alone, in its own order, and buried cards come from their partial index."""
        in_decks = (
            "" if deck_ids is None else "deck_id IN (SELECT value FROM json_each(:decks)) AND "
        )
        return self._rows(
            f"SELECT id, deck_id FROM card WHERE {in_decks}suspended = 0 AND due <= :today"
            " AND id NOT IN (SELECT id FROM card WHERE buried_until > :today)"
            " ORDER BY due, deck_id, id LIMIT :limit OFFSET :offset",
            {
                "decks": "[" + ",".join(map(str, deck_ids or ())) + "]",  # a JSON array
                "today": today.isoformat(),
                "limit": limit,
                "offset": offset,
            },
        )

    def first_new_card(self, deck_id: int, today: dt.date, one_per_note: bool) -> int | None:
        """The deck's first new card that may be shown today (its lowest id); with
        `one_per_note` (siblings are buried), the first that opens its note today, as
        `card_states.first_new_of_note` says."""
        rows = self._rows(
            first_new_card_sql(one_per_note), {"deck": deck_id, "today": today.isoformat()}
        )
        return rows[0][0] if rows else None

    def has_media(self) -> bool:
        """Whether the collection holds any image or sound (`storage/schema_v4.py`)."""
        return bool(self._rows("SELECT EXISTS (SELECT 1 FROM media)")[0][0])

    def card(self, card_id: int) -> tuple:
        """The card's `CARD_COLUMNS`, as stored (dates as text)."""
        rows = self._rows(f"SELECT {CARD_COLUMNS} FROM card WHERE id = ?", (card_id,))
        if not rows:
            raise Unusual(f"card {card_id} is gone")
        return rows[0]
