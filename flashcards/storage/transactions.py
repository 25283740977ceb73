"""Running work on a collection: write transactions, reads, and a server connection that
comes back after a restart.

Every write of the app goes through `write_transaction` or `run_write` (one transaction, the
write lock taken first); `run_read` and `ServerDatabase` reconnect once when a server dropped
the connection, and say so in one line when the outcome of a write cannot be known.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import TypeVar

from peewee import Database, DatabaseError, InterfaceError, PostgresqlDatabase, SqliteDatabase

from flashcards.errors import UserError
from flashcards.storage.db_errors import LOST_CONNECTION, describe_error
from flashcards.storage.location import display_location

T = TypeVar("T")


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
