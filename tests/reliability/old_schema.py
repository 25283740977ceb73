"""A collection file of an older schema, built by the frozen schema steps themselves.

Each step in `storage/migrations.py` builds its own frozen schema, so running steps 1..N on an
empty file gives exactly what flashcards at schema N wrote; the cards are then added with raw
SQL (the models describe the current schema). Used by the upgrade tests: storage (the
progress a callback hears, a stop, a kill), the CLI's stderr line and the TUI's upgrade screen.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from peewee import SqliteDatabase

from flashcards.storage import database


def collection_of_version(path: Path, version: int, cards: int) -> Path:
    """A collection at schema `version` (2 or more) with one deck, "Old", of `cards` new
    cards (fronts `front 0`, `front 1`, …), its bundled decks marked installed."""
    db = SqliteDatabase(str(path))
    for step in range(1, version + 1):
        database.MIGRATIONS[step](db)
    db.close()
    conn = sqlite3.connect(path)
    try:
        conn.execute("INSERT INTO meta (key, value) VALUES ('schema_version', ?)", (str(version),))
        conn.execute("INSERT INTO meta (key, value) VALUES ('bundled_installed', '2026-03-01')")
        conn.execute("INSERT INTO deck (name, description, created_at) VALUES ('Old', '', ?)",
                     ("2025-01-01",))  # fmt: skip
        columns = ["deck_id", "key", "kind", "front", "back", "tags", "ordinal", "repetitions",
                   "interval", "easiness", "due", "lapses", "suspended", "created_at",
                   "modified_at"]  # fmt: skip
        if version >= 3:
            columns.append("note")
        rows = [
            (1, f"k{i}", "basic", f"front {i}", f"back {i}", "old", 0, 0, 0, 250, None, 0, 0,
             "2025-01-01", "2025-01-01", *([f"k{i}"] if version >= 3 else []))
            for i in range(cards)
        ]  # fmt: skip
        marks = ", ".join("?" * len(columns))
        conn.executemany(f"INSERT INTO card ({', '.join(columns)}) VALUES ({marks})", rows)
        conn.commit()
    finally:
        conn.close()
    return path


def stored_version(path: Path) -> int:
    """The schema version the file says it is at, read with plain sqlite3."""
    conn = sqlite3.connect(path)
    try:
        row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    finally:
        conn.close()
    return int(row[0])
