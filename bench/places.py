"""Where a benchmark collection lives: a new file, or a new database on a PostgreSQL server.

`python bench/run.py --cards 100000 --pg URL` measures on a server: URL names a database on a
server the caller started (`postgresql://postgres@127.0.0.1:5432/postgres`); each collection
the run measures is a database of its own created there (`flashcards_bench_…`) and dropped
when the run ends, so the named database is only connected to, never written. The synthetic
collection is written with COPY (psycopg2's `copy_expert`): `executemany` sends a statement a
row, minutes for 1,000,000 review-log rows.
"""

from __future__ import annotations

import io
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

PG_HELP = (
    "measure on this PostgreSQL server (postgresql://user@host:port/db), each collection a new "
    "database there, dropped at the end; a file's and a screen's figures are left out"
)


@contextmanager
def fresh_file(path: Path) -> Iterator[str]:
    """A new collection file's path, the file deleted after the block."""
    try:
        yield str(path)
    finally:
        path.unlink(missing_ok=True)


def is_url(target: str) -> bool:
    return "://" in target


def _admin(server: str, sql: str) -> None:
    import psycopg2

    conn = psycopg2.connect(server, connect_timeout=5)
    conn.autocommit = True  # CREATE/DROP DATABASE cannot run in a transaction
    try:
        conn.cursor().execute(sql)
    finally:
        conn.close()


@contextmanager
def fresh_database(server: str) -> Iterator[str]:
    """The URL of a new, empty database on `server`'s server, dropped after the block."""
    name = f"flashcards_bench_{uuid.uuid4().hex[:12]}"
    _admin(server, f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(urlsplit(server)._replace(path=f"/{name}"))
    finally:
        _admin(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _field(value: object) -> str:
    """One value in COPY's text format. The synthetic texts hold no tab, newline or
    backslash (synth.WORDS), so only NULL needs writing out."""
    return "\\N" if value is None else str(value)


def copy_rows(conn: object, table: str, columns: Iterable[str], rows: Iterable[tuple]) -> None:
    """COPY `rows` (values as synth._sql makes them: text dates, ints) into `table`."""
    text = "".join("\t".join(_field(v) for v in row) + "\n" for row in rows)
    names = ", ".join(f'"{c}"' for c in columns)
    cursor = conn.cursor()  # type: ignore[attr-defined]
    cursor.copy_expert(f'COPY "{table}" ({names}) FROM STDIN', io.StringIO(text))
