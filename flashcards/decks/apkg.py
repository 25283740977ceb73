"""Reading Anki packages (`.apkg`, and full `.colpkg` backups) without trusting them.

A package is a zip holding an SQLite collection. We never extract by member name: the one
collection member is read into memory under size caps, decompressed (zstd, for the current
format) under the same cap, written to a private temporary directory under a fixed name, and
opened read-only. Every way a hostile or damaged file can fail becomes a one-line DeckError.
"""

from __future__ import annotations

import datetime
import io
import sqlite3
import tempfile
import zipfile
import zlib
from contextlib import closing
from pathlib import Path

import zstandard

from flashcards.decks.anki_schema import (
    NoteType,
    SchemaError,
    read_note_types_and_decks,
    template_refs,
)
from flashcards.decks.cloze import cloze_numbers
from flashcards.decks.html_text import has_media, html_to_text
from flashcards.decks.keys import group_decks
from flashcards.decks.spec import (
    MAX_FIELD_CHARS,
    CardSpec,
    ImportedScheduling,
    ParsedFile,
    Problem,
)
from flashcards.errors import DeckError

MAX_MEMBER_BYTES = 512 * 1024 * 1024
"""Largest collection we read (uncompressed): far above any real deck, far below a zip bomb."""
MAX_TOTAL_BYTES = 2 * 1024 * 1024 * 1024
"""Largest total uncompressed size of all members a package may declare (media included)."""
COLLECTION_MEMBERS = ("collection.anki21b", "collection.anki21", "collection.anki2")
"""Collection members in order of preference: newer exports keep a stub `.anki2` for old Ankis."""
SQLITE_MAGIC = b"SQLite format 3\x00"
MAX_INTERVAL_DAYS = 36_500
"""The scheduler's interval cap (see SCHEDULING.md); imported intervals are clamped to it."""
_CHUNK = 1024 * 1024
_ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError,
               NotImplementedError, ValueError)


def _read_capped(stream: io.BufferedIOBase, limit: int, source: str, what: str) -> bytes:
    """Read a stream to the end, refusing (DeckError) once more than `limit` bytes come out."""
    chunks: list[bytes] = []
    total = 0
    while chunk := stream.read(_CHUNK):
        total += len(chunk)
        if total > limit:
            raise DeckError(source, f"{what} is larger than the {limit:,}-byte limit; refusing it")
        chunks.append(chunk)
    return b"".join(chunks)


def read_collection_bytes(path: Path, source: str) -> tuple[str, bytes]:
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
            raise DeckError(source, "contains no Anki collection "
                                    "(collection.anki21b, collection.anki21 or collection.anki2)")
        info = by_name[name]
        if info.file_size > MAX_MEMBER_BYTES:
            raise DeckError(source, f"{name} is larger than the {MAX_MEMBER_BYTES:,}-byte limit; "
                                    "refusing it")
        try:
            with archive.open(info) as member:
                data = _read_capped(member, MAX_MEMBER_BYTES, source, name)
        except _ZIP_ERRORS as exc:
            raise DeckError(source, f"is damaged: cannot read {name} ({exc})") from None
    if name.endswith(".anki21b"):
        data = _decompress_zstd(data, source, name)
    return name, data


def _decompress_zstd(data: bytes, source: str, name: str) -> bytes:
    """zstd-decompress all frames, streaming, so a small bomb cannot exhaust memory."""
    try:
        reader = zstandard.ZstdDecompressor().stream_reader(
            io.BytesIO(data), read_across_frames=True)
        with reader:
            return _read_capped(reader, MAX_MEMBER_BYTES, source, f"{name} (decompressed)")
    except zstandard.ZstdError as exc:
        raise DeckError(source, f"is damaged: {name} is not valid zstd data ({exc})") from None


def parse_apkg(
    path: Path,
    source: str,
    with_scheduling: bool = True,
    today: datetime.date | None = None,
) -> ParsedFile:
    """Cards, decks and (for review cards) progress from an Anki package.

    One CardSpec per Anki card, keyed `<note guid>::<card ord>`. `today` is only a fallback due
    date for review cards whose due day cannot be computed; without it they lose their progress.
    """
    name, data = read_collection_bytes(path, source)
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
                return _read_collection(conn, source, with_scheduling, today)
        except SchemaError as exc:
            raise DeckError(source, f"is not a collection flashcards can read: {exc}") from None
        except (sqlite3.Error, UnicodeDecodeError) as exc:
            raise DeckError(source, f"is damaged: the collection cannot be read ({exc})") from None


def _crt_day(conn: sqlite3.Connection) -> datetime.date | None:
    """The collection's creation day (local), from which review due days are counted."""
    row = conn.execute("SELECT crt FROM col LIMIT 1").fetchone()
    try:
        return datetime.date.fromtimestamp(int(row[0])) if row else None
    except (OverflowError, OSError, TypeError, ValueError):
        return None


_CARDS_SQL = """
SELECT c.ord, c.did, c.odid, c.type, c.due, c.odue, c.ivl, c.factor, c.lapses,
       n.id, n.guid, n.mid, n.tags, n.flds
FROM cards AS c JOIN notes AS n ON n.id = c.nid
ORDER BY c.nid, c.ord
"""


def _read_collection(
    conn: sqlite3.Connection, source: str, with_scheduling: bool, today: datetime.date | None
) -> ParsedFile:
    """Turn every card of an open collection into a CardSpec, grouped by deck."""
    types, decks = read_note_types_and_decks(conn)
    crt_day = _crt_day(conn)
    cards_by_deck: dict[str, list[CardSpec]] = {}
    problems: list[Problem] = []
    for row in conn.execute(_CARDS_SQL):
        ord_, did, odid, ctype, due, odue, ivl, factor, lapses, nid, guid, mid, tags, flds = row
        where = f"{source}: note {nid}"
        try:
            note_type = types.get(int(mid))
            if note_type is None:
                raise ValueError(f"its note type {mid} is missing from the collection")
            if not isinstance(flds, str) or not isinstance(guid, str) or not guid:
                raise ValueError("the note has no readable fields or guid")
            deck_id = int(odid) if odid else int(did)
            spec = _card(note_type, flds.split("\x1f"), int(ord_), guid, str(tags or ""), where)
            if with_scheduling and int(ctype) == 2:
                scheduling = _scheduling(int(due), int(odue) if odid else 0, int(ivl), int(factor),
                                         int(lapses), crt_day, today)
                spec = CardSpec(**{**spec.__dict__, "scheduling": scheduling})
        except (TypeError, ValueError, OverflowError) as exc:
            problems.append(Problem(where, f"skipped card {ord_}: {exc}"))
            continue
        deck_name = decks.get(deck_id, ("Default", ""))[0] or "Default"
        cards_by_deck.setdefault(deck_name, []).append(spec)
    descriptions = {name: desc for name, desc in decks.values()}
    deck_specs, dupes = group_decks(cards_by_deck, descriptions)
    return ParsedFile(deck_specs, tuple(problems + dupes))


def _field_name(ref: str) -> tuple[str, str]:
    """Split a template reference like `type:Back` or `tts en_US:Front` into (filter, field)."""
    head, _, name = ref.rpartition(":")
    return head.strip().lower(), name.strip()


def _card(
    note_type: NoteType, raw: list[str], ord_: int, guid: str, tags: str, where: str
) -> CardSpec:
    """One CardSpec for card `ord_` of a note; ValueError when it would be empty."""
    if any(len(f) > MAX_FIELD_CHARS for f in raw):
        raise ValueError(f"a field is longer than {MAX_FIELD_CHARS:,} characters")
    by_name = dict(zip(note_type.field_names, raw, strict=False))
    media = any(has_media(f) for f in raw)
    tag_tuple = tuple(dict.fromkeys(tags.split()))
    key = f"{guid}::{ord_}"
    question, answer = note_type.templates.get(ord_, ("", ""))
    if note_type.cloze:
        refs = [name for flt, name in map(_field_name, template_refs(question))
                if flt == "cloze" and name in by_name]
        text = html_to_text(by_name[refs[0]] if refs else raw[0])
        extra_field = next((f for f in note_type.field_names[1:2]), None)
        extra = html_to_text(by_name.get(extra_field, "")) if extra_field else ""
        if ord_ + 1 not in cloze_numbers(text):
            raise ValueError(f"the text has no {{{{c{ord_ + 1}::...}}}} (an empty cloze card)")
        return CardSpec(key, "cloze", text, extra, tag_tuple, ord_ + 1, where, media)
    kind, front, back = _front_back(note_type, by_name, raw, ord_, question, answer)
    if not front:
        raise ValueError("empty front" + (" (it only held media, which is not imported)"
                                          if media else ""))
    return CardSpec(key, kind, front, back, tag_tuple, 0, where, media)


def _front_back(
    note_type: NoteType, by_name: dict[str, str], raw: list[str], ord_: int, question: str,
    answer: str,
) -> tuple[str, str, str]:
    """(kind, front, back) from the card's templates, else the first two fields (swapped for the
    reverse card of a reversed note type)."""
    q_fields: list[str] = []
    typed: str | None = None
    for flt, name in map(_field_name, template_refs(question)):
        if flt == "type" and name in by_name:
            typed = name
        elif name in by_name and not flt.startswith(("#", "/", "^", "hint")) and \
                name not in q_fields and not name.startswith(("#", "/", "^")):
            q_fields.append(name)
    a_fields = [name for flt, name in map(_field_name, template_refs(answer))
                if name in by_name and flt in ("", "text") and not name.startswith(("#", "/", "^"))
                and name not in q_fields and name != typed]
    if q_fields:
        front = "\n".join(t for t in (html_to_text(by_name[f]) for f in q_fields) if t)
        if typed is not None:
            return "type", front, html_to_text(by_name[typed])
        back = "\n".join(t for t in (html_to_text(by_name[f]) for f in a_fields) if t)
        return "basic", front, back
    first, second = (html_to_text(f) for f in (raw + ["", ""])[:2])
    if ord_ == 1 and "revers" in note_type.name.casefold():
        first, second = second, first
    return "basic", first, second


def _scheduling(
    due: int, odue: int, ivl: int, factor: int, lapses: int, crt_day: datetime.date | None,
    today: datetime.date | None,
) -> ImportedScheduling | None:
    """SM-2 state for an Anki review card (type 2).

    - due: a review card's `due` counts days from the collection's creation day (`col.crt`), so
      due = crt day + due (a card in a filtered deck keeps its home due in `odue`). If that cannot
      be computed, `today` is used, or the progress is dropped when no `today` was given.
    - interval = ivl days (at least 1, at most the 36,500-day cap).
    - easiness = factor // 10 (Anki's 2500 is our 250 = 2.50), at least 130; 250 if unset.
    - repetitions: Anki does not store the run of successful reviews, so we approximate it as
      2 when the interval is 6 days or more (past SM-2's fixed 1- and 6-day steps), else 1.
    """
    due_days = odue or due
    due_date: datetime.date | None = None
    if crt_day is not None:
        try:
            due_date = crt_day + datetime.timedelta(days=due_days)
        except OverflowError:
            due_date = None
    due_date = due_date or today
    if due_date is None:
        return None
    interval = min(max(ivl, 1), MAX_INTERVAL_DAYS)
    easiness = max(130, factor // 10) if factor > 0 else 250
    return ImportedScheduling(2 if interval >= 6 else 1, interval, easiness, due_date,
                              max(0, lapses))
