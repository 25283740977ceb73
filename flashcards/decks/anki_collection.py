"""Reading the cards of an open Anki collection (the SQLite database inside a package).

Notes and cards are read in id order and merged, every number is range-checked before use,
and every card is charged to the import's budget as it is made. A note's fields become a card
in `anki_cards`; its Anki scheduling becomes SM-2 state in `anki_scheduling`.
"""

from __future__ import annotations

import datetime
import sqlite3
from collections.abc import Iterator

from flashcards.decks.anki_cards import field_text, note_card
from flashcards.decks.anki_scheduling import AnkiCard, anki_scheduling, created_day
from flashcards.decks.anki_schema import read_day_cut_off, read_note_types_and_decks
from flashcards.decks.keys import group_decks
from flashcards.decks.limits import MAX_CARDS_PER_NOTE, Budget, anki_int, shown
from flashcards.decks.spec import CardSpec, ParsedFile, Problem

_NOTES_SQL = "SELECT id, guid, mid, tags, flds FROM notes ORDER BY id"
_CARDS_SQL = """
SELECT nid, ord, did, odid, type, due, odue, ivl, factor, lapses, {queue}, {reps} FROM cards
ORDER BY nid, ord
"""


def _sql_order(value: object) -> tuple[int, object]:
    """A sort key that orders values as SQLite does (NULL, numbers, text, blobs), so ids of any
    type in a damaged file compare without a TypeError."""
    if value is None:
        return (0, 0)
    if isinstance(value, int | float):
        return (1, value)
    return (2, value) if isinstance(value, str) else (3, value)


def _notes_with_cards(conn: sqlite3.Connection) -> Iterator[tuple[tuple, tuple]]:
    """(note row, card row) pairs, as `cards JOIN notes` would give, reading each note once.

    Both tables are read in id order and merged, so the fields of a note are fetched (and
    decoded) once however many cards it has: a package of one note with 99,000-character
    fields and 2,000 cards once fetched them 2,000 times.
    """
    notes = conn.execute(_NOTES_SQL)
    note = notes.fetchone()
    columns = {row[1] for row in conn.execute("PRAGMA table_info(cards)")}
    sql = _CARDS_SQL.format(
        queue="queue" if "queue" in columns else "type", reps="reps" if "reps" in columns else "0"
    )
    for card in conn.execute(sql):
        nid = _sql_order(card[0])
        while note is not None and _sql_order(note[0]) < nid:
            note = notes.fetchone()
        if note is None:
            return
        if note[0] == card[0]:
            yield note, card


def read_collection(
    conn: sqlite3.Connection,
    source: str,
    with_scheduling: bool,
    today: datetime.date | None,
    budget: Budget,
) -> ParsedFile:
    """Turn every card of an open collection into a CardSpec, grouped by deck.

    Every number is range-checked (ANKI_RANGES) before use, and every card is charged to the
    import's budget as it is made, so a small package cannot fill memory with copies of one
    huge note.
    """
    types, decks = read_note_types_and_decks(conn)
    crt_day = created_day(read_day_cut_off(conn))
    cards_by_deck: dict[str, list[CardSpec]] = {}
    problems: list[Problem] = []
    fields: list[str] = []
    per_note = 0
    last_note: tuple | None = None
    for note, card in _notes_with_cards(conn):
        nid, guid, mid, tags, flds = note
        _, ord_, did, odid, ctype, due, odue, ivl, factor, lapses, queue, reps = card
        where = f"{source}: note {shown(nid)}"
        if note is not last_note:
            last_note, per_note = note, 0
            fields = flds.split("\x1f") if isinstance(flds, str) else []
        per_note += 1
        try:
            if per_note > MAX_CARDS_PER_NOTE:
                raise ValueError(f"the note has more than {MAX_CARDS_PER_NOTE} cards")
            note_type = types.get(mid) if isinstance(mid, int | float) else None
            if note_type is None:
                raise ValueError(f"its note type {shown(mid)} is missing from the collection")
            if not isinstance(flds, str) or not isinstance(guid, str) or not guid:
                raise ValueError("the note has no readable fields or guid")
            deck_id = odid if odid else did
            number = anki_int(ord_, "ord")
            spec = note_card(note_type, fields, number, guid, str(tags or ""), where)
            if with_scheduling:
                scheduling = anki_scheduling(
                    AnkiCard(
                        anki_int(ctype, "type"),
                        anki_int(queue, "queue"),
                        anki_int(due, "due"),
                        anki_int(odue, "odue") if odid else 0,
                        anki_int(ivl, "ivl"),
                        anki_int(factor, "factor"),
                        anki_int(lapses, "lapses"),
                        anki_int(reps, "reps"),
                    ),
                    crt_day,
                    today,
                )
                spec = CardSpec(**{**spec.__dict__, "scheduling": scheduling})
        except (TypeError, ValueError, OverflowError) as exc:
            problems.append(Problem(where, f"skipped card {shown(ord_)}: {exc}"))
            continue
        budget.charge(source, spec)
        deck_name = (decks.get(deck_id) if isinstance(deck_id, int | float) else None) or ("", "")
        cards_by_deck.setdefault(deck_name[0] or "Default", []).append(spec)
    field_text.cache_clear()
    descriptions = {name: desc for name, desc in decks.values()}
    deck_specs, dupes = group_decks(cards_by_deck, descriptions)
    return ParsedFile(deck_specs, tuple(problems + dupes))
