"""Reading Anki packages (`.apkg`, and full `.colpkg` backups) without trusting them.

A package is a zip holding an SQLite collection. We never extract by member name: the one
collection member is read into memory under size caps, decompressed (zstd, for the current
format) under the same cap, written to a private temporary directory under a fixed name, and
opened read-only. Every way a hostile or damaged file can fail becomes a one-line DeckError.
What is read from the open collection is `anki_collection`'s job.
"""

from __future__ import annotations

import datetime
import sqlite3
import tempfile
import zipfile
import zlib
from contextlib import closing
from pathlib import Path
from typing import BinaryIO

from flashcards.decks.anki_collection import read_collection
from flashcards.decks.anki_schema import SchemaError
from flashcards.decks.apkg_media import read_media
from flashcards.decks.limits import Budget
from flashcards.decks.reading import decompress_zstd, open_regular, read_bounded
from flashcards.decks.spec import ParsedFile
from flashcards.errors import DeckError

MAX_MEMBER_BYTES = 512 * 1024 * 1024
"""Largest collection we read (uncompressed): far above any real deck, far below a zip bomb."""
MAX_TOTAL_BYTES = 2 * 1024 * 1024 * 1024
"""Largest total uncompressed size of all members a package may declare (media included)."""
COLLECTION_MEMBERS = ("collection.anki21b", "collection.anki21", "collection.anki2")
"""Collection members in order of preference: newer exports keep a stub `.anki2` for old Ankis."""
SQLITE_MAGIC = b"SQLite format 3\x00"
_ZIP_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    OSError,
    RuntimeError,
    NotImplementedError,
    ValueError,
)


def read_collection_bytes(path: Path | BinaryIO, source: str) -> tuple[str, bytes]:
    """The preferred collection member's name and SQLite bytes, read in memory under the caps."""
    try:
        archive = zipfile.ZipFile(path)
    except _ZIP_ERRORS:
        raise DeckError(source, "is not an Anki package (not a valid zip file)") from None
    with archive:
        infos = archive.infolist()
        if sum(info.file_size for info in infos) > MAX_TOTAL_BYTES:
            raise DeckError(source, f"unpacks to more than {MAX_TOTAL_BYTES:,} bytes; refusing it")
        by_name = {info.filename: info for info in infos}
        name = next((n for n in COLLECTION_MEMBERS if n in by_name), None)
        if name is None:
            raise DeckError(
                source,
                "contains no Anki collection "
                "(collection.anki21b, collection.anki21 or collection.anki2)",
            )
        info = by_name[name]
        if info.file_size > MAX_MEMBER_BYTES:
            raise DeckError(
                source, f"{name} is larger than the {MAX_MEMBER_BYTES:,}-byte limit; refusing it"
            )
        try:
            with archive.open(info) as member:
                data = read_bounded(member, MAX_MEMBER_BYTES, source, name)
        except _ZIP_ERRORS as exc:
            raise DeckError(source, f"is damaged: cannot read {name} ({exc})") from None
    if name.endswith(".anki21b"):
        data = decompress_zstd(data, source, name, MAX_MEMBER_BYTES)
    return name, data


def parse_apkg(
    path: Path | BinaryIO,
    source: str,
    with_scheduling: bool = True,
    today: datetime.date | None = None,
    budget: Budget | None = None,
) -> ParsedFile:
    """Cards, decks and (for review cards) progress from an Anki package (a path or open file).

    One CardSpec per Anki card, keyed `<note guid>::<card ord>`. `today` is only a fallback due
    date for review cards whose due day cannot be computed; without it they lose their progress.
    """
    if isinstance(path, str | Path):
        with open_regular(Path(path), source) as handle:
            return parse_apkg(handle, source, with_scheduling, today, budget)
    budget = budget if budget is not None else Budget()
    name, data = read_collection_bytes(path, source)
    media = read_media(path, source)
    if not data.startswith(SQLITE_MAGIC):
        raise DeckError(source, f"is damaged: {name} is not an SQLite database")
    if data[18:20] == b"\x02\x02":
        data = data[:18] + b"\x01\x01" + data[20:]  # WAL mode: read our private copy as rollback
    with tempfile.TemporaryDirectory(prefix="flashcards-apkg-") as tmp:
        db_path = Path(tmp) / "collection.sqlite"
        db_path.write_bytes(data)
        del data
        try:
            conn = sqlite3.connect(f"{db_path.as_uri()}?mode=ro", uri=True)
            with closing(conn):
                conn.execute("PRAGMA trusted_schema = OFF")
                # A damaged file may hold invalid UTF-8; show replacement characters, not a crash.
                conn.text_factory = lambda raw: raw.decode("utf-8", "replace")
                parsed = read_collection(conn, source, with_scheduling, today, budget)
                return ParsedFile(parsed.decks, parsed.problems, media)
        except SchemaError as exc:
            raise DeckError(source, f"is not a collection flashcards can read: {exc}") from None
        except (sqlite3.Error, UnicodeDecodeError) as exc:
            raise DeckError(source, f"is damaged: the collection cannot be read ({exc})") from None
