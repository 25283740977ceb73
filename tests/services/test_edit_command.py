"""`flashcards edit ID` with EDITOR set to scripts that stand in for a person at an editor."""

from __future__ import annotations

import sys
from collections.abc import Callable
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

Edit = Callable[..., tuple[int, str, str]]


def _script(folder: Path, name: str, body: str) -> str:
    path = folder / name
    path.write_text("#!/bin/sh\n" + body, encoding="utf-8")
    path.chmod(0o755)
    return str(path)


@pytest.fixture
def edit(
    col: Collection,
    db_target: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> Edit:
    """Runs `flashcards edit` on the "cat" card with EDITOR (or `variable`) set to a shell
    script of `body`, at a terminal or not, answering `answer` when asked to edit again."""
    import_toml(col, tmp_path, DECK)
    scripts = iter(range(100))

    def run(
        body: str, *, tty: bool = False, answer: str = "n", variable: str = "EDITOR"
    ) -> tuple[int, str, str]:
        monkeypatch.setenv(variable, _script(tmp_path, f"ed{next(scripts)}.sh", body))
        monkeypatch.setattr(sys.stdin, "isatty", lambda: tty)
        monkeypatch.setattr("builtins.input", lambda _prompt: answer)
        card = Card.get(Card.front == "cat").id
        return run_cli(capsys, "--db", db_target, "edit", str(card))

    return run


def _texts() -> list[tuple]:
    query = Card.select(Card.front, Card.back, Card.tags, Card.due).join(Deck)
    return sorted(query.where(Deck.name == "Words").tuples())


def test_an_editor_that_rewrites_the_note_changes_both_directions(edit: Edit) -> None:
    code, out, err = edit("sed -i 's/gato/el gato/' \"$1\"\n")
    assert code == 0, err
    assert out == "Saved the reverse note (2 cards) in Words\n"
    assert _texts() == [("cat", "el gato", "animals", None), ("el gato", "cat", "animals", None)]


def test_visual_wins_and_an_unchanged_file_changes_nothing(
    edit: Edit, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EDITOR", "false")  # would fail if it were run
    before = _texts()
    assert edit("true\n", variable="VISUAL")[:2] == (0, "The note was not changed.\n")
    assert _texts() == before


def test_invalid_toml_then_giving_up_changes_nothing(edit: Edit) -> None:
    broken = 'printf \'front = "x\\n\' > "$1"\n'
    before = _texts()
    code, _, err = edit(broken)  # not at a terminal: nobody to ask, given up
    assert code == 1 and err.startswith("flashcards: the edited note is not valid TOML")
    assert _texts() == before
    code, _, err = edit(broken, tty=True, answer="n")  # offered again; "n" gives up
    assert code == 1 and "not valid TOML" in err
    assert _texts() == before


def test_an_invalid_edit_fixed_on_the_second_try_is_saved(edit: Edit) -> None:
    # First run empties the front (refused); the second, shown the error, writes a good one.
    body = (
        'if grep -q "^# error:" "$1"; then sed -i \'s/^front = .*/front = "dog"/\' "$1";\n'
        'else sed -i \'s/^front = .*/front = ""/\' "$1"; fi\n'
    )
    code, _, err = edit(body, tty=True, answer="")
    assert code == 0, err
    assert "'front' is empty" in err
    assert ("dog", "gato", "animals", None) in _texts()


def test_an_unknown_card_is_one_line(db_target: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run_cli(capsys, "--db", db_target, "edit", "99999")
    assert code == 1 and err == "flashcards: no card with id 99999 (see `flashcards cards`)\n"
