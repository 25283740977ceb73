"""The home screen, the dialogs it opens, the palette, themes and the CLI entry points."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

from textual.widgets import Input, OptionList

from flashcards.storage import Card
from flashcards.ui.screens.help import HelpScreen
from flashcards.ui.screens.home import HomeScreen
from flashcards.ui.screens.import_dialog import ImportScreen
from flashcards.ui.screens.review import ReviewScreen
from flashcards.ui.screens.stats import StatsScreen
from flashcards.ui.screens.summary import SummaryScreen
from flashcards.ui.widgets.deck_table import ALL_DECKS_KEY, DeckTable
from tests.conftest import add_cards
from tests.ui.helpers import import_finished, shown, wait_until

BUNDLED_DECK = Path(__file__).resolve().parents[2] / "decks" / "muscle-spasms.toml"


def row(table: DeckTable, key: str) -> list[str]:
    return list(table.row_cells(key))


async def test_home_lists_decks_with_counts_and_refreshes_after_review(col, make_app):
    add_cards(col, "Spanish::Verbs", 3)
    add_cards(col, "Spanish::Nouns", 2, prefix="n")
    add_cards(col, "Medicine", 1, prefix="m")
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        assert isinstance(app.screen, HomeScreen)
        table = app.screen.query_one(DeckTable)
        assert row(table, ALL_DECKS_KEY) == ["  All decks", "6", "0"]
        assert row(table, "Spanish") == ["▾ Spanish", "5", "0"]
        assert row(table, "Spanish::Verbs") == ["    Verbs", "3", "0"]
        assert "0 reviews · streak 0 days" in shown(app.screen, "TodayPanel")
        table.move_cursor_to("Spanish::Verbs")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        assert app.screen.session.deck == "Spanish::Verbs"
        await pilot.press("space", "5", "q")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert row(table, "Spanish::Verbs")[1] == "2"
        assert "1 review · streak 1 day" in shown(app.screen, "TodayPanel")
        assert table.selected_deck() == "Spanish::Verbs"


async def test_home_without_decks_says_how_to_import(make_app):
    app = make_app()
    async with app.run_test(size=(100, 32)):
        assert "No decks yet" in shown(app.screen, "#empty")
        assert not app.screen.query_one(DeckTable).display


async def test_help_lists_the_keys_of_the_screen(col, make_app):
    add_cards(col, "D", 1)
    app = make_app(start_review="D")
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        keys = dict(app.screen.rows)
        assert keys["!"] == "Suspend" and keys["u"] == "Undo" and keys["?"] == "Help"
        assert ("5", "perfect response") in app.screen.rows
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)


async def test_theme_change_is_saved(col, make_app, tmp_path):
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        app.theme = "nord"
        await pilot.pause()
    saved = tomllib.loads((tmp_path / "config.toml").read_text())
    assert saved["theme"] == "nord"
    assert app.settings.theme == "nord"


async def test_palette_offers_review_per_deck(col, make_app):
    add_cards(col, "Spanish", 1)
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Review: Spanish")

        def spanish_highlighted() -> bool:  # the palette lists its hits a batch at a time
            lists = app.screen.query(OptionList)
            option = lists.first().highlighted_option if lists else None
            return option is not None and "Review: Spanish" in str(option.prompt)

        await wait_until(pilot, spanish_highlighted)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        assert app.screen.session.deck == "Spanish"


async def test_statistics_key_opens_stats(col, make_app):
    add_cards(col, "D", 1)
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, StatsScreen)


async def test_import_dialog_imports_in_a_worker(col, make_app):
    cards = 47  # the deck's 35 [[cards]] tables: reverse pairs, clozes of several deletions
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("i")
        await pilot.pause()
        assert isinstance(app.screen, ImportScreen)
        app.screen.query_one("#path", Input).value = str(BUNDLED_DECK)
        await pilot.press("enter")
        await import_finished(app)
        await pilot.pause()
        result = shown(app.screen, "#import-result")
        assert "Import finished" in result and f"added {cards}" in result
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        table = app.screen.query_one(DeckTable)
        # every imported card is new; home shows what a review offers today: the default
        # limit of 20 new cards a day
        assert row(table, ALL_DECKS_KEY)[1] == "20"
    assert Card.select().count() == cards


async def test_import_dialog_shows_errors(col, make_app, tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("this is = = not toml\n")
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("i")
        await pilot.pause()
        app.screen.query_one("#path", Input).value = str(tmp_path / "missing.toml")
        await pilot.press("enter")
        await pilot.pause()
        assert "No such file" in shown(app.screen, "#import-result")
        app.screen.query_one("#path", Input).value = str(bad)
        await pilot.press("enter")
        await import_finished(app)
        await pilot.pause()
        assert app.screen.query_one("#import-result").has_class("-error")
        assert "bad.toml" in shown(app.screen, "#import-result")


def test_review_of_a_missing_deck_fails_before_the_tui(db_path):
    """A subprocess, so we can see that Textual was never even imported."""
    code = (
        "import sys\n"
        "from flashcards.cli import main\n"
        f"rc = main(['--db', {str(db_path)!r}, 'review', 'Nope'])\n"
        "print(rc, 'textual' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.stdout.split() == ["1", "False"]
    assert done.stderr.startswith("flashcards: no deck named 'Nope'")
    assert done.stderr.count("\n") == 1


async def test_import_dialog_can_skip_invalid_cards(col, make_app, tmp_path):
    deck = tmp_path / "mixed.csv"
    deck.write_text("front,back\nuno,one\n,no front\ndos,two\n")
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("i")
        await pilot.pause()
        app.screen.query_one("#skip-invalid").value = True
        app.screen.query_one("#path", Input).value = str(deck)
        await pilot.press("enter")
        await import_finished(app)
        await pilot.pause()
        result = shown(app.screen, "#import-result")
        assert "added 2" in result and "skipped 1" in result, result
