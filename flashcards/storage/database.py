"""Opening a collection: path or URL, pragmas, schema version, migrations.

Everything that can go wrong because of the file a user pointed us at (a directory, not a
database, read-only, locked, written by a newer version) becomes a `UserError` here, so callers
never see a raw sqlite3 message for a user's mistake.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from peewee import (
    Database,
    DatabaseError,
    ImproperlyConfigured,
    InterfaceError,
    OperationalError,
    PeeweeException,
    PostgresqlDatabase,
    SqliteDatabase,
)

from flashcards.errors import UserError
from flashcards.storage import schema_v1, schema_v2, schema_v3, schema_v4
from flashcards.storage.binding import bound
from flashcards.storage.location import display_location, is_url, parse_server_url
from flashcards.storage.models import Meta

__all__ = ["display_location", "display_target", "is_url"]  # re-exported for the services

T = TypeVar("T")

# The name this module used before `display_location` (one function, two names while callers move).
display_target = display_location

SCHEMA_VERSION = 4

SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    "synchronous": "normal",
    "busy_timeout": 5000,
}


# MIGRATIONS[n] takes a database at schema n-1 to schema n. Each step builds its own frozen
# schema (never the current models), so an old collection and a new one end up identical.
# Append, never edit a landed step.
MIGRATIONS: dict[int, Callable[[Database], None]] = {
    1: schema_v1.create,
    2: schema_v2.migrate,
    3: schema_v3.migrate,  # notes, per-deck options
    4: schema_v4.migrate,  # media: name -> content hash -> bytes
}


def _driver_error(exc: BaseException) -> BaseException:
    """The driver's own exception behind a peewee one (peewee keeps it as `orig`, and wraps
    a wrapped one again when it passes a second exception wrapper, as connecting inside
    BEGIN does)."""
    for _ in range(8):
        if not isinstance(exc, PeeweeException):
            return exc  # the driver's own
        orig = getattr(exc, "orig", None)
        if not isinstance(orig, BaseException):
            return exc.__context__ if exc.__context__ is not None else exc
        exc = orig
    return exc


def _real_error(exc: BaseException) -> BaseException:
    """The error behind "cannot rollback - no transaction is active" (or a failed rollback).

    When COMMIT fails because the disk is full (or on an I/O error) SQLite has already rolled
    back; peewee's `atomic()` then tries to roll back too, and that second error hides the first.
    A server connection lost mid-transaction fails the rollback the same way.
    """
    seen: set[int] = set()
    while (
        ("no transaction is active" in str(exc) or "connection already closed" in str(exc))
        and exc.__context__ is not None
        and id(exc) not in seen
    ):
        seen.add(id(exc))
        exc = exc.__context__
    return exc


# SQLite's primary result codes (the low byte of `sqlite_errorcode`) that a user's file, disk or
# another process can cause, and what to tell the user. Any other code (SQLITE_ERROR's "no such
# column", a constraint) is a bug and keeps its traceback.
_SQLITE_CODES: dict[int, str] = {
    sqlite3.SQLITE_BUSY: "the collection is busy (another flashcards is writing to it)",
    sqlite3.SQLITE_LOCKED: "the collection is busy (another flashcards is writing to it)",
    sqlite3.SQLITE_READONLY: "the collection is read-only (check the file's permissions)",
    sqlite3.SQLITE_PERM: "the collection is read-only (check the file's permissions)",
    sqlite3.SQLITE_FULL: "the disk is full; nothing was changed",
    sqlite3.SQLITE_IOERR: "the collection file could not be read or written (an I/O error)",
    sqlite3.SQLITE_CANTOPEN: "cannot open the collection (missing folder or no permission)",
    sqlite3.SQLITE_NOTADB: "not a flashcards collection (the file is not a valid database)",
    sqlite3.SQLITE_CORRUPT: "not a flashcards collection (the file is not a valid database)",
}

LOST_CONNECTION = "the connection to the database server was lost"
_UNREACHABLE = "cannot reach the database server (is it running, and are the host and port right?)"

# PostgreSQL SQLSTATEs (whole codes first, then their two-character class) a user or the server's
# state can cause. Undefined tables and columns (42P01, 42703), syntax and constraint errors are
# bugs: they are not here.
_PG_CODES: dict[str, str] = {
    "28P01": "the server refused the user name or password",
    "28000": "the server refused the user name or password",
    "3D000": "no such database on the server (create it first, e.g. with createdb)",
    "42501": "the server refused: this user may not change the collection",
    "25006": "the collection is read-only on the server",
    "40001": "the collection is busy (another flashcards is writing to it); try again",
    "40P01": "the collection is busy (another flashcards is writing to it); try again",
    "55P03": "the collection is busy (another flashcards is writing to it); try again",
    "57014": "the server cancelled the statement (a timeout?); nothing was changed",
    "57P01": LOST_CONNECTION,
    "57P02": LOST_CONNECTION,
    "57P03": "the database server is starting up or shutting down; try again shortly",
    "53100": "the database server's disk is full; nothing was changed",
    "08": LOST_CONNECTION,
    "53": "the database server is out of resources; nothing was changed",
}


def _server_problem(low: str) -> str | None:
    """A failure to connect that libpq reports without a SQLSTATE, as what the user should check."""
    if "password authentication failed" in low or "no password supplied" in low:
        return "the server refused the user name or password"
    if "database" in low and "does not exist" in low:
        return "no such database on the server (create it first, e.g. with createdb)"
    if "role" in low and "does not exist" in low:
        return "no such user on the server"
    if "server closed the connection" in low:
        return LOST_CONNECTION
    if "ssl" in low or "sslmode" in low:
        return "the server's SSL settings do not match the URL's (check sslmode)"
    return _UNREACHABLE


def classify_error(exc: BaseException) -> str | None:
    """What a database error means for the user, or None when it is not theirs (a bug)."""
    raw = _driver_error(_real_error(exc))
    code = getattr(raw, "sqlite_errorcode", None)
    if isinstance(code, int):
        return _SQLITE_CODES.get(code & 0xFF)
    if type(raw).__module__.startswith("psycopg2"):
        pgcode = getattr(raw, "pgcode", None)
        if pgcode:
            return _PG_CODES.get(pgcode) or _PG_CODES.get(pgcode[:2])
        # No SQLSTATE: libpq's own failure (connecting, or a connection that went away).
        if "invalid dsn" in str(raw):
            return "the URL has an option the database driver does not know"
        if type(raw).__name__ == "OperationalError":
            return _server_problem(str(raw).lower())
        # An InterfaceError is our misuse of the driver (a closed cursor), unless the
        # connection itself is gone.
        return LOST_CONNECTION if "connection already closed" in str(raw) else None
    if isinstance(exc, InterfaceError) and "connection already closed" in str(exc):
        return LOST_CONNECTION
    return None


def describe_error(exc: Exception, where: str, *, foreign_file: bool = False) -> UserError:
    """The one-line `UserError` for a database error a user can cause (a busy, read-only, full,
    damaged or unreachable collection), classified by SQLite's result code or PostgreSQL's
    SQLSTATE; anything else (a bug's "no such column") is re-raised with its traceback.

    `foreign_file`: the database is a file the user handed us to read (a backup to restore, a
    collection being opened), so SQL that fails on its tables means the file is not ours.
    `where` is shown as `display_location` renders it, so a URL's password never appears.
    """
    meaning = classify_error(exc)
    if meaning is None and foreign_file and _is_sql_error(exc):
        meaning = f"not a flashcards collection (its tables are not ours: {_real_error(exc)})"
    if meaning is None:
        raise exc
    return UserError(f"{display_location(where)}: {meaning}")


def _is_sql_error(exc: BaseException) -> bool:
    """A statement that does not fit the tables it ran on (SQLITE_ERROR, SQLSTATE class 42)."""
    raw = _driver_error(_real_error(exc))
    pgcode = getattr(raw, "pgcode", None) or ""
    return getattr(raw, "sqlite_errorcode", None) == sqlite3.SQLITE_ERROR or pgcode[:2] == "42"


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


def connection_lost(db: Database) -> bool:
    """True when the database's driver connection is gone (a server restarted or dropped us).

    Only a server database can lose its connection; a SQLite file has none to lose.
    """
    if db.is_closed() or isinstance(db, SqliteDatabase):
        return False
    return bool(getattr(db.connection(), "closed", 0))


def reconnect(db: Database, where: str) -> None:
    """Drop the dead connection and open a new one; a failure to connect is a `UserError`."""
    with contextlib.suppress(DatabaseError, InterfaceError):  # it is being replaced anyway
        db.close()
    try:
        db.connect(reuse_if_open=True)
    except (DatabaseError, InterfaceError) as exc:
        raise describe_error(exc, where) from None


class ServerDatabase(PostgresqlDatabase):
    """A collection on a PostgreSQL server that survives a server restart.

    A SELECT outside a transaction that finds the connection dead is run again once on a new
    connection (a read is safe to repeat); anything else is left to `run_write`, which knows
    whether its transaction reached COMMIT. Without this, every screen's next query after a
    restart would fail with "connection already closed".
    """

    def __init__(self, database: str, *, location: str = "", **params: object) -> None:
        super().__init__(database, **params)
        self.location = display_location(location or database)  # for messages: no password

    def execute_sql(self, sql: str, params: object = None):  # noqa: ANN201  (a driver cursor)
        try:
            return super().execute_sql(sql, params)
        except (DatabaseError, InterfaceError):
            if (
                self.in_transaction()
                or sql.lstrip()[:6].upper() != "SELECT"
                or not connection_lost(self)
            ):
                raise
            reconnect(self, self.location)
            return super().execute_sql(sql, params)


def run_write(db: Database, work: Callable[[], T], where: str) -> T:
    """Run `work` in one write transaction and return its result; the one way a use case that
    keeps state in memory writes (it changes that state only after this returns).

    A database error a user can cause becomes a one-line `UserError` (nothing was written); a
    bug's error is re-raised. A lost server connection is reconnected once, and `work` is run
    again if the connection died before COMMIT was sent (nothing can have been written then);
    lost during COMMIT, the outcome is unknown, so it is reported rather than repeated.
    """
    for attempt in (1, 2):
        reached_commit = False
        try:
            with write_transaction(db):
                result = work()
                reached_commit = True
            return result
        except (DatabaseError, InterfaceError) as exc:
            if not connection_lost(db):
                raise describe_error(exc, where) from None
            reconnect(db, where)
            if attempt == 2 or reached_commit:
                raise UserError(
                    f"{display_location(where)}: {LOST_CONNECTION} while saving, so it may not "
                    "have been saved; it is connected again"
                ) from None
    raise AssertionError("unreachable")


def run_read(db: Database, work: Callable[[], T], where: str) -> T:
    """`work` (reads only, so always safe to repeat), reconnecting once if the server dropped us;
    a database error a user can cause becomes a one-line `UserError`."""
    for attempt in (1, 2):
        try:
            return work()
        except (DatabaseError, InterfaceError) as exc:
            if attempt == 2 or not connection_lost(db):
                raise describe_error(exc, where) from None
            reconnect(db, where)
    raise AssertionError("unreachable")


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


def migrate(db: Database, before_migration: Callable[[int], None] | None = None) -> int:
    """Bring the schema up to date, each step in its own transaction; refuse a newer one."""
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
    """Open (creating if new) the collection at a path or URL and bring its schema up to date.

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
        db = SqliteDatabase(str(path), pragmas=SQLITE_PRAGMAS)
    try:
        db.connect(reuse_if_open=True)
        with bound(db):
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
