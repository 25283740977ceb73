"""The CLI skeleton: help, version, decks as table and JSON, one-line user errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from flashcards import __version__
from flashcards.cli import main


def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "flashcards", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=60,
    )


def test_version_and_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0
    assert capsys.readouterr().out.strip() == f"flashcards {__version__}"
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    assert "--db" in out and "decks" in out


def test_decks_json_on_a_new_database(tmp_path: Path) -> None:
    result = run_cli("--db", str(tmp_path / "new.db"), "decks", "--json")
    assert result.returncode == 0, result.stderr
    decks = json.loads(result.stdout)
    assert isinstance(decks, list)
    for deck in decks:
        assert {"name", "cards", "new", "due", "suspended"} <= set(deck)


def test_decks_counts_include_subdecks(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import datetime as dt

    from flashcards.clock import FixedClock
    from flashcards.services.collection import open_collection
    from flashcards.storage import Card
    from tests.conftest import add_cards

    db = tmp_path / "c.db"
    with open_collection(db, clock=FixedClock(dt.datetime(2026, 3, 2, 10))) as col:
        ids = add_cards(col, "Lang::French", 3)
        add_cards(col, "Lang", 1, prefix="top")
        Card.update(suspended=True).where(Card.id == ids[0]).execute()
        Card.update(repetitions=1, interval=1, due=dt.date(2000, 1, 1)).where(
            Card.id == ids[1]
        ).execute()
    assert main(["--db", str(db), "decks", "--json"]) == 0
    by_name = {d["name"]: d for d in json.loads(capsys.readouterr().out)}
    french = by_name["Lang::French"]
    assert (french["cards"], french["new"], french["due"], french["suspended"]) == (3, 1, 1, 1)
    lang = by_name["Lang"]
    assert (lang["cards"], lang["new"], lang["due"], lang["suspended"]) == (4, 2, 1, 1)
    assert main(["--db", str(db), "decks"]) == 0
    table = capsys.readouterr().out
    assert "French" in table and "due today" in table


def test_env_var_chooses_the_database(tmp_path: Path) -> None:
    db = tmp_path / "env.db"
    result = run_cli("decks", "--json", env={"FLASHCARDS_DB": str(db)})
    assert result.returncode == 0 and db.exists()


@pytest.mark.parametrize(
    ("target", "words"),
    [
        ("dir", "is a directory"),
        ("missing/x.db", "does not exist"),
        ("junk.db", "not a flashcards"),
    ],
)
def test_user_errors_are_one_line_exit_1(tmp_path: Path, target: str, words: str) -> None:
    (tmp_path / "dir").mkdir()
    (tmp_path / "junk.db").write_bytes(b"\x00junk" * 1000)
    result = run_cli("--db", str(tmp_path / target), "decks")
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and words in lines[0] and "Traceback" not in result.stderr


def test_bad_config_is_a_user_error(tmp_path: Path) -> None:
    cfg = tmp_path / "config.toml"
    cfg.write_text("grading = 'many'\n")
    result = run_cli("--db", str(tmp_path / "c.db"), "--config", str(cfg), "decks")
    assert result.returncode == 1 and "grading" in result.stderr


def test_decks_does_not_import_textual(tmp_path: Path) -> None:
    code = (
        "import sys; from flashcards.cli import main; "
        f"main(['--db', {str(tmp_path / 'c.db')!r}, 'decks', '--json']); "
        "print('textual' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.stdout.strip().splitlines()[-1] == "False", out.stderr
