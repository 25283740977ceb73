"""Build small Anki packages by hand, in both schemas, so the .apkg reader is tested on files
whose every byte we control (no Anki install, no binary fixtures in the repository).

The legacy schema (collection.anki2 / .anki21) keeps note types and decks as JSON in `col`;
the current one (collection.anki21b) keeps them in tables with protobuf configs and is zstd-
compressed inside the zip. `SAMPLE` describes one collection; `build_apkg` writes it either way.
"""

from __future__ import annotations

import datetime
import io
import json
import sqlite3
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import zstandard

CRT = int(datetime.datetime(2024, 1, 1, 12, 0, tzinfo=datetime.UTC).timestamp())
"""Collection creation at noon UTC, so the local creation day is 2024-01-01 in most zones."""
CRT_DAY = datetime.date.fromtimestamp(CRT)


@dataclass
class Model:
    """A note type: id, name, cloze or not, field names, templates as (question, answer)."""

    id: int
    name: str
    fields: list[str]
    templates: list[tuple[str, str]]
    cloze: bool = False


@dataclass
class Note:
    """A note and its cards: each card is (ord, did, odid, type, due, odue, ivl, factor, lapses),
    with an optional queue after them (else the queue is the type)."""

    id: int
    guid: str
    mid: int
    fields: list[str]
    tags: str = ""
    cards: list[tuple[int, ...]] = field(default_factory=list)


BASIC = Model(
    1001, "Basic", ["Front", "Back"], [("{{Front}}", "{{FrontSide}}<hr id=answer>{{Back}}")]
)
REVERSED = Model(
    1002,
    "Basic (and reversed card)",
    ["Front", "Back"],
    [
        ("{{Front}}", "{{FrontSide}}<hr id=answer>{{Back}}"),
        ("{{Back}}", "{{FrontSide}}<hr id=answer>{{Front}}"),
    ],
)
CLOZE = Model(
    1003,
    "Cloze",
    ["Text", "Back Extra"],
    [("{{cloze:Text}}", "{{cloze:Text}}<br>{{Back Extra}}")],
    cloze=True,
)
VOCAB = Model(
    1004,
    "Vocab",
    ["Word", "Meaning", "Example"],
    [("{{Word}}", "{{FrontSide}}<hr>{{Meaning}}<br>{{Example}}")],
)
TYPED = Model(
    1005,
    "Basic (type in the answer)",
    ["Front", "Back"],
    [("{{Front}}\n\n{{type:Back}}", "{{Front}}<hr id=answer>{{type:Back}}")],
)

DECKS = {1: "Default", 2000: "Lang::French", 3000: "Filtered"}

NEW, LEARNING, REVIEW = 0, 1, 2
SAMPLE_NOTES = [
    Note(
        11,
        "gBasic",
        1001,
        ["Hello<br>world", "Bonjour &amp; salut"],
        " greet fr ",
        [(0, 2000, 0, REVIEW, 30, 0, 10, 2500, 1)],
    ),
    Note(
        12,
        "gRev",
        1002,
        ["cat", "chat"],
        "animal",
        [(0, 2000, 0, NEW, 1, 0, 0, 0, 0), (1, 2000, 0, REVIEW, 3, 0, 3, 1200, 0)],
    ),
    Note(
        13,
        "gCloze",
        1003,
        ["{{c1::Paris}} is in {{c2::France::country}}", "extra <b>info</b>"],
        "",
        [(0, 2000, 0, NEW, 2, 0, 0, 0, 0), (1, 2000, 0, NEW, 3, 0, 0, 0, 0)],
    ),
    Note(
        14,
        "gVocab",
        1004,
        ["maison", "house", "<i>la maison</i>"],
        "",
        [(0, 3000, 2000, REVIEW, -100000, 5, 20, 2300, 2)],
    ),
    Note(15, "gMedia", 1001, ['<img src="a.png">', "back"], "", [(0, 1, 0, NEW, 4, 0, 0, 0, 0)]),
    Note(
        16,
        "gSound",
        1001,
        ["[sound:x.mp3]Listen", "Ecoute"],
        "",
        [(0, 1, 0, LEARNING, 1700000000, 0, 0, 2500, 0)],
    ),
    Note(17, "gTyped", 1005, ["Capital of Italy?", "Rome"], "", [(0, 1, 0, NEW, 5, 0, 0, 0, 0)]),
]
SAMPLE_MODELS = [BASIC, REVERSED, CLOZE, VOCAB, TYPED]

REVIEW_CARD = {
    "ord": 0,
    "did": 1,
    "odid": 0,
    "type": 2,
    "due": 5,
    "odue": 0,
    "ivl": 10,
    "factor": 2500,
    "lapses": 0,
}
"""The card columns of one review card (in the order `Note` takes them), for tests that build
a one-note package and set one column to a hostile value."""

_NOTES_SQL = """CREATE TABLE notes (id integer primary key, guid text not null,
    mid integer not null, mod integer not null, usn integer not null, tags text not null,
    flds text not null,
    sfld integer not null, csum integer not null, flags integer not null, data text not null)"""
_CARDS_SQL = """CREATE TABLE cards (id integer primary key, nid integer not null,
    did integer not null, ord integer not null, mod integer not null, usn integer not null,
    type integer not null, queue integer not null, due integer not null, ivl integer not null,
    factor integer not null, reps integer not null, lapses integer not null,
    left integer not null, odue integer not null, odid integer not null, flags integer not null,
    data text not null)"""
_REVLOG_SQL = """CREATE TABLE revlog (id integer primary key, cid integer not null,
    usn integer not null, ease integer not null, ivl integer not null, lastIvl integer not null,
    factor integer not null, time integer not null, type integer not null)"""
_COL_SQL = """CREATE TABLE col (id integer primary key, crt integer not null, mod integer not null,
    scm integer not null, ver integer not null, dty integer not null, usn integer not null,
    ls integer not null, conf text not null, models text not null, decks text not null,
    dconf text not null, tags text not null)"""


def _varint(value: int) -> bytes:
    out = bytearray()
    while True:
        byte, value = value & 0x7F, value >> 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)


def proto(*fields: tuple[int, int | str | bytes]) -> bytes:
    """A protobuf message from (field number, value) pairs: ints as varints, str/bytes as LEN."""
    out = bytearray()
    for number, value in fields:
        if isinstance(value, int):
            out += _varint(number << 3) + _varint(value)
        else:
            data = value.encode() if isinstance(value, str) else value
            out += _varint(number << 3 | 2) + _varint(len(data)) + data
    return bytes(out)


def _legacy_json(models: list[Model], decks: dict[int, str]) -> tuple[str, str]:
    models_json = {
        str(m.id): {
            "id": m.id,
            "name": m.name,
            "type": 1 if m.cloze else 0,
            "flds": [{"name": n, "ord": i} for i, n in enumerate(m.fields)],
            "tmpls": [
                {"name": f"Card {i + 1}", "ord": i, "qfmt": q, "afmt": a}
                for i, (q, a) in enumerate(m.templates)
            ],
        }
        for m in models
    }
    decks_json = {
        str(i): {"id": i, "name": n, "desc": f"about {n}" if i == 2000 else ""}
        for i, n in decks.items()
    }
    return json.dumps(models_json), json.dumps(decks_json)


def build_collection(
    db: Path,
    modern: bool,
    models: list[Model] | None = None,
    notes: list[Note] | None = None,
    decks: dict[int, str] | None = None,
    wal: bool = False,
    crt: int = CRT,
    conf: dict[str, object] | None = None,
) -> bytes:
    """Write an Anki collection (legacy or schema 18) to `db` and return its bytes.

    `conf` holds collection settings (`rollover`, `creationOffset`): in `col.conf` for the
    legacy schema, in the `config` table for the current one.
    """
    conf = conf or {}
    models = SAMPLE_MODELS if models is None else models
    notes = SAMPLE_NOTES if notes is None else notes
    decks = DECKS if decks is None else decks
    conn = sqlite3.connect(db)
    try:
        if wal:
            conn.execute("PRAGMA journal_mode = wal")
        for sql in (_COL_SQL, _NOTES_SQL, _CARDS_SQL, _REVLOG_SQL):
            conn.execute(sql)
        if modern:
            models_json, decks_json = "", ""
            conn.execute(
                "CREATE TABLE notetypes (id integer not null primary key, "
                "name text not null, mtime_secs integer not null, "
                "usn integer not null, config blob not null)"
            )
            conn.execute(
                "CREATE TABLE fields (ntid integer not null, ord integer not null, "
                "name text not null, config blob not null, primary key (ntid, ord))"
            )
            conn.execute(
                "CREATE TABLE templates (ntid integer not null, ord integer not null, "
                "name text not null, mtime_secs integer not null, usn integer not null,"
                " config blob not null, primary key (ntid, ord))"
            )
            conn.execute(
                "CREATE TABLE decks (id integer primary key not null, name text not "
                "null, mtime_secs integer not null, usn integer not null, "
                "common blob not null, kind blob not null)"
            )
            for m in models:
                config = proto((1, 1), (3, ".card {}")) if m.cloze else proto((3, ".card {}"))
                conn.execute("INSERT INTO notetypes VALUES (?, ?, 0, 0, ?)", (m.id, m.name, config))
                for i, name in enumerate(m.fields):
                    conn.execute("INSERT INTO fields VALUES (?, ?, ?, ?)", (m.id, i, name, b""))
                for i, (q, a) in enumerate(m.templates):
                    conn.execute(
                        "INSERT INTO templates VALUES (?, ?, ?, 0, 0, ?)",
                        (m.id, i, f"Card {i + 1}", proto((1, q), (2, a))),
                    )
            for did, name in decks.items():
                described = (4, f"about <i>{name}</i>") if did == 2000 else (1, 1)
                normal = proto((1, 1), described)
                conn.execute(
                    "INSERT INTO decks VALUES (?, ?, 0, 0, ?, ?)",
                    (did, name.replace("::", "\x1f"), b"", proto((1, normal))),
                )
            conn.execute(
                "CREATE TABLE config (key text not null primary key, usn integer not "
                "null, mtime_secs integer not null, val blob not null)"
            )
            for key, value in conf.items():
                conn.execute(
                    "INSERT INTO config VALUES (?, 0, 0, ?)", (key, json.dumps(value).encode())
                )
        else:
            models_json, decks_json = _legacy_json(models, decks)
        conn.execute(
            "INSERT INTO col VALUES (1, ?, 0, 0, 11, 0, 0, 0, ?, ?, ?, '{}', '{}')",
            (crt, "{}" if modern else json.dumps(conf), models_json, decks_json),
        )
        card_id = 100
        for n in notes:
            conn.execute(
                "INSERT INTO notes VALUES (?, ?, ?, 0, 0, ?, ?, '', 0, 0, '')",
                (n.id, n.guid, n.mid, n.tags, "\x1f".join(n.fields)),
            )
            for ord_, did, odid, ctype, due, odue, ivl, factor, lapses, *queue in n.cards:
                card_id += 1
                conn.execute(
                    "INSERT INTO cards VALUES (?, ?, ?, ?, 0, 0, ?, ?, ?, ?, ?, 0, ?, 0, ?, ?, 0,"
                    " '')",
                    (
                        card_id,
                        n.id,
                        did,
                        ord_,
                        ctype,
                        queue[0] if queue else ctype,
                        due,
                        ivl,
                        factor,
                        lapses,
                        odue,
                        odid,
                    ),
                )
        conn.commit()
    finally:
        conn.close()
    return db.read_bytes()


def zip_members(path: Path, members: dict[str, bytes]) -> Path:
    """Write a zip with exactly these members (names taken literally, even hostile ones)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def build_apkg(path: Path, kind: str, **kwargs: object) -> Path:
    """An .apkg at `path` whose collection is `kind`: "anki2", "anki21" or "anki21b"."""
    db = path.with_suffix(".db")
    data = build_collection(db, kind == "anki21b", **kwargs)  # type: ignore[arg-type]
    db.unlink()
    if kind == "anki21b":
        stub = build_collection(db, False, notes=[], models=[BASIC], decks={1: "Default"})
        db.unlink()
        members = {"collection.anki2": stub, "collection.anki21b": zstd_stream(data), "media": b""}
    else:
        members = {f"collection.{kind}": data, "media": b"{}"}
    return zip_members(path, members)


def zstd_stream(data: bytes) -> bytes:
    """zstd-compress without recording the content size, as a streaming writer (like Anki) does."""
    out = io.BytesIO()
    with zstandard.ZstdCompressor().stream_writer(out, closefd=False) as writer:
        writer.write(data)
    return out.getvalue()
