"""No command prints a server URL's password: backup, backup --list, restore and the rest show
the location through `display_location`, and a password with / # ? gives one line, not a
traceback quoting part of it."""

from __future__ import annotations

import pytest

from flashcards.cli import main

PASSWORD = "hun/ter#2?x"
URL = f"postgresql://me:{PASSWORD}@127.0.0.1:1/flashcards"  # nothing listens on port 1


@pytest.mark.parametrize(
    "args",
    [["backup"], ["backup", "--list"], ["restore", "some-backup.db"], ["decks"], ["stats"]],
)
def test_commands_never_print_the_password(
    args: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("psycopg2")
    assert main(["--db", URL, *args]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert len(err.strip().splitlines()) == 1 and "me:***@127.0.0.1:1/flashcards" in err
    for part in ("hun", "ter", "#2", "?x"):
        assert part not in err


def test_the_environment_url_is_masked_too(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("FLASHCARDS_DB", URL)
    assert main(["backup"]) == 1
    assert "hun" not in capsys.readouterr().err


def test_a_collection_shown_in_a_crash_report_hides_the_password(col) -> None:
    from dataclasses import replace

    assert "hunter2" not in repr(replace(col, target="postgresql://u:hunter2@h/db"))
