"""Issue 3's acceptance through the real command line (`flashcards.cli.main`) on a fresh file."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from flashcards.cli import main

BUNDLED = Path(__file__).resolve().parents[2] / "decks" / "muscle-spasms.toml"


def run(capsys: pytest.CaptureFixture[str], db: Path, *args: str) -> tuple[int, str, str]:
    code = main(["--db", str(db), *args])
    out, err = capsys.readouterr()
    return code, out, err


def decks_json(capsys: pytest.CaptureFixture[str], db: Path) -> list[dict]:
    code, out, _ = run(capsys, db, "decks", "--json")
    assert code == 0
    return json.loads(out)


@pytest.mark.sqlite_only  # reads the file with sqlite3
def test_acceptance(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    db = tmp_path / "fresh.db"

    # a fresh collection already lists the bundled deck
    decks = decks_json(capsys, db)
    assert [d["name"] for d in decks] == ["Muscle spasms"]
    total = decks[0]["cards"]
    assert total > 0

    # importing the same file again changes nothing
    code, out, _ = run(capsys, db, "import", str(BUNDLED), "--json")
    assert code == 0
    report = json.loads(out)
    assert (report["added"], report["updated"], report["unchanged"]) == (0, 0, total)
    assert {"added", "updated", "unchanged", "missing", "skipped", "problems", "decks"} <= set(
        report
    )

    # a copy with one back edited updates that card, which keeps its progress
    with sqlite3.connect(db) as conn:
        conn.execute(
            "UPDATE card SET repetitions = 4, interval = 21, due = '2030-01-05' "
            "WHERE key = 'spasm-duration'"
        )
    edited = tmp_path / "edited.toml"
    text = BUNDLED.read_text(encoding="utf-8")
    assert text.count('back = "Very short."') == 1
    edited.write_text(
        text.replace('back = "Very short."', 'back = "Very, very short."'), encoding="utf-8"
    )
    code, out, _ = run(capsys, db, "import", str(edited), "--json")
    assert code == 0
    report = json.loads(out)
    assert (report["added"], report["updated"], report["unchanged"]) == (0, 1, total - 1)
    with sqlite3.connect(db) as conn:
        row = conn.execute(
            "SELECT back, repetitions, interval, due FROM card WHERE key = 'spasm-duration'"
        ).fetchone()
    assert row == ("Very, very short.", 4, 21, "2030-01-05")

    # a bad file: exit 1, one line on stderr, the decks unchanged
    before = decks_json(capsys, db)
    bad = tmp_path / "bad.toml"
    bad.write_text('[deck]\nname = "Bad"\n[[cards]\nfront = "q"\n', encoding="utf-8")
    code, out, err = run(capsys, db, "import", str(bad))
    assert code == 1 and out == ""
    assert err.startswith(f"flashcards: {bad}:3: invalid TOML")
    assert len(err.strip().splitlines()) == 1
    assert decks_json(capsys, db) == before


def test_card_problems_are_all_listed_and_nothing_is_imported(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db = tmp_path / "c.db"
    before = decks_json(capsys, db)
    bad = tmp_path / "cards.toml"
    bad.write_text(
        '[deck]\nname = "Bad"\n\n[[cards]]\nfront = "q"\n\n[[cards]]\nback = "a"\n\n'
        '[[cards]]\nfront = "fine"\nback = "ok"\n',
        encoding="utf-8",
    )
    code, _, err = run(capsys, db, "import", str(bad))
    assert code == 1
    lines = err.strip().splitlines()
    assert lines[0].startswith(f"flashcards: 2 problems in {bad}; nothing imported")
    assert lines[1:] == [f"{bad}:4: missing 'back'", f"{bad}:7: missing 'front'"]
    assert decks_json(capsys, db) == before

    code, out, err = run(capsys, db, "import", str(bad), "--skip-invalid")
    assert code == 0
    assert "added 1, updated 0, unchanged 0, missing 0, skipped 2" in out
    assert f"skipped {bad}:4: missing 'back'" in err


def test_text_summary_dry_run_and_prune(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    deck = tmp_path / "d.toml"

    def write(keys: range) -> None:
        cards = "".join(f'\n[[cards]]\nid = "k{i}"\nfront = "q{i}"\nback = "a{i}"\n' for i in keys)
        deck.write_text(f'[deck]\nname = "D"\n{cards}', encoding="utf-8")

    write(range(3))
    code, out, _ = run(capsys, db, "import", str(deck), "--dry-run")
    assert code == 0
    assert out.startswith("Dry run (nothing written) into D: added 3, updated 0")
    assert "D" not in [d["name"] for d in decks_json(capsys, db)]

    run(capsys, db, "import", str(deck))
    write(range(2))
    code, out, _ = run(capsys, db, "import", str(deck))
    assert "missing 1, skipped 0" in out and "--prune deletes them" in out
    code, out, _ = run(capsys, db, "import", str(deck), "--prune")
    assert "missing 1 (deleted)" in out
    by_name = {d["name"]: d for d in decks_json(capsys, db)}
    assert by_name["D"]["cards"] == 2


def test_export_command(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    out_file = tmp_path / "ms.toml"
    code, out, _ = run(capsys, db, "export", "Muscle spasms", str(out_file))
    assert code == 0 and out.startswith("Exported ")
    code, out, _ = run(capsys, db, "import", str(out_file), "--json")
    report = json.loads(out)
    assert (report["added"], report["updated"], report["missing"]) == (0, 0, 0)
    code, _, err = run(capsys, db, "export", "Nope", str(out_file))
    assert code == 1 and "no deck named 'Nope'" in err


def test_the_cli_loads_no_parser_until_a_command_needs_one(tmp_path: Path) -> None:
    """Every command opens a collection; only a first open or an import may load the parsers."""
    import subprocess
    import sys

    db = tmp_path / "c.db"
    main(["--db", str(db), "decks", "--json"])  # installs the bundled decks
    code = (
        "import sys; from flashcards.cli import main; "
        f"main(['--db', {str(db)!r}, 'decks', '--json']); "
        "print([m for m in ('genanki', 'zstandard', 'flashcards.decks.detect', "
        "'flashcards.services.importer') if m in sys.modules])"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert result.stdout.strip().splitlines()[-1] == "[]"
