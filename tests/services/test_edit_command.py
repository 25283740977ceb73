"""`flashcards edit ID` with EDITOR set to scripts that stand in for a person at an editor."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from flashcards.services.collection import Collection
from flashcards.storage import Card, Deck
from tests.conftest import import_toml, run_cli

DECK = """\
[deck]
name = "Words"

[[cards]]
type = "reverse"
front = "cat"
back = "gato"
tags = ["animals"]
"""


def _script(folder: Path, name: str, body: str) -> str:
    path = folder / name
    path.write_text("#!/bin/sh\n" + body, encoding="utf-8")
    path.chmod(0o755)
    return str(path)


@pytest.fixture
def words(col: Collection, tmp_path: Path) -> Collection:
    return import_toml(col, tmp_path, DECK)


def _texts() -> list[tuple]:
    query = Card.select(Card.front, Card.back, Card.tags, Card.due).join(Deck)
    return sorted(query.where(Deck.name == "Words").tuples())


def test_an_editor_that_rewrites_the_note_changes_both_directions(
    words: Collection,
    db_target: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("EDITOR", _script(tmp_path, "ed.sh", "sed -i 's/gato/el gato/' \"$1\"\n"))
    reverse = Card.get(Card.front == "gato").id
    code, out, err = run_cli(capsys, "--db", db_target, "edit", str(reverse))
    assert code == 0, err
    assert out == "Saved the reverse note (2 cards) in Words\n"
    assert _texts() == [("cat", "el gato", "animals", None), ("el gato", "cat", "animals", None)]


def test_visual_wins_and_an_unchanged_file_changes_nothing(
    words: Collection,
    db_target: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("EDITOR", _script(tmp_path, "bad.sh", "exit 3\n"))
    monkeypatch.setenv("VISUAL", _script(tmp_path, "noop.sh", "true\n"))
    before = _texts()
    code, out, _ = run_cli(capsys, "--db", db_target, "edit", str(Card.get(Card.front == "cat").id))
    assert (code, out) == (0, "The note was not changed.\n")
    assert _texts() == before


def test_invalid_toml_then_giving_up_changes_nothing(
    words: Collection,
    db_target: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(
        "EDITOR", _script(tmp_path, "broken.sh", 'printf \'front = "x\\n\' > "$1"\n')
    )
    before = _texts()
    monkeypatch.setattr(sys.stdin, "isatty", lambda: False)  # nobody to ask: given up
    code, _, err = run_cli(capsys, "--db", db_target, "edit", str(Card.get(Card.front == "cat").id))
    assert code == 1 and err.startswith("flashcards: the edited note is not valid TOML")
    assert _texts() == before
    # At a terminal the edit is offered again; answering "n" gives up, nothing changed.
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
    monkeypatch.setattr("builtins.input", lambda _prompt: "n")
    code, _, err = run_cli(capsys, "--db", db_target, "edit", str(Card.get(Card.front == "cat").id))
    assert code == 1 and "not valid TOML" in err
    assert _texts() == before


def test_an_invalid_edit_fixed_on_the_second_try_is_saved(
    words: Collection,
    db_target: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # First run empties the front (refused); the second, shown the error, writes a good one.
    body = (
        'if grep -q "^# error:" "$1"; then sed -i \'s/^front = .*/front = "dog"/\' "$1";\n'
        'else sed -i \'s/^front = .*/front = ""/\' "$1"; fi\n'
    )
    monkeypatch.setenv("EDITOR", _script(tmp_path, "twice.sh", body))
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
    monkeypatch.setattr("builtins.input", lambda _prompt: "")
    code, _, err = run_cli(capsys, "--db", db_target, "edit", str(Card.get(Card.front == "cat").id))
    assert code == 0, err
    assert "'front' is empty" in err
    assert ("dog", "gato", "animals", None) in _texts()


def test_an_unknown_card_is_one_line(db_target: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run_cli(capsys, "--db", db_target, "edit", "99999")
    assert code == 1 and err == "flashcards: no card with id 99999 (see `flashcards cards`)\n"
