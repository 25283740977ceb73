"""The schema steps and the runner that brings a collection up to date.

MIGRATIONS[n] takes a database at schema n-1 to schema n. Each step builds its own frozen
schema (never the current models), so an old collection and a new one end up identical; the
restore check (schema_check.py) builds the schema it expects from these same steps.
Append, never edit a landed step.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

from peewee import Database, DatabaseError, SqliteDatabase

from flashcards.errors import UserError
from flashcards.storage import (
    schema_new_cards,
    schema_search_index,
    schema_search_statistics,
    schema_statement_counts,
    schema_v1,
    schema_v2,
    schema_v3,
    schema_v4,
    schema_v5,
    schema_v6,
)
from flashcards.storage.db_errors import describe_error
from flashcards.storage.location import display_location
from flashcards.storage.models import Meta
from flashcards.storage.upgrade_progress import UpgradeReporter, reporting

MIGRATIONS: dict[int, Callable[[Database], None]] = {
    1: schema_v1.create,
    2: schema_v2.migrate,
    3: schema_v3.migrate,  # notes, per-deck options
    4: schema_v4.migrate,  # media: name -> content hash -> bytes
    5: schema_v5.migrate,  # statistics indexes, the duplicate test's front keys
    schema_v6.VERSION: schema_v6.migrate,  # cards counted by state, easiness and due date
    schema_search_index.STEP: schema_search_index.migrate,  # the search's trigram index
    schema_new_cards.STEP: schema_new_cards.migrate,  # the new cards in id order (is:new)
    schema_statement_counts.STEP: schema_statement_counts.migrate,  # PostgreSQL: bulk counts
    schema_search_statistics.STEP: schema_search_statistics.migrate,  # PostgreSQL: estimates
}
SCHEMA_VERSION = max(MIGRATIONS)
SERVER_ONLY = frozenset({schema_statement_counts.STEP, schema_search_statistics.STEP})
"""Steps that change nothing in a SQLite file but its version number. On a file they run
without a backup first, a stage of an upgrade's progress or an upgrade screen: at a million
cards the backup alone would copy and check 2 GB for nothing."""


def changing_steps(current: int, sqlite: bool) -> list[int]:
    """The steps after `current` that change a collection (a SQLite file's: not SERVER_ONLY)."""
    pending = range(current + 1, SCHEMA_VERSION + 1)
    return [v for v in pending if not (sqlite and v in SERVER_ONLY)]


STEP_LABELS = {
    schema_v6.VERSION: "counting the cards by state and due date",
    schema_search_index.STEP: "building the search index",
    schema_new_cards.STEP: "indexing the new cards",
    schema_statement_counts.STEP: "counting bulk writes at once (a server's)",
    schema_search_statistics.STEP: "the search's statistics (a server's)",
}
"""What a step does, as an upgrade's progress names it (steps up to 5: "schema step N")."""


def step_label(version: int) -> str:
    return STEP_LABELS.get(version, f"schema step {version}")


def upgrade_pending(target: str) -> int | None:
    """The schema version of the collection file at `target` when opening it will upgrade it
    (older than this flashcards'), read without opening it for writing; None for anything
    else (a server URL, no file, a new, current or newer collection, a file that cannot be
    read: the usual open says what is wrong). The TUI shows an upgrade on screen (ui/
    upgrade_start.py), where it opened the collection before the app."""
    path = Path(target).expanduser()
    if "://" in str(target) or not path.is_file():
        return None
    try:
        conn = sqlite3.connect(f"file:{quote(str(path.resolve()))}?mode=ro", uri=True, timeout=1)
        try:
            row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        return None
    text = str(row[0]).strip() if row else ""
    if text.isascii() and text.isdigit() and 0 < int(text) < SCHEMA_VERSION:
        return int(text) if changing_steps(int(text), sqlite=True) else None
    return None


def _where(db: Database) -> str:
    """The database's location for a message (a server's URL with its password masked)."""
    return getattr(db, "location", None) or display_location(str(db.database))


def schema_version(db: Database) -> int:
    """The collection's schema version; 0 for a database with no tables of ours.

    A stored version that is not a whole number from 1 up (hand-edited, or damaged) is a
    one-line error: guessing one would migrate (and back up) on every open.
    """
    if not db.table_exists("meta"):
        return 0
    try:
        row = Meta.get_or_none(Meta.key == "schema_version")
    except DatabaseError as exc:  # a `meta` table of another shape: someone else's database
        raise describe_error(exc, _where(db), foreign_file=True) from None
    if row is None:
        return 0
    text = str(row.value).strip()
    if not (text.isascii() and text.isdigit()) or int(text) < 1 or len(text) > 9:
        shown = text if len(text) <= 20 else text[:20] + "…"
        raise UserError(
            f"{_where(db)}: the collection's schema version {shown!r} "
            "is not valid (the meta table was changed by hand, or the file is damaged)"
        )
    return int(text)


def migrate(
    db: Database,
    before_migration: Callable[[int], None] | None = None,
    progress: UpgradeReporter | None = None,
) -> int:
    """Bring the schema up to date, each step in its own transaction; refuse a newer one.

    `progress` hears of an upgrade (not of a new collection's creation): its plan, then each
    stage (upgrade_progress.py); a step's SQL reports through SQLite's progress handler, and
    a step's own loop through `upgrade_progress.active()`.
    """
    current = schema_version(db)
    where = _where(db)
    if current == 0 and isinstance(db, SqliteDatabase):  # a server database may be shared
        foreign = sorted(t for t in db.get_tables() if not t.startswith("sqlite_"))
        if foreign:
            raise UserError(
                f"{where}: not a flashcards collection (it is a database with other "
                f"tables: {', '.join(foreign[:5])}{', …' if len(foreign) > 5 else ''})"
            )
    if current > SCHEMA_VERSION:
        raise UserError(
            f"{where}: this collection was written by a newer flashcards "
            f"(schema version {current}; this version reads up to {SCHEMA_VERSION}). "
            "Upgrade flashcards to open it."
        )
    sqlite = isinstance(db, SqliteDatabase)
    changes = changing_steps(current, sqlite)
    upgrading = bool(current) and bool(changes)
    reporter = progress if upgrading else None
    if reporter is not None:
        reporter.plan(current, SCHEMA_VERSION, [step_label(v) for v in changes])
    if upgrading and before_migration is not None:
        before_migration(current)
    index = len(reporter.before) if reporter is not None else 0
    for version in range(current + 1, SCHEMA_VERSION + 1):
        if reporter is None or version not in changes:
            _step(db, version)
            continue
        connection = db.connection() if sqlite else None
        with reporter.stage(index), reporting(reporter):
            if connection is None:
                _step(db, version)
            else:
                with reporter.ticking(connection):
                    _step(db, version)
        index += 1
    return current


def _step(db: Database, version: int) -> None:
    """One schema step and the version it leaves, in one transaction."""
    with db.atomic():
        MIGRATIONS[version](db)
        Meta.put("schema_version", str(version))
