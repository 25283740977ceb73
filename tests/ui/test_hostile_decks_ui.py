"""Hostile decks in the TUI: the import dialog shows a refused file as the CLI does, in a line,
and the app keeps running; a hostile card that did get in shows without freezing the review.

Once these files crashed the app from the import worker (RecursionError, OverflowError) or froze
it (/dev/zero read until memory ran out, a cloze card took 87 s to show).
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from textual.widgets import Input

from flashcards.storage import Card, Deck
from flashcards.ui.screens.import_dialog import ImportScreen
from flashcards.ui.screens.review import ReviewScreen
from tests.decks.anki_builders import BASIC, Note, build_apkg
from tests.decks.hostile import hostile_text_file, non_regular_file
from tests.ui.helpers import add_card, import_finished, shown


def _nested_toml(tmp_path: Path) -> Path:
    return hostile_text_file(tmp_path, "nested.toml")


def _overflow_apkg(tmp_path: Path) -> Path:
    note = Note(1, "g", BASIC.id, ["q", "a"], "", [(0, 1, 0, 2, 5, 0, 10, 1e300, 1e300)])
    return build_apkg(
        tmp_path / "overflow.apkg", "anki21", models=[BASIC], notes=[note], decks={1: "Default"}
    )


def _dev_zero_link(tmp_path: Path) -> Path:
    return non_regular_file(tmp_path, "symlink")


@pytest.mark.parametrize(
    ("build", "words"),
    [
        (_nested_toml, "nested too deeply"),
        (_overflow_apkg, "1 problem in"),
        (_dev_zero_link, "only regular files are read"),
    ],
)
async def test_hostile_files_are_shown_not_crashed_on(col, make_app, tmp_path, build, words):
    path = build(tmp_path)
    decks_before = Deck.select().count()
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("i")
        await pilot.pause()
        app.screen.query_one("#path", Input).value = str(path)
        await pilot.press("enter")
        await import_finished(app)
        await pilot.pause()
        assert isinstance(app.screen, ImportScreen)
        result = app.screen.query_one("#import-result")
        assert result.has_class("-error")
        first = shown(app.screen, "#import-result").splitlines()[0]
        assert words in first and path.name in first
        assert app.is_running
    assert Card.select().count() == 0 and Deck.select().count() == decks_before


async def test_a_100kb_cloze_with_an_unclosed_deletion_shows_within_seconds(col, make_app):
    """Once: the review screen froze for 87 s each time this card came up (regex backtracking)."""
    text = "{{c1::x}} {{c2::" + "a::" * 33_000
    add_card(col, "Cloze", "k", text, "", kind="cloze", ordinal=1)
    app = make_app(start_review="Cloze")
    start = time.perf_counter()
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        await pilot.press("space")
        await pilot.pause()
        assert time.perf_counter() - start < 10
