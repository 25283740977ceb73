"""The home screen's tree and overview, its refresh at the rollover, the import dialog, themes."""

from __future__ import annotations

import datetime as dt

import pytest
from rich.cells import cell_len
from textual.widgets import DirectoryTree, Input, ProgressBar

from flashcards.cli import main
from flashcards.errors import UserError
from flashcards.storage import Card
from flashcards.ui.commands import FlashcardsCommands
from flashcards.ui.screens.home import HomeScreen
from flashcards.ui.screens.import_dialog import ImportScreen
from flashcards.ui.screens.review import ReviewScreen
from flashcards.ui.widgets.deck_table import ALL_DECKS_KEY, DeckTable
from tests.conftest import add_cards
from tests.stats.history import card, log
from tests.ui.helpers import import_finished, shown, wait_until

TODAY = dt.date(2026, 3, 2)


def due(table: DeckTable, key: str) -> str:
    return table.row_cells(key)[2]


def footer_keys(screen) -> set[str]:
    return {key.key_display or key.key for key in screen.query("FooterKey")}


async def test_counts_refresh_at_the_rollover_hour(col, clock, make_app, monkeypatch):
    card(col, "Lang", due=TODAY + dt.timedelta(days=1), repetitions=2, interval=6)
    monkeypatch.setattr(HomeScreen, "DAY_CHECK_SECONDS", 0.05)
    days_given: list[dt.date] = []  # every day the clock gives: the day check asks each tick
    real_today = clock.today
    monkeypatch.setattr(clock, "today", lambda: days_given.append(real_today()) or days_given[-1])
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        table = app.screen.query_one(DeckTable)
        assert due(table, "Lang") == "0"
        clock.advance(hours=17, minutes=59)  # 03:59 the next morning: still Monday's study day
        asked = len(days_given)
        await wait_until(pilot, lambda: len(days_given) > asked)  # a day check at 03:59
        await pilot.pause()
        assert days_given[-1] == TODAY and due(table, "Lang") == "0"
        clock.advance(minutes=1)  # 04:00: Tuesday
        await wait_until(pilot, lambda: due(table, "Lang") == "1")
        assert "1 due" in shown(app.screen, "#overview-figures")


async def test_counts_refresh_when_the_app_resumes(col, make_app):
    add_cards(col, "Lang", 1)
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        table = app.screen.query_one(DeckTable)
        add_cards(col, "Lang", 2, prefix="later")  # written by another process meanwhile
        assert table.row_cells("Lang")[1] == "1"
        app.app_resume_signal.publish(app)  # what Textual does after ctrl+z and `fg`
        await wait_until(pilot, lambda: table.row_cells("Lang")[1] == "3")


async def test_a_parent_folds_and_unfolds(col, make_app):
    add_cards(col, "Spanish::Verbs::Irregular", 1)
    add_cards(col, "Spanish::Nouns", 1, prefix="n")
    add_cards(col, "Medicine", 1, prefix="m")
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        table = app.screen.query_one(DeckTable)
        keys = table.row_keys
        assert "Spanish::Verbs::Irregular" in keys()
        table.move_cursor_to("Spanish")
        await pilot.press("space")
        assert keys() == [ALL_DECKS_KEY, "Medicine", "Spanish"]
        assert table.row_cells("Spanish")[0].startswith("▸ ")
        assert table.selected_deck() == "Spanish"
        await pilot.press("space")
        assert "Spanish::Nouns" in keys() and "Spanish::Verbs::Irregular" in keys()
        table.move_cursor_to("Spanish::Verbs::Irregular")
        await pilot.press("left")  # on a leaf: folds its parent, the cursor goes there
        assert "Spanish::Verbs::Irregular" not in keys()
        assert table.selected_deck() == "Spanish::Verbs"
        await pilot.press("right")
        assert "Spanish::Verbs::Irregular" in keys()
        add_cards(col, "Spanish::Nouns", 1, prefix="n2")
        table.move_cursor_to("Spanish")
        await pilot.press("space")
        app.screen.refresh_counts()  # a refresh keeps what is folded
        assert "Spanish::Nouns" not in keys()


async def test_keys_move_the_cursor_and_enter_reviews_the_deck_under_it(col, make_app):
    for name in ("Alpha", "Beta", "Gamma"):
        add_cards(col, name, 1, prefix=name)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        await wait_until(pilot, lambda: screen.ready)
        table = screen.query_one(DeckTable)
        assert table.has_focus and table.selected_deck() is None  # All decks
        moves = [("down", "Alpha"), ("down", "Beta"), ("end", "Gamma"), ("up", "Beta")]
        moves += [("home", None), ("pagedown", "Gamma"), ("pageup", None), ("down", "Alpha")]
        for key, deck in moves:
            await pilot.press(key)
            assert table.selected_deck() == deck, key
        await wait_until(pilot, lambda: shown(screen, "#overview-title") == "Alpha")
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ReviewScreen))
        assert app.screen.session.deck == "Alpha"


async def test_the_list_cuts_wide_names_to_its_width_and_shows_markup_as_text(col, make_app):
    add_cards(col, "漢字" * 30, 1)
    add_cards(col, "[bold]x[/] [link=http://a]y", 1, prefix="m")
    app = make_app()
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        table = app.screen.query_one(DeckTable)
        lines = [table.render_line(y).text for y in range(table.row_count + 1)]
        assert all(cell_len(line) == table.size.width for line in lines)
        assert lines[0].split() == ["Deck", "New", "Due"]
        assert any("[bold]x[/] [link=http://a]y" in line for line in lines)
        wide = next(line for line in lines if "漢" in line)
        assert "…" in wide and wide.split()[-2:] == ["1", "0"]  # the counts still shown


async def test_overview_follows_the_cursor(col, make_app):
    a = card(col, "Lang::Verbs", due=TODAY, repetitions=2, interval=6)
    add_cards(col, "Lang::Verbs", 2, prefix="v")
    add_cards(col, "Maths", 4, prefix="m")
    log(a, TODAY, 4, reps=2, interval=6, seconds=30)
    log(a, TODAY, 4, drill=True, seconds=15)
    from flashcards.storage import Deck

    Deck.update(description="Verbs of [bold]every[/] kind").where(
        Deck.name == "Lang::Verbs"
    ).execute()
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        table = app.screen.query_one(DeckTable)
        assert shown(app.screen, "#overview-title") == "All decks"
        table.move_cursor_to("Lang::Verbs")
        await pilot.pause()
        assert shown(app.screen, "#overview-title") == "Lang::Verbs"
        assert shown(app.screen, "#overview-description") == "Verbs of [bold]every[/] kind"
        figures = " ".join(shown(app.screen, "#overview-figures").split())
        assert "2 new · 1 due" in figures
        assert "1 review · 1 drill" in figures and "2 answers in 45s" in figures
        table.move_cursor_to("Maths")
        await pilot.pause()
        assert "4 new · 0 due" in shown(app.screen, "#overview-figures")
        assert not app.screen.query_one("#overview-description").display


async def test_narrow_terminal_puts_the_overview_below(col, make_app):
    add_cards(col, "Lang", 1)
    app = make_app()
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert screen.has_class("-narrow")
        overview, table = screen.query_one("#overview"), screen.query_one(DeckTable)
        assert overview.region.y >= table.region.bottom
        assert {"q", "s", "i", "/", "?", "⏎", "␣"} <= footer_keys(screen)
        regions = [key.region for key in screen.query("FooterKey")]
        assert all(r.right <= 60 for r in regions)  # none cut off, none covering another
        assert not any(a.overlaps(b) for i, a in enumerate(regions) for b in regions[i + 1 :])


async def test_the_import_dialog_shows_only_its_own_keys(col, make_app):
    add_cards(col, "Lang", 1)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("i")
        await wait_until(pilot, lambda: isinstance(app.screen, ImportScreen))
        await pilot.pause()
        keys = footer_keys(app.screen)
        assert "esc" in keys and not keys & {"q", "s", "i", "␣"}
        await pilot.press("q", "s")  # typed into the path, neither quits nor opens statistics
        assert app.screen.query_one("#path", Input).value == "qs"
        assert isinstance(app.screen, ImportScreen)


async def _open_import(app, pilot) -> ImportScreen:
    await pilot.press("i")
    await wait_until(pilot, lambda: isinstance(app.screen, ImportScreen))
    await wait_until(pilot, lambda: bool(app.screen.query_one(DirectoryTree).root.children))
    return app.screen


async def test_import_dialog_missing_file_shows_no_progress(deck_folder, make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open_import(app, pilot)
        screen.query_one("#path", Input).value = "nope.toml"
        await pilot.press("enter")
        await pilot.pause()
        assert "No such file" in shown(screen, "#import-result")
        assert not screen.query_one(ProgressBar).display


async def test_import_dialog_picking_a_file_fills_the_input(deck_folder, make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open_import(app, pilot)
        tree = screen.query_one(DirectoryTree)
        names = [str(node.label) for node in tree.root.children]
        # notes.txt is no deck file
        assert names == ["more", "medicine.toml", "mixed.csv", "spanish.csv"]
        tree.focus()
        tree.move_cursor(tree.root.children[3])
        await pilot.press("enter")
        await wait_until(pilot, lambda: screen.query_one("#path", Input).value == "spanish.csv")
        assert screen.query_one("#path", Input).has_focus
        await pilot.press("enter")
        await import_finished(app)
        await wait_until(pilot, lambda: "Import finished" in shown(screen, "#import-result"))
        assert not screen.query_one(ProgressBar).display  # only while an import runs
    assert Card.select().count() == 1


async def test_import_dialog_error_names_the_checkbox(deck_folder, make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open_import(app, pilot)
        path = screen.query_one("#path", Input)
        path.value = "mix"
        # the completion is shown after what was typed, as the input draws its one line
        await wait_until(pilot, lambda: path.render_line(0).text.rstrip() == "mixed.csv")
        await pilot.press("right")
        assert path.value == "mixed.csv"
        await pilot.press("enter")
        await import_finished(app)
        await wait_until(pilot, lambda: screen.query_one("#import-result").has_class("-error"))
        result = shown(screen, "#import-result")
        assert "“Skip invalid cards”" in result and "--skip-invalid" not in result
        assert not screen.query_one(ProgressBar).display


def test_an_unknown_theme_is_an_error_naming_the_file_and_the_themes(col, tmp_path):
    from dataclasses import replace

    from flashcards.ui.app import FlashcardsApp

    with pytest.raises(UserError) as caught:
        FlashcardsApp(col, replace(col.settings, theme="nope"), config_path=tmp_path / "c.toml")
    message = str(caught.value)
    assert message.startswith(f"{tmp_path / 'c.toml'}: unknown theme 'nope' (available: ")
    assert "textual-dark" in message and "nord" in message and "\n" not in message


def test_the_cli_refuses_an_unknown_theme_in_one_line(db_path, tmp_path, capsys):
    config = tmp_path / "config.toml"
    config.write_text('theme = "solarised-ish"\n')
    assert main(["--db", str(db_path), "--config", str(config)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"flashcards: {config}: unknown theme 'solarised-ish'")
    assert err.count("\n") == 1


async def test_the_palette_leaves_themes_to_textual(col, make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)):
        provider = FlashcardsCommands(app.screen)
        await provider.startup()
        names = [name for name, _, _ in provider.commands]
        assert not any("theme" in name.lower() for name in names)
        assert "Theme" in [c.title for c in app.get_system_commands(app.screen)]


async def test_home_refresh_reads_a_fixed_number_of_queries(col, make_app):
    """One query per figure, never one per deck: 3 decks or 40, the same count."""
    from playhouse.test_utils import count_queries

    add_cards(col, "Lang::Verbs", 2)
    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        table = app.screen.query_one(DeckTable)
        table.move_cursor_to("Lang")
        await pilot.pause()
        with count_queries() as few:
            app.screen.refresh_counts()
        for i in range(40):
            add_cards(col, f"Lang::Sub{i}::Deep", 1, prefix=f"s{i}")
        with count_queries() as many:
            app.screen.refresh_counts()
        assert few.count == many.count <= 12, (few.count, many.count)
