"""Restoring a SQLite collection from a backup: check the file, stage it, copy it in.

The job that undoes what backups.py makes: a backup is refused, with one line and nothing
changed, unless it is a healthy collection this build reads (`check_backup_file`); the check
runs on a private copy, which is what then goes in, through SQLite's online backup API, so
other connections see the old content or the new, never a mix. The copy's search index is
marked stale on the way (`_distrust_search_index`): derived data the check does not read.
The current collection is backed up first (`pre-restore`), or moved aside when it is too
damaged to be backed up.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
from pathlib import Path

from flashcards.clock import Clock
from flashcards.errors import UserError
from flashcards.sanitize import clean_line
from flashcards.storage.backups import (
    BUSY_TIMEOUT,
    SQLITE_MAGIC,
    DamagedCollection,
    backup_within,
    copy_database,
    make_backup,
    source_of,
    utc_stamp,
)
from flashcards.storage.database import describe_error
from flashcards.storage.files import collection_files, same_file
from flashcards.storage.schema_check import check_file, readonly_uri
from flashcards.storage.search_text_tables import STATE


def check_backup_file(path: str | Path, *, shown: Path | None = None) -> int:
    """Refuse, with one clear line, a file that is not a healthy collection this build can read.

    Integrity, schema version (present, a whole number, known), the schema of that version
    (tables, columns, indexes, triggers; no foreign trigger or view) and the key values (dates,
    SM-2 state); see `flashcards.storage.schema_check`. Returns the file's schema version.
    Opens the file read-only: nothing is written to it. `shown` is the name messages use.
    """
    path = Path(path).expanduser()
    name = clean_line(shown or path)
    if not path.exists():
        raise UserError(f"{name}: no such file")
    if path.is_dir():
        raise UserError(f"{name}: is a directory, not a backup file")
    try:
        with path.open("rb") as f:
            header = f.read(len(SQLITE_MAGIC))
    except OSError as exc:
        raise UserError(f"{name}: cannot read the file ({exc.strerror or exc})") from None
    if header != SQLITE_MAGIC:
        raise UserError(f"{name}: not a SQLite database, so not a flashcards backup")
    report = check_file(path)
    if report.problems:
        raise UserError(
            f"{name}: refused, not a healthy flashcards collection: "
            f"{clean_line(report.summary())}; nothing was changed"
        )
    assert report.version is not None
    return report.version


def _stage(backup: Path, folder: Path) -> Path:
    """A private copy of `backup` in `folder`: what is checked is exactly what is restored."""
    staged = folder / "staged.db"
    try:
        source = sqlite3.connect(readonly_uri(backup), uri=True)
        try:
            copy_database(source, backup, staged)
        finally:
            source.close()
    except sqlite3.Error as exc:
        raise UserError(
            f"{clean_line(backup)}: refused, not a healthy flashcards collection: "
            f"{clean_line(exc)}; nothing was changed"
        ) from None
    return staged


def restore_backup(
    target: str | Path, backup: str | Path, *, clock: Clock | None = None
) -> Path | None:
    """Replace the collection's content with `backup`, after backing the current one up.

    The backup is copied aside and the copy checked (`check_backup_file`) before anything is
    replaced; returns the pre-restore backup of the current collection (None when there was no
    current collection). The copy goes through the online backup API into the live file, so
    other connections see either the old or the new content. A current file that is damaged
    (it cannot be backed up) is moved aside (`.damaged-<time>`) instead.
    """
    db_path, clock = source_of(target, clock)
    backup = Path(backup).expanduser()
    if any(same_file(backup, part) for part in collection_files(db_path)):
        raise UserError(f"{clean_line(backup)}: that is the collection itself")
    check_backup_file(backup)  # the cheap refusals first, with the file's own name
    try:
        staging = tempfile.TemporaryDirectory(prefix=".restore-", dir=db_path.parent)
    except OSError as exc:
        raise UserError(
            f"{clean_line(db_path.parent)}: cannot prepare the restore ({exc.strerror or exc})"
        ) from None
    with staging as folder:
        staged = _stage(backup, Path(folder))
        check_backup_file(staged, shown=backup)
        _distrust_search_index(staged)
        saved: Path | None = None
        if db_path.is_file():
            try:
                saved = make_backup(db_path, "pre-restore", clock=clock)
            except DamagedCollection:
                saved = _move_aside(db_path, clock)
        _copy_into(staged, db_path)
    return saved


def _distrust_search_index(staged: Path) -> None:
    """Mark the staged copy's search index (schema step 7) as describing no card.

    The check of a backup does not read the index, and a tampered one could leave a card out of
    a text search's candidates (storage/search_index.py). Marked as folded with no Unicode
    version, it is not used (every search reads every card, as before step 7) until the
    search's upkeep (services/search_upkeep.py) has dropped it and indexed the cards again from
    the restored rows. The rows themselves are restored as they are; only the index's state,
    derived data, is not.
    """
    try:
        conn = sqlite3.connect(str(staged))
        try:
            with conn:
                exists = conn.execute(
                    "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (STATE,)
                ).fetchone()
                if exists:  # a backup from before step 7 gets its index from the step
                    conn.execute(f'UPDATE "{STATE}" SET "upto" = 0, "unicode" = \'\'')
        finally:
            conn.close()
    except sqlite3.Error as exc:
        raise UserError(f"{clean_line(staged)}: cannot prepare the restore ({exc})") from None


def _copy_into(source_path: Path, db_path: Path) -> None:
    """Copy the checked file into the collection, in one step other connections see whole."""
    try:
        source = sqlite3.connect(readonly_uri(source_path), uri=True)
        try:
            dest = sqlite3.connect(str(db_path), timeout=BUSY_TIMEOUT)
            try:
                mode = dest.execute("PRAGMA journal_mode").fetchone()[0]
                size = source.execute("PRAGMA page_size").fetchone()[0]
                if mode == "wal" and dest.execute("PRAGMA page_size").fetchone()[0] != size:
                    # A WAL database cannot change its page size: leave WAL for the copy.
                    dest.execute("PRAGMA journal_mode=delete")
                backup_within(source, dest, db_path)
                dest.execute("PRAGMA journal_mode=wal")
            finally:
                dest.close()
        finally:
            source.close()
    except sqlite3.Error as exc:
        raise describe_error(exc, str(db_path)) from None


def _move_aside(db_path: Path, clock: Clock) -> Path:
    """Keep an unreadable collection (and its -wal/-shm) under a new name; returns the new path."""
    aside = db_path.with_name(f"{db_path.name}.damaged-{utc_stamp(clock)}")
    try:
        for suffix in ("", "-wal", "-shm"):
            part = Path(str(db_path) + suffix)
            if part.exists():
                os.replace(part, Path(str(aside) + suffix))
    except OSError as exc:
        raise UserError(f"{db_path}: cannot move the damaged collection aside ({exc})") from None
    return aside
