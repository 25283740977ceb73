"""Reading note types and decks out of an open Anki collection, old schema or new.

Legacy collections (`collection.anki2`, `.anki21`, schema 11) keep note types and decks as JSON
in the `col` table; current ones (`collection.anki21b`, schema 18) keep them in `notetypes`,
`fields`, `templates` and `decks` tables, with settings in protobuf blobs. This module hides the
difference behind `NoteType` and a deck-name map, and reads just the two protobuf fields we need
with a tiny decoder rather than depending on Anki's generated code.
"""

from __future__ import annotations

import json
import re
import sqlite3
from dataclasses import dataclass, field
from typing import Any

from flashcards.decks.html_text import html_to_text
from flashcards.decks.names import SEPARATOR

_REF_RE = re.compile(r"\{\{([^{}]+)\}\}")


class SchemaError(Exception):
    """The collection lacks a table or column we need, or holds malformed note types or decks."""


@dataclass
class NoteType:
    """What we need to know of an Anki note type to turn its notes into cards."""

    name: str
    cloze: bool
    field_names: list[str]
    templates: dict[int, tuple[str, str]] = field(default_factory=dict)  # ord -> (question, answer)


def _varint(blob: bytes, i: int) -> tuple[int, int]:
    """Decode one protobuf varint at `i`; returns (value, next offset)."""
    value = shift = 0
    while True:
        if i >= len(blob) or shift > 63:
            raise ValueError("truncated varint")
        byte = blob[i]
        i += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            return value, i


def proto_fields(blob: bytes) -> dict[int, list[int | bytes]]:
    """The top-level fields of a protobuf message (numbers to values); ValueError if malformed."""
    out: dict[int, list[int | bytes]] = {}
    i = 0
    while i < len(blob):
        key, i = _varint(blob, i)
        number, wire = key >> 3, key & 7
        value: int | bytes
        if wire == 0:
            value, i = _varint(blob, i)
        elif wire == 2:
            length, i = _varint(blob, i)
            if i + length > len(blob):
                raise ValueError("truncated field")
            value, i = blob[i : i + length], i + length
        elif wire in (1, 5):
            size = 8 if wire == 1 else 4
            value, i = blob[i : i + size], i + size
        else:
            raise ValueError(f"unsupported wire type {wire}")
        out.setdefault(number, []).append(value)
    return out


def _columns(conn: sqlite3.Connection, table: str) -> set[str]:
    """Column names of `table` (empty when it does not exist)."""
    return {row[1] for row in conn.execute(f'PRAGMA table_info("{table}")')}


REQUIRED_COLUMNS = {
    "col": {"crt"},
    "notes": {"id", "guid", "mid", "tags", "flds"},
    "cards": {"id", "nid", "did", "ord", "type", "due", "ivl", "factor", "lapses", "odue", "odid"},
}
REQUIRED_MODERN = {
    "notetypes": {"id", "name", "config"},
    "fields": {"ntid", "ord", "name"},
    "templates": {"ntid", "ord", "config"},
    "decks": {"id", "name"},
}


def is_modern(conn: sqlite3.Connection) -> bool:
    """Whether the collection uses the schema-18 tables, and check the columns we read exist."""
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    modern = "notetypes" in tables
    required = dict(REQUIRED_COLUMNS)
    if modern:
        required.update(REQUIRED_MODERN)
    else:
        required["col"] = {"crt", "models", "decks"}
    for table, columns in required.items():
        if table not in tables:
            raise SchemaError(f"table {table!r} is missing")
        missing = sorted(columns - _columns(conn, table))
        if missing:
            raise SchemaError(f"table {table!r} lacks column {missing[0]!r}")
    return modern


def _json_object(text: object, what: str) -> dict[str, Any]:
    """A JSON object from a `col` column, or SchemaError."""
    try:
        value = json.loads(text) if isinstance(text, str | bytes) else None
    except RecursionError:  # `[[[[...` a thousand deep: the decoder recurses once per level
        raise SchemaError(f"col.{what} is nested too deeply") from None
    except ValueError:
        value = None
    if not isinstance(value, dict):
        raise SchemaError(f"col.{what} is not a JSON object")
    return value


def _legacy(conn: sqlite3.Connection) -> tuple[dict[int, NoteType], dict[int, tuple[str, str]]]:
    """Note types and decks from the JSON in the legacy `col` table."""
    row = conn.execute("SELECT models, decks FROM col LIMIT 1").fetchone()
    if row is None:
        raise SchemaError("table 'col' is empty")
    models, decks = _json_object(row[0], "models"), _json_object(row[1], "decks")
    types: dict[int, NoteType] = {}
    try:
        for model in models.values():
            fields = sorted(model.get("flds", []), key=lambda f: int(f.get("ord", 0)))
            templates = {
                int(t.get("ord", 0)): (str(t.get("qfmt", "")), str(t.get("afmt", "")))
                for t in model.get("tmpls", [])
            }
            types[int(model["id"])] = NoteType(
                str(model.get("name", "")),
                int(model.get("type", 0)) == 1,
                [str(f.get("name", "")) for f in fields],
                templates,
            )
        names = {
            int(d["id"]): (str(d.get("name", "")), html_to_text(str(d.get("desc", ""))))
            for d in decks.values()
        }
    except (AttributeError, KeyError, TypeError, ValueError) as exc:
        raise SchemaError(f"malformed note type or deck in col: {exc!r}") from None
    return types, names


def _proto_string(blob: object, number: int) -> str:
    """A string field of a protobuf blob, "" when absent or unreadable."""
    try:
        values = proto_fields(blob) if isinstance(blob, bytes) else {}
    except ValueError:
        return ""
    value = values.get(number, [b""])[0]
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else ""


def _modern(conn: sqlite3.Connection) -> tuple[dict[int, NoteType], dict[int, tuple[str, str]]]:
    """Note types and decks from the schema-18 tables; deck names use \\x1f between levels."""
    types: dict[int, NoteType] = {}
    for ntid, name, config in conn.execute("SELECT id, name, config FROM notetypes"):
        try:
            kind = proto_fields(config).get(1, [0])[0] if isinstance(config, bytes) else 0
            cloze = kind == 1
        except ValueError:
            cloze = "cloze" in str(name).casefold()
        types[int(ntid)] = NoteType(str(name), cloze, [])
    for ntid, _ord, name in conn.execute("SELECT ntid, ord, name FROM fields ORDER BY ntid, ord"):
        if int(ntid) in types:
            types[int(ntid)].field_names.append(str(name))
    for ntid, ord_, config in conn.execute("SELECT ntid, ord, config FROM templates"):
        if int(ntid) in types:
            types[int(ntid)].templates[int(ord_)] = (
                _proto_string(config, 1),
                _proto_string(config, 2),
            )
    kind = "kind" if "kind" in _columns(conn, "decks") else "NULL"
    decks = {
        int(did): (str(name).replace("\x1f", SEPARATOR), _deck_description(blob))
        for did, name, blob in conn.execute(f"SELECT id, name, {kind} FROM decks")
    }
    return types, decks


def _deck_description(kind: object) -> str:
    """A deck's description as text, from its `kind` blob: a normal deck (field 1) keeps its
    description in field 4; a filtered deck (field 2) has none."""
    try:
        normal = proto_fields(kind).get(1, [b""])[0] if isinstance(kind, bytes) else b""
    except ValueError:
        return ""
    return html_to_text(_proto_string(normal, 4)) if isinstance(normal, bytes) else ""


@dataclass(frozen=True)
class DayCutOff:
    """When the collection's study days begin: its creation time and day cut-off.

    `creation_offset` is minutes west of UTC where the collection was made (Anki's
    `creationOffset`), None when the collection does not say (older ones).
    """

    crt: int | None
    rollover: int = 4
    creation_offset: int | None = None


def _config_value(raw: object) -> object:
    """A JSON config value (bytes or text), None when unreadable."""
    try:
        return json.loads(raw) if isinstance(raw, str | bytes) else None
    except (ValueError, RecursionError):
        return None


def read_day_cut_off(conn: sqlite3.Connection) -> DayCutOff:
    """`crt`, `rollover` and `creationOffset`, from the `config` table or the legacy `col.conf`;
    a value that is missing or out of range is left at its default."""
    row = conn.execute("SELECT crt FROM col LIMIT 1").fetchone()
    crt = row[0] if row and _whole(row[0]) and 0 <= row[0] < 2**40 else None
    config: dict[str, object] = {}
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if "config" in tables and {"key", "val"} <= _columns(conn, "config"):
        for key, val in conn.execute(
            "SELECT key, val FROM config WHERE key IN ('rollover', 'creationOffset')"
        ):
            config[str(key)] = _config_value(val)
    elif "conf" in _columns(conn, "col"):
        conf_row = conn.execute("SELECT conf FROM col LIMIT 1").fetchone()
        conf = _config_value(conf_row[0]) if conf_row else None
        if isinstance(conf, dict):
            config = {k: conf.get(k) for k in ("rollover", "creationOffset")}
    rollover, offset = config.get("rollover"), config.get("creationOffset")
    return DayCutOff(
        crt,
        rollover if _whole(rollover) and 0 <= rollover <= 23 else 4,  # type: ignore[operator]
        offset if _whole(offset) and -24 * 60 <= offset <= 24 * 60 else None,  # type: ignore
    )


def _whole(value: object) -> bool:
    """An int that is not a bool (JSON `true` is not an hour)."""
    return isinstance(value, int) and not isinstance(value, bool)


def read_note_types_and_decks(
    conn: sqlite3.Connection,
) -> tuple[dict[int, NoteType], dict[int, tuple[str, str]]]:
    """Note types by id, and (name, description) of decks by id, from either schema."""
    modern = is_modern(conn)
    try:
        return _modern(conn) if modern else _legacy(conn)
    except (AttributeError, TypeError, ValueError, OverflowError) as exc:
        raise SchemaError(f"malformed note types or decks ({exc})") from None
    except RecursionError:  # a name or field that is a deeply nested JSON value, shown by str()
        raise SchemaError("malformed note types or decks (nested too deeply)") from None


def template_refs(template: str) -> list[str]:
    """Field references in a card template, in order, as written (`type:Back`, `#Hint`, ...)."""
    return [m.group(1).strip() for m in _REF_RE.finditer(template)]
