"""What a database error means for the user: the one place driver errors are classified.

Everything that can go wrong because of the file or server a user pointed us at (a directory,
not a database, read-only, locked, full, unreachable) becomes a one-line `UserError` here, so
callers never see a raw sqlite3 or psycopg2 message for a user's mistake; a bug's error (no such
column, a constraint) keeps its traceback.
"""

from __future__ import annotations

import sqlite3

from peewee import InterfaceError, PeeweeException

from flashcards.errors import UserError
from flashcards.storage.location import display_location


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
