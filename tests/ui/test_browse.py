"""The card browser: opened from home and the palette, searching, marking, and acting on cards."""

from __future__ import annotations

from textual.widgets import Input

from flashcards.services.bundled import install_bundled_decks_once
from flashcards.ui.screens.browse import BrowseScreen
from flashcards.ui.screens.confirm import ConfirmScreen
from flashcards.ui.screens.home import HomeScreen
from flashcards.ui.widgets.card_pane import CardPane
from flashcards.ui.widgets.card_table import CardTable
from flashcards.ui.widgets.deck_table import DeckTable
from tests.ui.helpers import shown


def new_count(app) -> str:  # noqa: ANN001
    table = app.screen.query_one(DeckTable)
    return str(table.get_row("Muscle spasms")[1])


async def open_browser(app, pilot, query: str = "") -> CardTable:  # noqa: ANN001
    """Open the browser on `query` and wait for its first search; returns the card list."""
    app.open_browse(query)
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()
    return app.screen.query_one(CardTable)


async def search(app, pilot, query: str) -> None:  # noqa: ANN001
    """Type a query and press Enter (which searches at once), then wait for the worker."""
    field = app.screen.query_one(Input)
    field.focus()
    field.value = ""
    await pilot.press(*query, "enter")
    await app.workers.wait_for_complete()
    await pilot.pause()


async def test_browse_suspends_two_cards_and_home_counts_drop(col, make_app):
    install_bundled_decks_once(col)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        assert new_count(app) == "47"
        await pilot.press("slash")
        await pilot.pause()
        assert isinstance(app.screen, BrowseScreen)
        await search(app, pilot, "tag:dystonias")
        table = app.screen.query_one(CardTable)
        assert table.row_count == 4
        assert shown(app.screen, "#search-status") == "4 cards"
        assert "Dystonias" in str(app.screen.query_one(CardPane).visual)
        await pilot.press("space", "space")  # marks two, moving down
        assert len(table.marked) == 2
        assert shown(app.screen, "#search-status") == "4 cards · 2 marked"
        await pilot.press("s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        await search(app, pilot, "tag:dystonias is:suspended")
        assert table.row_count == 2
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert new_count(app) == "45"

        await pilot.press("slash")
        await pilot.pause()
        await search(app, pilot, "is:suspended")
        assert app.screen.query_one(CardTable).row_count == 2
        await pilot.press("space", "space", "u")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen.query_one(CardTable).row_count == 0
        await pilot.press("escape")
        await pilot.pause()
        assert new_count(app) == "47"


async def test_a_bad_query_shows_its_error_and_changes_nothing(col, make_app):
    install_bundled_decks_once(col)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_browser(app, pilot)
        await search(app, pilot, "prp:x")
        assert shown(app.screen, "#search-status") == "unknown field 'prp' at column 1"


async def test_typing_searches_after_a_pause(col, make_app):
    install_bundled_decks_once(col)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        table = await open_browser(app, pilot)
        assert table.row_count == 47
        await pilot.press(*"botox")  # no Enter: the debounce timer starts the search
        for _ in range(100):
            if table.row_count == 8:
                break
            await pilot.pause(0.05)
            await app.workers.wait_for_complete()
        assert table.row_count == 8
        assert shown(app.screen, "#search-status") == "8 cards"


async def test_delete_asks_first(col, make_app):
    install_bundled_decks_once(col)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        table = await open_browser(app, pilot, "tag:dystonias")
        table.focus()
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await pilot.pause()
        assert table.row_count == 4
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("y")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert table.row_count == 3


async def test_the_palette_opens_the_browser(col, make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Browse cards", "enter")
        await pilot.pause()
        assert isinstance(app.screen, BrowseScreen)


async def test_table_and_pane_fit_at_80_by_24(col, make_app):
    install_bundled_decks_once(col)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        table = await open_browser(app, pilot)
        pane = app.screen.query_one(CardPane)
        assert table.region.height >= 5
        assert pane.region.height == 7
        assert pane.region.bottom <= 23  # the footer's line stays below it
        assert table.region.right <= 80 and pane.region.right <= 80


def test_browser_snapshot_at_80_by_24(col, make_app, snap_compare):
    """The whole browser at the smallest supported size: every column and the pane visible."""
    install_bundled_decks_once(col)

    async def searched(pilot) -> None:  # noqa: ANN001
        await open_browser(pilot.app, pilot)
        await search(pilot.app, pilot, "tag:dystonias")
        await pilot.press("space")

    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=searched)
