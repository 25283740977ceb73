"""Opening a collection: path or URL, pragmas, schema version, migrations.

Everything that can go wrong because of the file a user pointed us at (a directory, not a
database, read-only, locked, written by a newer version) becomes a `UserError` here, so callers
never see a raw sqlite3 message for a user's mistake.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable
from pathlib import Path

from peewee import (
    Database,
    DatabaseError,
    ImproperlyConfigured,
    OperationalError,
    SqliteDatabase,
)

from flashcards.errors import UserError
from flashcards.storage import schema_v1, schema_v2
from flashcards.storage.models import Meta, db_proxy

SCHEMA_VERSION = 2

SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    "synchronous": "normal",
    "busy_timeout": 5000,
}


# MIGRATIONS[n] takes a database at schema n-1 to schema n. Each step builds its own frozen
# schema (never the current models), so an old collection and a new one end up identical.
# Append, never edit a landed step.
MIGRATIONS: dict[int, Callable[[Database], None]] = {1: schema_v1.create, 2: schema_v2.migrate}


def is_url(target: str) -> bool:
    return "://" in target


def display_target(target: str) -> str:
    """The path or URL as messages show it: a URL's password masked."""
    return re.sub(r"(://[^:/@]*:)[^@/]*@", r"\1***@", target)


def _real_error(exc: BaseException) -> BaseException:
    """The error behind "cannot rollback - no transaction is active".

    When COMMIT fails because the disk is full (or on an I/O error) SQLite has already rolled
    back; peewee's `atomic()` then tries to roll back too, and that second error hides the first.
    """
    seen: set[int] = set()
    while (
        "no transaction is active" in str(exc)
        and exc.__context__ is not None
        and id(exc) not in seen
    ):
        seen.add(id(exc))
        exc = exc.__context__
    return exc


def _server_problem(low: str) -> str | None:
    """A database server's connection failure (libpq's wording), as what the user should check."""
    if "password authentication failed" in low or "no password supplied" in low:
        return "the server refused the user name or password"
    if "database" in low and "does not exist" in low:
        return "no such database on the server (create it first, e.g. with createdb)"
    if "role" in low and "does not exist" in low:
        return "no such user on the server"
    if (
        "connection refused" in low
        or "could not connect" in low
        or "could not translate host name" in low
        or "connection to server" in low
        or "timeout expired" in low
    ):
        return "cannot reach the database server (is it running, and are the host and port right?)"
    return None


def describe_error(exc: Exception, where: str) -> UserError:
    """Turn a database error caused by the user's file into one readable line."""
    text = str(_real_error(exc))
    low = text.lower()
    server = _server_problem(low)
    if server:
        return UserError(f"{where}: {server}")
    if "locked" in low or "busy" in low:
        return UserError(f"{where}: the collection is busy (another flashcards is writing to it)")
    if "not a database" in low or "malformed" in low:
        return UserError(f"{where}: not a flashcards collection (the file is not a valid database)")
    if "readonly" in low or "read-only" in low:
        return UserError(f"{where}: the collection is read-only (check the file's permissions)")
    if "unable to open" in low:
        return UserError(f"{where}: cannot open the collection (missing folder or no permission)")
    if "full" in low:
        return UserError(f"{where}: the disk is full; nothing was changed")
    return UserError(f"{where}: {text}")


def _check_path(path: Path) -> None:
    if path.is_dir():
        raise UserError(f"{path}: is a directory, not a collection file")
    if not path.parent.exists():
        raise UserError(f"{path}: the folder {path.parent} does not exist")


def write_transaction(db: Database):  # noqa: ANN201  (peewee's _atomic context manager)
    """A transaction that takes the write lock when it begins (SQLite's BEGIN IMMEDIATE).

    A plain SQLite transaction that reads, then writes, fails at once with "database is locked"
    if another process wrote in between; taking the lock first makes a concurrent writer wait
    (up to busy_timeout) instead, and what is read inside is what the write builds on.
    """
    return db.atomic("IMMEDIATE") if isinstance(db, SqliteDatabase) else db.atomic()


def schema_version(db: Database) -> int:
    """The collection's schema version; 0 for a database with no tables of ours."""
    if not db.table_exists("meta"):
        return 0
    row = Meta.get_or_none(Meta.key == "schema_version")
    return int(row.value) if row else 0


def migrate(db: Database, before_migration: Callable[[int], None] | None = None) -> int:
    """Bring the schema up to date, each step in its own transaction; refuse a newer one."""
    current = schema_version(db)
    if current == 0 and isinstance(db, SqliteDatabase):  # a server database may be shared
        foreign = sorted(t for t in db.get_tables() if not t.startswith("sqlite_"))
        if foreign:
            raise UserError(
                f"{db.database}: not a flashcards collection (it is a database with other "
                f"tables: {', '.join(foreign[:5])}{', …' if len(foreign) > 5 else ''})"
            )
    if current > SCHEMA_VERSION:
        raise UserError(
            f"{db.database}: this collection was written by a newer flashcards "
            f"(schema version {current}; this version reads up to {SCHEMA_VERSION}). "
            "Upgrade flashcards to open it."
        )
    if current and current < SCHEMA_VERSION and before_migration is not None:
        before_migration(current)
    for version in range(current + 1, SCHEMA_VERSION + 1):
        with db.atomic():
            MIGRATIONS[version](db)
            Meta.put("schema_version", str(version))
    return current


def open_database(
    target: str | Path,
    *,
    before_migration: Callable[[int], None] | None = None,
) -> Database:
    """Open (creating if new) the collection at a path or URL and bind the models to it."""
    where = display_target(str(target))
    if isinstance(target, str) and is_url(target):
        from playhouse.db_url import connect

        try:
            db: Database = connect(target)
        except RuntimeError as exc:  # an unknown scheme
            raise UserError(f"{where}: {exc}") from None
    else:
        path = Path(target).expanduser()
        _check_path(path)
        db = SqliteDatabase(str(path), pragmas=SQLITE_PRAGMAS)
    db_proxy.initialize(db)
    try:
        db.connect(reuse_if_open=True)
        migrate(db, before_migration)
    except (OperationalError, DatabaseError, sqlite3.DatabaseError) as exc:
        db.close()
        raise describe_error(exc, where) from None
    except ImproperlyConfigured as exc:  # e.g. a postgresql:// URL without psycopg2 installed
        raise UserError(f"{where}: {exc}") from None
    except UserError:
        db.close()
        raise
    return db
