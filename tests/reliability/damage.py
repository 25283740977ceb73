"""Building the hostile files the backup and restore tests feed in: damaged pages, bad schemas.

Plain `sqlite3` on closed files, so the damage is exactly what the test says and no app code
is in the way.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from flashcards.services.collection import Collection


def checkpoint(db_path: Path) -> None:
    """Fold the WAL into the file, so the bytes on disk are the whole collection."""
    conn = sqlite3.connect(db_path)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()


def flip_index_page(db_path: Path, index: str = "card_deck_id_key") -> int:
    """Flip 16 bytes in the middle of the cells of `index`'s root page; returns the page number.

    The page is found as SQLite knows it (sqlite_master.rootpage, PRAGMA page_size); the
    collection must be closed and hold enough cards that the index has a root page of its own
    with cells on it (2,000 cards do).
    """
    checkpoint(db_path)
    conn = sqlite3.connect(db_path)
    try:
        (root,) = conn.execute(
            "SELECT rootpage FROM sqlite_master WHERE type = 'index' AND name = ?", (index,)
        ).fetchone()
        (size,) = conn.execute("PRAGMA page_size").fetchone()
    finally:
        conn.close()
    data = bytearray(db_path.read_bytes())
    page = (root - 1) * size
    content = int.from_bytes(data[page + 5 : page + 7], "big")  # start of the cell content area
    start = page + content + (size - content) // 2
    for i in range(start, start + 16):
        data[i] ^= 0x55
    db_path.write_bytes(bytes(data))
    return root


def execute(db_path: Path, *statements: str) -> None:
    """Run raw SQL on a closed collection file (to plant what a hostile backup holds)."""
    conn = sqlite3.connect(db_path)
    try:
        for sql in statements:
            conn.execute(sql)
        conn.commit()
    finally:
        conn.close()


def close(col: Collection) -> Path:
    path = col.path
    assert path is not None
    col.close()
    return path
