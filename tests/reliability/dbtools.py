"""Helpers the reliability tests share: read a collection file without the app's code in the way.

Everything here uses plain `sqlite3` on the file, so a check never depends on (or changes) the
models bound by `open_database`, and works on a file a killed process left behind.
"""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

from flashcards.storage.search_text_tables import SQLITE_ONLY_PREFIX as SEARCH_INDEX_PREFIX


def connect_readonly(db_path: str | Path) -> sqlite3.Connection:
    """A plain connection that can read a WAL collection (it recovers the WAL, writes nothing)."""
    return sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=30)


def integrity(db_path: str | Path) -> str:
    """`PRAGMA integrity_check` of the file, its rows joined: "ok" for a healthy database."""
    conn = sqlite3.connect(str(db_path), timeout=30)
    try:
        return "\n".join(str(r[0]) for r in conn.execute("PRAGMA integrity_check"))
    finally:
        conn.close()


def table_checksum(db_path: str | Path, *, search_index: bool = True) -> str:
    """A SHA-256 over the schema and every row of every table, in rowid/primary-key order.

    Two files with the same checksum hold the same data (the WAL is read too, since SQLite shows
    committed WAL content to any reader). Use it to prove that a refused operation changed nothing.
    `search_index=False` leaves out the search's trigram index (schema step 7, tables named
    `search_text…`): derived data a restore deliberately marks stale.
    """
    digest = hashlib.sha256()
    conn = connect_readonly(db_path)
    try:
        tables = conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY name"
        ).fetchall()
        for name, sql in tables:
            if not search_index and name.startswith(SEARCH_INDEX_PREFIX):
                continue
            digest.update(f"\x00table {name}\x00{sql}\x00".encode())
            quoted = '"' + name.replace('"', '""') + '"'
            order = "rowid" if "WITHOUT ROWID" not in (sql or "").upper() else "1"
            try:
                rows = conn.execute(f"SELECT * FROM {quoted} ORDER BY {order}")
            except sqlite3.OperationalError:  # a WITHOUT ROWID table: order by every column
                rows = conn.execute(f"SELECT * FROM {quoted} ORDER BY 1")
            for row in rows:
                digest.update(repr(row).encode())
                digest.update(b"\x00")
    finally:
        conn.close()
    return digest.hexdigest()


def row_count(db_path: str | Path, table: str) -> int:
    conn = connect_readonly(db_path)
    try:
        return conn.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]
    finally:
        conn.close()
