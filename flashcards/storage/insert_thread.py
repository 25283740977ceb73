"""A bulk import's INSERT statements stepped on a second thread while the importing thread parses
the next rows: sqlite3 lets go of the GIL while SQLite steps a statement, so the parsing (Python)
and the inserting (SQLite's C) overlap. An import of 200,000 cards into a new deck: 2.04 s ->
1.76 s (medians of five, on two cores, the other one free; with both busy the gain shrinks).

The thread runs them on the import's own connection, the one place where a collection's SQLite
connection is used by a thread other than the one that opened it (peewee keeps a connection per
thread, so any other thread that queries opens its own): `GatedSqliteDatabase` allows it and
keeps it safe. Two threads must never step statements on one connection at once, nor may the
importer's other statements (deck lookups, updates, the counters, the index builds, COMMIT or
ROLLBACK) slip in before the inserts queued ahead of them. So, while `insert_thread` runs, every
statement the importing thread makes on the database first waits until the queue is empty: the
gate sits in `Database.cursor`, which peewee opens for every query, BEGIN, COMMIT and ROLLBACK,
so no path of the importer's can get past it; and the thread is stopped and joined before the
block ends, so what runs after it has the connection to itself.

A failure in the thread (a full disk, a constraint) is raised in the importing thread, as the
very exception peewee would have raised there, at its next statement or at the block's end;
the statements queued after it are dropped unrun, and the caller's transaction rolls back.
"""

from __future__ import annotations

import os
import queue
import sqlite3
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

from peewee import Database, SqliteDatabase, __exception_wrapper__

QUEUED_STATEMENTS = 4
"""INSERTs waiting for the thread at most (of 2,500 rows each: `card_import.NEW_CARD_ROWS`):
enough for the parser to run a chunk ahead, few enough that the queue holds two chunks."""
SWITCH_INTERVAL = 0.0001
"""The interpreter's thread switch interval while the thread runs (`sys.setswitchinterval`;
the default is 5 ms): before and after each statement the thread waits for the GIL, which the
parsing thread, busy in Python, gives up only at this interval. At 5 ms an import of 200,000
cards took 0.3 s longer (medians of five); 0.5 ms and 0.1 ms were alike, 0.1 ms a little
ahead. It is the whole process's while the import runs, put back after it."""

THREAD_NAME = "flashcards-import-inserts"


def usable_cores() -> int:
    """The processors this process may run on: with one, the thread could only take turns with
    the parsing and add its hand-overs of the GIL, so the INSERTs run in the importing thread."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


Execute = Callable[[str, Sequence[object]], object]
"""Runs one INSERT with its parameters (`Database.execute_sql`, or the thread's queue)."""


class GatedSqliteDatabase(SqliteDatabase):
    """A collection's SQLite database, whose connection `insert_thread` may lend to its thread:
    opened with check_same_thread=False, and with a gate (`before_statement`, set by
    `insert_thread` only) that every statement made through peewee passes first."""

    def __init__(self, database: str, **kwargs: object) -> None:
        super().__init__(database, check_same_thread=False, **kwargs)
        self.before_statement: Callable[[], None] | None = None

    def cursor(self, named_cursor: object = None):  # noqa: ANN201  (a driver cursor)
        gate = self.before_statement
        if gate is not None:
            gate()
        return super().cursor(named_cursor)


class _Inserts:
    """The queue of INSERTs and the thread that runs them on one connection."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._execute = connection.execute
        self._queue: queue.Queue[tuple[str, Sequence[object]] | None] = queue.Queue(
            QUEUED_STATEMENTS
        )
        self._failure: BaseException | None = None  # the driver's, as it raised it
        self._dropping = False  # the import is over: what is still queued is not run
        self._thread = threading.Thread(target=self._run, name=THREAD_NAME, daemon=True)
        self.owner = threading.get_ident()

    def start(self) -> None:
        self._thread.start()

    def put(self, sql: str, params: Sequence[object]) -> None:
        """Queue an INSERT (waiting while the queue is full); an earlier one's failure is
        raised instead."""
        if self._failure is not None:
            self.raise_failure()
        self._queue.put((sql, params))

    def wait(self, *, convert: bool = True) -> None:
        """Until every queued INSERT has run; the failure of one is raised (as peewee raises
        it, or, not `convert`ed, as the driver raised it)."""
        self._queue.join()
        if self._failure is not None:
            if not convert:
                raise self._failure
            self.raise_failure()

    def raise_failure(self) -> None:
        """The thread's failure, as peewee raises a driver's error (the wrapper turns
        sqlite3's into peewee's, and leaves any other as it is)."""
        with __exception_wrapper__:
            raise self._failure  # type: ignore[misc]

    def stop(self) -> None:
        """Drop what is still queued, end the thread and wait for it (its statement, if it is
        in one, finishes first: a few milliseconds). A ctrl+c while it waits is raised after,
        so the thread never outlives the import."""
        self._dropping = True
        interrupted = False
        while self._thread.is_alive():
            try:
                self._queue.put(None)  # the thread empties the queue, so this gets in
                self._thread.join()
            except KeyboardInterrupt:
                interrupted = True
        if interrupted:
            raise KeyboardInterrupt

    def _run(self) -> None:
        while (item := self._queue.get()) is not None:
            try:
                if self._failure is None and not self._dropping:
                    self._execute(*item)
            except BaseException as exc:  # noqa: BLE001  (raised in the importing thread)
                self._failure = exc
            finally:
                self._queue.task_done()
        self._queue.task_done()


@contextmanager
def insert_thread(db: Database) -> Iterator[Execute]:
    """For the block of a bulk import that inserts new cards: a function that runs an INSERT
    on a second thread (queued, in order), and a gate that holds every other statement of this
    thread's on `db` until the INSERTs before it have run.

    Inside the caller's transaction, as the block's innermost context: at its end the queue is
    emptied (a failure raised) and the thread joined, before the caller's own exits (and the
    COMMIT or ROLLBACK) run. On an error in the block, what is queued runs first (an INSERT
    that failed before the error is what is raised); on a ctrl+c, it is dropped. Another
    database (PostgreSQL, or SQLite not opened by `open_database`), or a process on a single
    processor (`usable_cores`), gets its own `execute_sql`: no thread.
    """
    if (
        not isinstance(db, GatedSqliteDatabase)
        or db.before_statement is not None
        or usable_cores() < 2
    ):
        yield db.execute_sql
        return
    inserts = _Inserts(db.connection())

    def gate() -> None:  # inside peewee's exception wrapper: a driver's error as it is
        if threading.get_ident() == inserts.owner:
            inserts.wait(convert=False)

    interval = sys.getswitchinterval()
    db.before_statement = gate
    sys.setswitchinterval(SWITCH_INTERVAL)
    try:
        inserts.start()
        try:
            yield inserts.put
            inserts.wait()
        except Exception:
            # A failed INSERT came before whatever the block raised after it (a refused row):
            # the import would have stopped at it, so it is the one to report. What is queued
            # is run to find out (a few statements), unless a ctrl+c stops that too.
            inserts.wait()
            raise
    finally:
        db.before_statement = None
        try:
            inserts.stop()
        finally:
            sys.setswitchinterval(interval)
