"""When to back up: the policy; the file-level work (copy, check, rotate, restore) is storage's.

A collection is backed up before the first change of each study day and before an import, so a
bad session or a bad deck file can always be undone with `flashcards restore`. Empty and server
collections are not backed up (there is nothing to lose, or no file to copy).
"""

from __future__ import annotations

from pathlib import Path

from peewee import DatabaseError, OperationalError

from flashcards.clock import Clock
from flashcards.services.collection import Collection
from flashcards.storage import Card, Meta, Review, backups
from flashcards.storage.binding import runs_on_collection
from flashcards.storage.database import describe_error, is_url

DAILY_KEY = "last_daily_backup"  # Meta key: the study day of the last first-write-of-day backup


def make_backup(
    col_or_path: Collection | str | Path, reason: str = "manual", *, clock: Clock | None = None
) -> Path:
    """`storage.backups.make_backup` for a collection (its file, its clock) or a path."""
    if isinstance(col_or_path, Collection):
        return backups.make_backup(col_or_path.target, reason, clock=clock or col_or_path.clock)
    return backups.make_backup(col_or_path, reason, clock=clock)


def _has_content(col: Collection) -> bool:
    return Card.select().exists() or Review.select().exists()


@runs_on_collection
def backup_before_first_write_today(col: Collection) -> Path | None:
    """Back up once per study day, before the day's first change; None when not needed.

    Remembers the study day in the Meta table (`last_daily_backup`), so calling it before every
    write costs one indexed read. Nothing to do for a server collection or an empty one.
    """
    if is_url(col.target):
        return None
    today = col.clock.today().isoformat()
    try:
        row = Meta.get_or_none(Meta.key == DAILY_KEY)
        if row is not None and row.value == today:
            return None
        path = make_backup(col, "daily") if _has_content(col) else None
        with col.db.atomic():
            Meta.put(DAILY_KEY, today)
    except (OperationalError, DatabaseError) as exc:
        raise describe_error(exc, col.target) from None
    return path


@runs_on_collection
def backup_before_import(col: Collection) -> Path | None:
    """Back up before an import changes the collection; None for an empty or server collection."""
    if is_url(col.target):
        return None
    try:
        if not _has_content(col):
            return None
    except (OperationalError, DatabaseError) as exc:
        raise describe_error(exc, col.target) from None
    return make_backup(col, "pre-import")
