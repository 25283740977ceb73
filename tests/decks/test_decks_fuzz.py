"""Generated and mutated input: every parser returns a ParsedFile or raises a UserError, never
anything else (a crash would be a traceback in the user's face for a bad file)."""

from __future__ import annotations

import re
import tempfile
import zipfile
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from flashcards.decks import (
    ParsedFile,
    diff_answer,
    html_to_text,
    parse_apkg,
    parse_delimited,
    parse_toml,
    parse_toml_bytes,
    render_cloze,
    suggest_grade,
)
from flashcards.errors import UserError
from tests.decks.anki_builders import build_apkg, build_collection, zstd_stream

FUZZ = settings(max_examples=100, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

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


CLOZE_RE = re.compile(r"\{\{c(\d+)::(.*?)(?:::(.*?))?\}\}", re.S)
"""The cloze syntax as a regex: the specification the linear scanner must agree with (on short
texts only: on long ones this backtracks for minutes)."""


def _mutate(base: bytes, edits: list[tuple[int, int, bytes]]) -> bytes:
    """Apply (position, delete count, insertion) edits, positions wrapped into range."""
    data = bytearray(base)
    for pos, delete, insert in edits:
        at = pos % (len(data) + 1)
        data[at : at + delete] = insert
    return bytes(data)


EDITS = st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 8), st.binary(max_size=8)),
                 min_size=1, max_size=6)
TOML_SNIPPETS = st.sampled_from(['"', "'''", '"""', "[[cards]]", "[deck]", "=", "\n", "{{c1::",
                                 "}}", "type = \"cloze\"", "tags = [1]", "id = 3", "\\", "#",
                                 "\x00", "\ufeff", "[", "]"])


def _ok(call) -> None:
    try:
        result = call()
    except UserError:
        return
    assert isinstance(result, ParsedFile)


@FUZZ
@given(st.text(max_size=300))
def test_toml_arbitrary_text(text: str) -> None:
    _ok(lambda: parse_toml(text, "f.toml"))


@FUZZ
@given(st.lists(st.tuples(st.integers(0, 400), st.integers(0, 6), TOML_SNIPPETS), max_size=5))
def test_toml_mutated_document(edits: list[tuple[int, int, str]]) -> None:
    text = TOML_DOC
    for pos, delete, insert in edits:
        at = pos % (len(text) + 1)
        text = text[:at] + insert + text[at + delete :]
    _ok(lambda: parse_toml(text, "f.toml"))
    _ok(lambda: parse_toml_bytes(text.encode("utf-8", "surrogatepass"), "f.toml"))


@FUZZ
@given(st.binary(max_size=300))
def test_toml_arbitrary_bytes(data: bytes) -> None:
    _ok(lambda: parse_toml_bytes(data, "f.toml"))


CSV_DOC = (b"#separator:tab\n#html:true\n#guid column:1\n#notetype column:2\n#deck column:3\n"
           b"g1\tBasic\tD\tfront<br>x\tback\ng2\tCloze\tD\t{{c1::a}}\t\n")


@FUZZ
@given(st.binary(max_size=300), st.sampled_from([None, ",", "\t", ";", "|"]))
def test_delimited_arbitrary_bytes(data: bytes, delimiter: str | None) -> None:
    _ok(lambda: parse_delimited(data, "f.csv", delimiter))


@FUZZ
@given(EDITS)
def test_delimited_mutated_anki_export(edits: list[tuple[int, int, bytes]]) -> None:
    _ok(lambda: parse_delimited(_mutate(CSV_DOC, edits), "f.txt"))


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


def _parse_bytes_as_apkg(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "f.apkg"
        path.write_bytes(data)
        _ok(lambda: parse_apkg(path, "f.apkg"))


@FUZZ
@given(st.sampled_from(["anki2", "anki21b"]), EDITS)
def test_apkg_mutated_package(kind: str, edits: list[tuple[int, int, bytes]]) -> None:
    _parse_bytes_as_apkg(_mutate(_base(kind), edits))


@FUZZ
@given(st.sampled_from(["db-legacy", "db-modern"]),
       st.lists(st.tuples(st.integers(100, 60_000), st.binary(min_size=1, max_size=4)),
                min_size=1, max_size=8))
@example(kind="db-modern", flips=[(1882, b"\x80")])  # once a UnicodeDecodeError from sqlite3
def test_apkg_corrupted_collection_inside_a_valid_zip(
    kind: str, flips: list[tuple[int, bytes]]
) -> None:
    db = bytearray(_base(kind))
    for pos, value in flips:
        at = pos % len(db)
        db[at : at + len(value)] = value
    member = "collection.anki21b" if kind == "db-modern" else "collection.anki2"
    payload = zstd_stream(bytes(db)) if kind == "db-modern" else bytes(db)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "f.apkg"
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr(member, payload)
        _ok(lambda: parse_apkg(path, "f.apkg"))


@FUZZ
@given(st.text(max_size=200))
def test_html_to_text_never_fails(text: str) -> None:
    assert isinstance(html_to_text(text), str)


@FUZZ
@given(st.text(alphabet=st.sampled_from(list("ab :{}c12")), max_size=60), st.integers(0, 3))
def test_revealed_cloze_reads_as_the_answers(text: str, ordinal: int) -> None:
    revealed = "".join(seg for seg, _ in render_cloze(text, ordinal, reveal=True))
    assert revealed == CLOZE_RE.sub(lambda m: m.group(2), text)
    render_cloze(text, ordinal, reveal=False)


@FUZZ
@given(st.text(max_size=40), st.text(max_size=40))
def test_answer_diff_rebuilds_both_sides(typed: str, expected: str) -> None:
    segments = diff_answer(typed, expected)
    assert "".join(t for t, tag in segments if tag != "extra") == " ".join(expected.split())
    assert suggest_grade(typed, expected) in (0, 2, 4, 5)
