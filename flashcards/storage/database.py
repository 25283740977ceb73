"""Opening a collection: a path or a URL, the pragmas, the schema brought up to date.

The rest of a database's life has its own modules, re-exported here for the callers that
import them from this one: the classification of errors (`db_errors.py`), transactions and
reconnecting (`transactions.py`), the schema steps and their runner (`migrations.py`).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

from peewee import (
    Database,
    DatabaseError,
    ImproperlyConfigured,
    OperationalError,
)

from flashcards.errors import UserError
from flashcards.storage.binding import bound
from flashcards.storage.db_errors import (
    LOST_CONNECTION,
    classify_error,
    describe_error,
)
from flashcards.storage.insert_thread import GatedSqliteDatabase
from flashcards.storage.location import display_location, is_url, parse_server_url
from flashcards.storage.migrations import MIGRATIONS, SCHEMA_VERSION, migrate, schema_version
from flashcards.storage.transactions import (
    ServerDatabase,
    connection_lost,
    reconnect,
    run_read,
    run_write,
    write_transaction,
)
from flashcards.storage.upgrade_progress import UpgradeReporter

__all__ = [  # re-exported: callers import these from here
    "LOST_CONNECTION",
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "ServerDatabase",
    "classify_error",
    "connection_lost",
    "describe_error",
    "display_location",
    "display_target",
    "is_url",
    "migrate",
    "reconnect",
    "run_read",
    "run_write",
    "schema_version",
    "write_transaction",
]

# The name this module used before `display_location` (one function, two names while callers move).
display_target = display_location

SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    "synchronous": "normal",
    "busy_timeout": 5000,
}


def _check_path(path: Path) -> None:
    if path.is_dir():
        raise UserError(f"{path}: is a directory, not a collection file")
    if not path.parent.exists():
        raise UserError(f"{path}: the folder {path.parent} does not exist")


def open_database(
    target: str | Path,
    *,
    before_migration: Callable[[int], None] | None = None,
    progress: UpgradeReporter | None = None,
) -> Database:
    """Open (creating if new) the collection at a path or URL and bring its schema up to date
    (an upgrade's progress told to `progress`, which may also stop it: upgrade_progress.py).

    Nothing is bound to it beyond its migration: callers hand the database (or the `Collection`
    holding it) to what runs on it, which binds it (storage/binding.py).
    """
    where = display_location(target)
    if isinstance(target, str) and is_url(target):
        url = parse_server_url(target)
        if url.database is None:
            raise UserError(f"{where}: the URL names no database (…/DBNAME at its end)")
        parts = {"user": url.user, "password": url.password, "host": url.host, "port": url.port}
        # Query options (sslmode=…, even password=…) first; what the URL's own parts say wins.
        params = {**url.options, **{k: v for k, v in parts.items() if v is not None}}
        db: Database = ServerDatabase(url.database, location=where, **params)
    else:
        path = Path(target).expanduser()
        _check_path(path)
        # Opened with check_same_thread=False: peewee keeps a connection per thread, so the one
        # other thread that ever uses this one is a bulk import's (storage/insert_thread.py).
        db = GatedSqliteDatabase(str(path), pragmas=SQLITE_PRAGMAS)
    try:
        db.connect(reuse_if_open=True)
        with bound(db):
            migrate(db, before_migration, progress)
    except (OperationalError, DatabaseError, sqlite3.DatabaseError) as exc:
        db.close()
        raise describe_error(exc, where) from None
    except ImproperlyConfigured as exc:  # e.g. a postgresql:// URL without psycopg2 installed
        raise UserError(f"{where}: {exc}") from None
    except UserError:
        db.close()
        raise
    return db
