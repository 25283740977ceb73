"""One fuzzer per parser: random bytes, mutated valid files and random structured documents.

Every parser must return a ParsedFile or raise the one user-error type (UserError), never
anything else (a crash is a traceback in the user's face for a bad file), and do it within a
wall-clock bound per input (a backtracking regex or a quadratic loop would blow it).
The one command-level fuzzer (exit status 0 or 1, never a traceback, whatever the format) is
in tests/reliability/test_hostile_decks.py.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import tempfile
import time
import zipfile
from pathlib import Path

import tomli_w
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from flashcards.decks.answer_check import alternatives, check_answer, suggest_grade
from flashcards.decks.apkg import parse_apkg
from flashcards.decks.cloze import cloze_numbers, render_cloze
from flashcards.decks.delimited import parse_delimited
from flashcards.decks.html_text import has_media, html_to_text, looks_like_html
from flashcards.decks.limits import INT32_MAX, INT32_MIN
from flashcards.decks.spec import ParsedFile
from flashcards.decks.toml_format import parse_toml, parse_toml_bytes
from flashcards.errors import UserError
from tests.decks.anki_builders import BASIC, CLOZE, Note, build_apkg, build_collection, zstd_stream

FUZZ = settings(
    max_examples=int(os.environ.get("FLASHCARDS_FUZZ_EXAMPLES", "100")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
SECONDS_PER_INPUT = 2.0
"""Generous: the inputs are small; only super-linear work on them could come near it."""

CLOZE_RE = re.compile(r"\{\{c(\d+)::(.*?)(?:::(.*?))?\}\}", re.S)
"""The flat cloze syntax as a regex: the specification the linear scanner must agree with where
no deletion holds another (on short texts only: on long ones this backtracks for minutes)."""

TOML_DOC = '''[deck]
name = "Fuzz"
description = """multi
line"""

[[cards]]
id = "a"
type = "reverse"
front = "q"
back = "a"
tags = ["t"]

[[cards]]
type = "cloze"
text = "{{c1::x::hint}} {{c2::y}}"
extra = "e"
'''


def _mutate(base: bytes, edits: list[tuple[int, int, bytes]]) -> bytes:
    """Apply (position, delete count, insertion) edits, positions wrapped into range."""
    data = bytearray(base)
    for pos, delete, insert in edits:
        at = pos % (len(data) + 1)
        data[at : at + delete] = insert
    return bytes(data)


EDITS = st.lists(
    st.tuples(st.integers(0, 10_000), st.integers(0, 8), st.binary(max_size=8)),
    min_size=1,
    max_size=6,
)
TOML_SNIPPETS = st.sampled_from(
    [
        '"',
        "'''",
        '"""',
        "[[cards]]",
        "[deck]",
        "=",
        "\n",
        "{{c1::",
        "}}",
        'type = "cloze"',
        "tags = [1]",
        "id = 3",
        "\\",
        "#",
        "\x00",
        "\ufeff",
        "[",
        "]",
        "[" * 300,
        "{a=" * 50,
        "1" * 5000,
        "\r",
        "cloze = 1e300",
        "::" * 40,
    ]
)
TRICKY_TEXT = st.sampled_from(
    [
        "{{c1::",
        "}}",
        "::",
        "<a",
        "<",
        "</",
        "&#",
        "&amp;",
        "[sound:",
        "<!--",
        "\r",
        "\n",
        '"',
        ",",
        "\t",
        "1" * 50,
        "<br>",
        "{{c2::a}}",
    ]
)
TEXT = st.lists(st.one_of(st.text(max_size=8), TRICKY_TEXT), max_size=12).map("".join)


def _ok(call) -> ParsedFile | None:
    """The call's ParsedFile, or None for a UserError; within the CPU-time bound either way."""
    start = time.process_time()
    try:
        result = call()
    except UserError:
        result = None
    elapsed = time.process_time() - start
    assert elapsed < SECONDS_PER_INPUT, f"one input took {elapsed:.1f} s"
    if result is not None:
        assert isinstance(result, ParsedFile)
        _check_storable(result)
    return result


def _check_storable(parsed: ParsedFile) -> None:
    """What a parser lets through fits the columns: 255-character names and keys, 32-bit ints."""
    for deck in parsed.decks:
        for card in deck.cards:
            assert len(card.key) <= 255 and INT32_MIN <= card.ordinal <= INT32_MAX
            if card.scheduling is not None:
                s = card.scheduling
                for value in (s.repetitions, s.interval, s.easiness, s.lapses):
                    assert INT32_MIN <= value <= INT32_MAX


# -- TOML ---------------------------------------------------------------------------------------

TOML_SCALARS = st.one_of(
    TEXT,
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=True),
    st.booleans(),
)
TOML_VALUES = st.recursive(
    TOML_SCALARS,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=12,
)
CARD_KEYS = st.sampled_from(["id", "type", "front", "back", "tags", "text", "extra", "cloze"])
CARD_TABLES = st.dictionaries(
    CARD_KEYS,
    st.one_of(TOML_VALUES, st.sampled_from(["basic", "reverse", "cloze", "type"]), TEXT),
    max_size=6,
)
TOML_DOCUMENTS = st.fixed_dictionaries(
    {
        "deck": st.fixed_dictionaries(
            {"name": st.one_of(TEXT, TOML_VALUES)}, optional={"description": TOML_VALUES}
        ),
        "cards": st.lists(CARD_TABLES, max_size=5),
    },
    optional={"extra": TOML_VALUES},
)


def _toml_text(document: dict) -> str:
    try:
        return tomli_w.dumps(document)
    except (TypeError, ValueError):  # values TOML cannot hold (tomli_w refuses them)
        return ""


@FUZZ
@given(
    st.one_of(
        st.text(max_size=300).map(lambda t: ("text", t)),
        st.binary(max_size=300).map(lambda b: ("bytes", b)),
        st.lists(st.tuples(st.integers(0, 400), st.integers(0, 6), TOML_SNIPPETS), max_size=5).map(
            lambda edits: ("edits", edits)
        ),
        TOML_DOCUMENTS.map(lambda doc: ("document", doc)),
    )
)
@example(("text", '[deck]\nname = "N"\nx = ' + "[" * 1000 + "]" * 1000))
@example(("text", '[deck]\nname = "' + "::".join("d" * 2000) + '"'))
def test_fuzz_toml(case: tuple[str, object]) -> None:
    kind, value = case
    if kind == "bytes":
        _ok(lambda: parse_toml_bytes(value, "f.toml"))
        return
    if kind == "edits":
        text = TOML_DOC
        for pos, delete, insert in value:
            at = pos % (len(text) + 1)
            text = text[:at] + insert + text[at + delete :]
    elif kind == "document":
        text = _toml_text(value)
    else:
        text = value
    _ok(lambda: parse_toml(text, "f.toml"))
    _ok(lambda: parse_toml_bytes(text.encode("utf-8", "surrogatepass"), "f.toml"))


# -- CSV / TSV ----------------------------------------------------------------------------------

CSV_DOC = (
    b"#separator:tab\n#html:true\n#guid column:1\n#notetype column:2\n#deck column:3\n"
    b"g1\tBasic\tD\tfront<br>x\tback\ng2\tCloze\tD\t{{c1::a}}\t\n"
)
ANKI_HEADERS = st.lists(
    st.sampled_from(
        [
            "#separator:comma",
            "#separator:tab",
            "#separator:Pipe",
            "#html:true",
            "#html:maybe",
            "#deck:Fuzz",
            "#deck column:1",
            "#guid column:2",
            "#notetype column:3",
            "#tags column:9",
            "#columns:front,back,tags",
            "#notetype:Cloze",
            "#deck column:²",
            "#tags:a b",
        ]
    ),
    max_size=4,
)
CSV_DOCUMENTS = st.tuples(
    ANKI_HEADERS,
    st.lists(st.lists(TEXT, max_size=5), max_size=8),
    st.sampled_from([",", "\t", ";", "|"]),
    st.sampled_from(["\n", "\r\n", "\r"]),
    st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le"]),
    st.booleans(),
)


def _csv_bytes(document: tuple) -> bytes:
    headers, rows, delimiter, newline, encoding, quote = document

    def cell(text: str) -> str:
        return '"' + text.replace('"', '""') + '"' if quote else text

    lines = [*headers, *(delimiter.join(cell(c) for c in row) for row in rows)]
    return newline.join(lines).encode(encoding, "surrogatepass")


@FUZZ
@given(
    st.one_of(
        st.binary(max_size=300).map(lambda b: ("bytes", b)),
        EDITS.map(lambda edits: ("edits", edits)),
        CSV_DOCUMENTS.map(lambda doc: ("document", doc)),
    ),
    st.sampled_from([None, ",", "\t", ";", "|"]),
)
@example(("bytes", b'front,back\n"q0,a0\n' + b"q,a\n" * 1000), None)
def test_fuzz_delimited(case: tuple[str, object], delimiter: str | None) -> None:
    kind, value = case
    if kind == "edits":
        data = _mutate(CSV_DOC, value)
    elif kind == "document":
        data = _csv_bytes(value)
    else:
        data = value
    _ok(lambda: parse_delimited(data, "f.csv", delimiter))


# -- Anki packages ------------------------------------------------------------------------------

_BASES: dict[str, bytes] = {}


def _base(kind: str) -> bytes:
    """A valid package (or raw collection) of each kind, built once per test session."""
    if kind not in _BASES:
        with tempfile.TemporaryDirectory() as tmp:
            if kind.startswith("db-"):
                _BASES[kind] = build_collection(Path(tmp) / "c.db", kind == "db-modern")
            else:
                _BASES[kind] = build_apkg(Path(tmp) / "p.apkg", kind).read_bytes()
    return _BASES[kind]


def _parse_package(members: dict[str, bytes] | bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "f.apkg"
        if isinstance(members, bytes):
            path.write_bytes(members)
        else:
            with zipfile.ZipFile(path, "w") as archive:
                for name, data in members.items():
                    archive.writestr(name, data)
        _ok(lambda: parse_apkg(path, "f.apkg"))


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.floats() | TEXT,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(
            st.sampled_from(
                ["id", "name", "type", "flds", "tmpls", "ord", "qfmt", "afmt", "desc", "1", "2"]
            ),
            inner,
            max_size=5,
        )
    ),
    max_leaves=15,
)
SQL_VALUES = st.one_of(
    st.none(),
    st.integers(-(2**63), 2**63 - 1),
    st.floats(),
    TEXT,
    st.binary(max_size=8),
    st.sampled_from([0, 1, 2, 2500, 1e300, -1]),
)
CARD_COLUMNS = ("ord", "type", "due", "ivl", "factor", "lapses", "odue", "odid", "did", "nid")


def _legacy_collection(
    models: object, decks: object, card_values: dict[str, object], fields: str
) -> bytes:
    """The sample legacy collection with its col JSON and one card's columns replaced."""
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "c.db"
        build_collection(
            db,
            False,
            models=[BASIC, CLOZE],
            decks={1: "Default"},
            notes=[
                Note(1, "g", BASIC.id, ["q", "a"], "", [(0, 1, 0, 2, 5, 0, 10, 2500, 0)]),
                Note(2, "h", CLOZE.id, ["{{c1::x}}", ""], "", [(0, 1, 0, 0, 0, 0, 0, 0, 0)]),
            ],
        )
        conn = sqlite3.connect(db)
        try:  # the same cards without NOT NULL, so a card may hold any value at all
            conn.executescript(
                "CREATE TABLE loose AS SELECT * FROM cards; DROP TABLE cards; "
                "ALTER TABLE loose RENAME TO cards;"
            )
            if models is not None:
                conn.execute("UPDATE col SET models = ?", (json.dumps(models),))
            if decks is not None:
                conn.execute("UPDATE col SET decks = ?", (json.dumps(decks),))
            for column, value in card_values.items():
                conn.execute(f"UPDATE cards SET {column} = ?", (value,))  # noqa: S608
            conn.execute("UPDATE notes SET flds = ? WHERE id = 1", (fields,))
            conn.commit()
        finally:
            conn.close()
        return db.read_bytes()


@FUZZ
@given(
    st.one_of(
        st.tuples(st.just("mutated"), st.sampled_from(["anki2", "anki21b"]), EDITS),
        st.tuples(
            st.just("corrupted"),
            st.sampled_from(["db-legacy", "db-modern"]),
            st.lists(
                st.tuples(st.integers(100, 60_000), st.binary(min_size=1, max_size=4)),
                min_size=1,
                max_size=8,
            ),
        ),
        st.tuples(
            st.just("structured"),
            st.none() | JSON_VALUES,
            st.none() | JSON_VALUES,
            st.dictionaries(st.sampled_from(CARD_COLUMNS), SQL_VALUES, max_size=4),
            st.lists(TEXT, max_size=3).map("\x1f".join),
        ),
    )
)
@example(("corrupted", "db-modern", [(1882, b"\x80")]))  # once a UnicodeDecodeError from sqlite3
@example(("structured", "[" * 1000 + "]" * 1000, None, {}, "q\x1fa"))
@example(("structured", None, None, {"factor": 1e300, "lapses": 1e300}, "q\x1fa"))
def test_fuzz_apkg(case: tuple) -> None:
    kind = case[0]
    if kind == "mutated":
        _parse_package(_mutate(_base(case[1]), case[2]))
    elif kind == "corrupted":
        db = bytearray(_base(case[1]))
        for pos, value in case[2]:
            at = pos % len(db)
            db[at : at + len(value)] = value
        if case[1] == "db-modern":
            _parse_package({"collection.anki21b": zstd_stream(bytes(db))})
        else:
            _parse_package({"collection.anki2": bytes(db)})
    else:
        models, decks, values, fields = case[1:]
        if isinstance(models, str):  # a raw JSON text (the nesting example)
            collection = _legacy_collection(None, None, values, fields)
            with tempfile.TemporaryDirectory() as tmp:
                db = Path(tmp) / "c.db"
                db.write_bytes(collection)
                with sqlite3.connect(db) as conn:
                    conn.execute("UPDATE col SET models = ?", (models,))
                conn.close()
                collection = db.read_bytes()
        else:
            collection = _legacy_collection(models, decks, values, fields)
        _parse_package({"collection.anki2": collection})


# -- text helpers the review screen calls -------------------------------------------------------


def _bounded(call) -> object:
    start = time.process_time()
    result = call()
    assert time.process_time() - start < SECONDS_PER_INPUT
    return result


@FUZZ
@given(
    st.one_of(
        TEXT,
        st.text(max_size=200),
        st.tuples(TRICKY_TEXT, st.integers(1, 5000)).map(lambda t: t[0] * t[1]),
    )
)
def test_fuzz_html(text: str) -> None:
    assert isinstance(_bounded(lambda: html_to_text(text)), str)
    _bounded(lambda: (has_media(text), looks_like_html(text)))


@FUZZ
@given(st.text(alphabet=st.sampled_from(list("ab :{}c12")), max_size=60), st.integers(0, 3))
@example("{{c1::a {{c2::b::h}} c}} }} {{c2::", 2)
def test_cloze_scanner_agrees_with_the_regex(text: str, ordinal: int) -> None:
    revealed = "".join(seg for seg, _ in render_cloze(text, ordinal, reveal=True))
    # revealed, a card shows every answer, nested ones too: the same text whichever card it is
    assert revealed == "".join(seg for seg, _ in render_cloze(text, -2, reveal=True))
    render_cloze(text, ordinal, reveal=False)
    if any("{{c" in m.group(0)[3:] for m in CLOZE_RE.finditer(text)):
        return  # a deletion inside a deletion: the flat regex is no specification there
    assert revealed == CLOZE_RE.sub(lambda m: m.group(2), text)
    numbers = {int(m.group(1)) for m in CLOZE_RE.finditer(text)}
    assert cloze_numbers(text) == sorted(n for n in numbers if 1 <= n <= 500)


@FUZZ
@given(
    st.one_of(TEXT, st.tuples(TRICKY_TEXT, st.integers(1, 20_000)).map(lambda t: t[0] * t[1])),
    st.integers(0, 3),
)
def test_fuzz_cloze(text: str, ordinal: int) -> None:
    _bounded(
        lambda: (
            render_cloze(text, ordinal, False),
            render_cloze(text, ordinal, True),
            cloze_numbers(text),
        )
    )


@FUZZ
@given(st.text(max_size=40), st.text(max_size=40))
def test_answer_check_marks_fit_both_sides(typed: str, expected: str) -> None:
    result = check_answer(typed, expected)
    assert result.typed == typed and result.expected in (expected, *alternatives(expected))
    assert len(result.wrong) == len(typed) and len(result.missing) == len(result.expected)
    assert suggest_grade(typed, expected) in range(6)


@FUZZ
@given(st.text(max_size=300), st.tuples(TRICKY_TEXT, st.integers(1, 20_000)))
def test_fuzz_answer_check_on_long_backs(typed: str, back: tuple[str, int]) -> None:
    expected = back[0] * back[1]
    result = _bounded(lambda: check_answer(typed, expected))
    assert len(result.wrong) == len(typed) and len(result.missing) == len(result.expected)
    assert _bounded(lambda: suggest_grade(typed, expected)) in range(6)
