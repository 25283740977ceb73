"""Format detection, parse_file's dispatch and errors, and the bundled deck."""

from __future__ import annotations

import datetime
import subprocess
import sys
from pathlib import Path

import pytest

from flashcards.decks.bundled import bundled_deck_paths
from flashcards.decks.detect import detect_format, parse_file
from flashcards.errors import DeckError
from tests.decks.anki_builders import build_apkg

TOML = b'[deck]\nname = "T"\n[[cards]]\nfront = "q"\nback = "a"\n'


@pytest.mark.parametrize(
    ("name", "head", "fmt"),
    [
        ("x.apkg", b"anything", "apkg"),
        ("x.txt", b"PK\x03\x04rest", "apkg"),
        ("x.colpkg", b"", "apkg"),
        ("x.toml", b"front,back", "toml"),
        ("x.csv", b"[deck]\n", "csv"),
        ("x.TSV", b"a,b", "tsv"),
        ("x.txt", b'\xef\xbb\xbf# hi\n[deck]\nname = "x"', "toml"),
        ("x.txt", b"a\tb\n", "tsv"),
        ("x.txt", b"#separator:tab\n#html:true\na\tb", "tsv"),
        ("x", b"a,b\n", "csv"),
    ],
)
def test_detect_format(name: str, head: bytes, fmt: str) -> None:
    assert detect_format(Path(name), head) == fmt


def test_parse_file_dispatches_and_renames(tmp_path: Path) -> None:
    (tmp_path / "d.toml").write_bytes(TOML)
    (tmp_path / "d.tsv").write_bytes(b"q\ta,b\n")
    (tmp_path / "d.data").write_bytes(TOML)
    apkg = build_apkg(tmp_path / "d.apkg", "anki21b")
    assert parse_file(tmp_path / "d.toml").decks[0].name == "T"
    assert parse_file(tmp_path / "d.data").decks[0].name == "T"
    assert parse_file(tmp_path / "d.tsv").decks[0].cards[0].back == "a,b"
    (tmp_path / "d.csv").write_bytes(b"q\tx,y\n")
    assert parse_file(tmp_path / "d.csv", fmt="tsv").decks[0].cards[0].back == "x,y"
    renamed = parse_file(apkg, deck_name="All in one", today=datetime.date(2030, 1, 1))
    (deck,) = renamed.decks
    assert deck.name == "All in one" and len(deck.cards) == 9


@pytest.mark.parametrize(
    ("setup", "fmt", "message"),
    [
        (lambda p: None, None, "no such file"),
        (lambda p: p.mkdir(), None, "is a directory"),
        (lambda p: p.write_bytes(TOML), "yaml", "unknown format 'yaml'"),
        (lambda p: p.write_bytes(b"PK\x03\x04broken"), None, "not a valid zip"),
    ],
)
def test_parse_file_errors_name_the_path(
    tmp_path: Path, setup, fmt: str | None, message: str
) -> None:
    path = tmp_path / "deck.thing"
    setup(path)
    with pytest.raises(DeckError) as caught:
        parse_file(path, fmt=fmt)
    assert str(caught.value).startswith(str(path))
    assert message in str(caught.value)


def test_bundled_deck_parses_cleanly_with_unique_stable_ids() -> None:
    paths = bundled_deck_paths()
    assert [p.name for p in paths] == ["muscle-spasms.toml"]
    parsed = parse_file(paths[0])
    assert parsed.problems == ()
    (deck,) = parsed.decks
    assert deck.name == "Muscle spasms"
    assert "not medical advice" in deck.description
    keys = [c.key for c in deck.cards]
    assert len(keys) == len(set(keys))
    assert 30 <= len(keys) <= 50
    assert {c.kind for c in deck.cards} == {"basic", "cloze", "type"}
    assert any(k.endswith("::reverse") for k in keys)
    text = paths[0].read_text(encoding="utf-8")
    assert text.count("[[cards]]") == text.count("\nid = ")  # every card has an explicit id


def test_deck_layer_imports_no_database_or_ui_library() -> None:
    """The pure layer must load without peewee, textual or rich (checked in a fresh process)."""
    code = (
        "import sys, flashcards.decks; "
        "bad = {'peewee', 'textual', 'rich'} & {m.split('.')[0] for m in sys.modules}; "
        "print(sorted(bad))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
