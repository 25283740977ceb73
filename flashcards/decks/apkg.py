"""Reading Anki packages (`.apkg`, and full `.colpkg` backups) without trusting them.

A package is a zip holding an SQLite collection. We never extract by member name: the one
collection member is read into memory under size caps, decompressed (zstd, for the current
format) under the same cap, written to a private temporary directory under a fixed name, and
opened read-only. Every way a hostile or damaged file can fail becomes a one-line DeckError.
"""

from __future__ import annotations

import datetime
import functools
import sqlite3
import tempfile
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from flashcards.decks.anki_schema import (
    DayCutOff,
    NoteType,
    SchemaError,
    read_day_cut_off,
    read_note_types_and_decks,
    template_refs,
)
from flashcards.decks.apkg_media import read_media
from flashcards.decks.cloze import cloze_numbers
from flashcards.decks.html_text import (
    has_media,
    html_to_text,
    media_markers,
    media_placeholder,
)
from flashcards.decks.keys import group_decks
from flashcards.decks.limits import (
    MAX_CARDS_PER_NOTE,
    MAX_FIELD_CHARS,
    Budget,
    anki_int,
    check_key,
    shown,
)
from flashcards.decks.reading import decompress_zstd, open_regular, read_bounded
from flashcards.decks.spec import (
    CardSpec,
    ImportedScheduling,
    ParsedFile,
    Problem,
)
from flashcards.errors import DeckError
from flashcards.scheduler import MAX_INTERVAL, START_EASINESS, imported_easiness

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
                parsed = _read_collection(conn, source, with_scheduling, today, budget)
                return ParsedFile(parsed.decks, parsed.problems, media)
        except SchemaError as exc:
            raise DeckError(source, f"is not a collection flashcards can read: {exc}") from None
        except (sqlite3.Error, UnicodeDecodeError) as exc:
            raise DeckError(source, f"is damaged: the collection cannot be read ({exc})") from None


def created_day(cut: DayCutOff) -> datetime.date | None:
    """The study day a collection was created on, from which review due days are counted.

    Anki counts days as `(local date now) - (local date of crt)`, less one before the day
    cut-off, both dates in the zone the collection was made in (`creationOffset`), so the
    count means the same whatever zone the import runs in. Without `creationOffset` (older
    collections, whose `crt` is the cut-off hour of the creation day), the creation day is the
    UTC date of `crt + 12 h - rollover`: right for every zone from UTC-11 to UTC+12.
    """
    if cut.crt is None:
        return None
    try:
        stamp = datetime.datetime.fromtimestamp(cut.crt, datetime.UTC)
        if cut.creation_offset is not None:
            return (stamp - datetime.timedelta(minutes=cut.creation_offset)).date()
        return (stamp + datetime.timedelta(hours=12 - cut.rollover)).date()
    except (OverflowError, ValueError, OSError):  # past year 9999: no creation day
        return None


_NOTES_SQL = "SELECT id, guid, mid, tags, flds FROM notes ORDER BY id"
_CARDS_SQL = """
SELECT nid, ord, did, odid, type, due, odue, ivl, factor, lapses, {queue}, {reps} FROM cards
ORDER BY nid, ord
"""


def _sql_order(value: object) -> tuple[int, object]:
    """A sort key that orders values as SQLite does (NULL, numbers, text, blobs), so ids of any
    type in a damaged file compare without a TypeError."""
    if value is None:
        return (0, 0)
    if isinstance(value, int | float):
        return (1, value)
    return (2, value) if isinstance(value, str) else (3, value)


def _notes_with_cards(conn: sqlite3.Connection) -> Iterator[tuple[tuple, tuple]]:
    """(note row, card row) pairs, as `cards JOIN notes` would give, reading each note once.

    Both tables are read in id order and merged, so the fields of a note are fetched (and
    decoded) once however many cards it has: a package of one note with 99,000-character
    fields and 2,000 cards once fetched them 2,000 times.
    """
    notes = conn.execute(_NOTES_SQL)
    note = notes.fetchone()
    columns = {row[1] for row in conn.execute("PRAGMA table_info(cards)")}
    sql = _CARDS_SQL.format(
        queue="queue" if "queue" in columns else "type", reps="reps" if "reps" in columns else "0"
    )
    for card in conn.execute(sql):
        nid = _sql_order(card[0])
        while note is not None and _sql_order(note[0]) < nid:
            note = notes.fetchone()
        if note is None:
            return
        if note[0] == card[0]:
            yield note, card


_html = functools.lru_cache(maxsize=16)(html_to_text)
"""The cards of one note convert the same fields: once is enough."""


def _read_collection(
    conn: sqlite3.Connection,
    source: str,
    with_scheduling: bool,
    today: datetime.date | None,
    budget: Budget,
) -> ParsedFile:
    """Turn every card of an open collection into a CardSpec, grouped by deck.

    Every number is range-checked (ANKI_RANGES) before use, and every card is charged to the
    import's budget as it is made, so a small package cannot fill memory with copies of one
    huge note.
    """
    types, decks = read_note_types_and_decks(conn)
    crt_day = created_day(read_day_cut_off(conn))
    cards_by_deck: dict[str, list[CardSpec]] = {}
    problems: list[Problem] = []
    fields: list[str] = []
    per_note = 0
    last_note: tuple | None = None
    for note, card in _notes_with_cards(conn):
        nid, guid, mid, tags, flds = note
        _, ord_, did, odid, ctype, due, odue, ivl, factor, lapses, queue, reps = card
        where = f"{source}: note {shown(nid)}"
        if note is not last_note:
            last_note, per_note = note, 0
            fields = flds.split("\x1f") if isinstance(flds, str) else []
        per_note += 1
        try:
            if per_note > MAX_CARDS_PER_NOTE:
                raise ValueError(f"the note has more than {MAX_CARDS_PER_NOTE} cards")
            note_type = types.get(mid) if isinstance(mid, int | float) else None
            if note_type is None:
                raise ValueError(f"its note type {shown(mid)} is missing from the collection")
            if not isinstance(flds, str) or not isinstance(guid, str) or not guid:
                raise ValueError("the note has no readable fields or guid")
            deck_id = odid if odid else did
            number = anki_int(ord_, "ord")
            spec = _card(note_type, fields, number, guid, str(tags or ""), where)
            if with_scheduling:
                scheduling = _scheduling(
                    AnkiCard(
                        anki_int(ctype, "type"),
                        anki_int(queue, "queue"),
                        anki_int(due, "due"),
                        anki_int(odue, "odue") if odid else 0,
                        anki_int(ivl, "ivl"),
                        anki_int(factor, "factor"),
                        anki_int(lapses, "lapses"),
                        anki_int(reps, "reps"),
                    ),
                    crt_day,
                    today,
                )
                spec = CardSpec(**{**spec.__dict__, "scheduling": scheduling})
        except (TypeError, ValueError, OverflowError) as exc:
            problems.append(Problem(where, f"skipped card {shown(ord_)}: {exc}"))
            continue
        budget.charge(source, spec)
        deck_name = (decks.get(deck_id) if isinstance(deck_id, int | float) else None) or ("", "")
        cards_by_deck.setdefault(deck_name[0] or "Default", []).append(spec)
    _html.cache_clear()
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
    key = check_key(f"{guid}::{ord_}")
    if not note_type.cloze and note_type.templates and ord_ not in note_type.templates:
        # Anki makes one card per template; others are leftovers (or a file making thousands
        # of copies of one note's fields).
        raise ValueError(f"its note type has no template {ord_ + 1}")
    question, answer = note_type.templates.get(ord_, ("", ""))
    if note_type.cloze:
        text, extra = _cloze_text_and_extra(note_type, by_name, raw, question, answer)
        if ord_ + 1 not in cloze_numbers(text):
            raise ValueError(f"the text has no {{{{c{ord_ + 1}::...}}}} (an empty cloze card)")
        if media:
            extra = _joined(extra, _media_besides(raw, ""))
        return CardSpec(key, "cloze", text, extra, tag_tuple, ord_ + 1, where, media)
    kind, front, back = _front_back(note_type, by_name, raw, ord_, question, answer)
    if media:
        # Each image and sound stays in the text as a marker (`[image: a.png]`), the question's
        # on the front (so a question that is only media is not empty), the others on the back.
        asked = _front_media(note_type, by_name, raw, question)
        front, back = _joined(front, asked), _joined(back, _media_besides(raw, asked))
    if not front:
        raise ValueError("empty front")
    return CardSpec(key, kind, front, back, tag_tuple, 0, where, media)


def _cloze_text_and_extra(
    note_type: NoteType, by_name: dict[str, str], raw: list[str], question: str, answer: str
) -> tuple[str, str]:
    """The cloze field's text and the other fields, shown after the answer.

    The cloze field is the one the question template names as `{{cloze:Field}}`, wherever it
    is among the fields (else the first field holding a deletion); every other field the
    templates name (in template order; all of them when they name none) is an extra.
    """
    refs = [_field_name(ref) for ref in template_refs(question) + template_refs(answer)]
    cloze_field = next((name for flt, name in refs if flt == "cloze" and name in by_name), None)
    if cloze_field is None:
        cloze_field = next(
            (name for name, value in by_name.items() if "{{c" in value),
            note_type.field_names[0] if note_type.field_names else None,
        )
    text = _html(by_name.get(cloze_field, raw[0] if raw else "")) if cloze_field else ""
    named = [
        name
        for flt, name in refs
        if name in by_name
        and name != cloze_field
        and not flt.startswith(("#", "/", "^"))
        and flt != "cloze"
    ]
    others = list(dict.fromkeys(named)) or [n for n in by_name if n != cloze_field]
    extra = "\n".join(t for t in (_html(by_name[n]) for n in others) if t)
    return text, extra


def _front_media(
    note_type: NoteType, by_name: dict[str, str], raw: list[str], question: str
) -> str:
    """The media of the fields the question shows (the first field without a template)."""
    names = [name for _, name in map(_field_name, template_refs(question)) if name in by_name]
    fields = [by_name[n] for n in dict.fromkeys(names)] or raw[:1]
    return " ".join(p for p in map(media_placeholder, fields) if p)


def _joined(text: str, markers: str) -> str:
    """Text and its media markers, on a line of their own."""
    return "\n".join(part for part in (text, markers) if part)


def _media_besides(raw: list[str], shown: str) -> str:
    """The markers of every field of a note that `shown` does not already hold."""
    markers = dict.fromkeys(m for field in raw for m in media_markers(field))
    return " ".join(m for m in markers if m not in shown)


def _front_back(
    note_type: NoteType,
    by_name: dict[str, str],
    raw: list[str],
    ord_: int,
    question: str,
    answer: str,
) -> tuple[str, str, str]:
    """(kind, front, back) from the card's templates, else the first two fields (swapped for the
    reverse card of a reversed note type)."""
    q_fields: list[str] = []
    typed: str | None = None
    for flt, name in map(_field_name, template_refs(question)):
        if flt == "type" and name in by_name:
            typed = name
        elif (
            name in by_name
            and not flt.startswith(("#", "/", "^", "hint"))
            and name not in q_fields
            and not name.startswith(("#", "/", "^"))
        ):
            q_fields.append(name)
    a_fields = [
        name
        for flt, name in map(_field_name, template_refs(answer))
        if name in by_name
        and flt in ("", "text")
        and not name.startswith(("#", "/", "^"))
        and name not in q_fields
        and name != typed
    ]
    if q_fields:
        front = "\n".join(t for t in (_html(by_name[f]) for f in q_fields) if t)
        if typed is not None:
            return "type", front, _html(by_name[typed])
        back = "\n".join(t for t in (_html(by_name[f]) for f in a_fields) if t)
        return "basic", front, back
    first, second = (_html(f) for f in (raw + ["", ""])[:2])
    if ord_ == 1 and "revers" in note_type.name.casefold():
        first, second = second, first
    return "basic", first, second


@dataclass(frozen=True)
class AnkiCard:
    """The scheduling columns of one Anki card, range-checked (see limits.ANKI_RANGES)."""

    type: int  # 0 new, 1 learning, 2 review, 3 relearning
    queue: int  # -3/-2 buried, -1 suspended, else as type (4: preview)
    due: int
    odue: int  # the home deck's due of a card in a filtered deck, else 0
    ivl: int
    factor: int
    lapses: int
    reps: int


NEW, LEARNING, REVIEW, RELEARNING = 0, 1, 2, 3
SUSPENDED, BURIED = -1, (-2, -3)


def _scheduling(
    card: AnkiCard, crt_day: datetime.date | None, today: datetime.date | None
) -> ImportedScheduling | None:
    """SM-2 state for an Anki card; None for a plain new card.

    - review (type 2): due = the creation day + `due` days (`odue` for a card in a filtered
      deck); if that cannot be computed, `today`, or the progress is dropped without a `today`.
      interval = ivl days (1 to the 36,500-day cap); repetitions: Anki does not store the run
      of successful reviews, so 2 when the interval is 6 days or more (past SM-2's fixed 1- and
      6-day steps), else 1.
    - learning (type 1): due today, repetitions 0, interval 0 (SM-2 has no steps inside a day).
    - relearning (type 3): due today, repetitions 0, its previous interval and lapses kept.
    - easiness = factor // 10 (Anki's 2500 is our 250 = 2.50), at least 130; 250 if unset.
    - queue -1: suspended; queue -2/-3 (buried): hidden until the next study day.
    """
    easiness = imported_easiness(card.factor)
    interval = min(max(card.ivl, 1), MAX_INTERVAL)
    lapses = max(0, card.lapses)
    suspended = card.queue == SUSPENDED
    buried_until = today + datetime.timedelta(days=1) if today and card.queue in BURIED else None
    state: tuple[int, int, int, datetime.date | None, int] = (0, 0, START_EASINESS, None, 0)
    if card.type == REVIEW:
        due_date: datetime.date | None = None
        if crt_day is not None:
            try:
                due_date = crt_day + datetime.timedelta(days=card.odue or card.due)
            except OverflowError:
                due_date = None
        due_date = due_date or today
        if due_date is not None:
            state = (2 if interval >= 6 else 1, interval, easiness, due_date, lapses)
    elif card.type == LEARNING and today is not None:
        state = (0, 0, easiness, today, lapses)
    elif card.type == RELEARNING and today is not None:
        state = (0, interval, easiness, today, lapses)
    if state[3] is None and not suspended and buried_until is None:
        return None
    return ImportedScheduling(*state, suspended=suspended, buried_until=buried_until)
