"""`flashcards check`: is the collection healthy? Read-only, for a file or a server database."""

from __future__ import annotations

from pathlib import Path

from flashcards.errors import UserError
from flashcards.sanitize import clean_line
from flashcards.storage.database import display_target, is_url, open_database
from flashcards.storage.schema_check import CheckReport, check_database, check_file


def _no_upgrade(version: int) -> None:
    """A check never migrates: an older server schema is reported, not changed."""
    raise UserError(
        f"schema version {version} is older than this flashcards'; "
        "open it with any other command to upgrade it, then check again"
    )


def check_collection(target: str) -> CheckReport:
    """Integrity (SQLite files only), schema version, schema and values of the collection.

    A file is opened read-only and never created or migrated; a server database gets the
    schema and value checks only, since `PRAGMA integrity_check` is SQLite's.
    """
    if is_url(target):
        db = open_database(target, before_migration=_no_upgrade)
        try:
            return check_database(db, run_integrity=False)
        finally:
            db.close()
    path = Path(target).expanduser()
    if not path.is_file():
        raise UserError(f"{clean_line(path)}: no collection there to check")
    return check_file(path)


def where(target: str) -> str:
    """The collection's name as a message shows it: a URL's password masked, controls visible."""
    return clean_line(display_target(target))
