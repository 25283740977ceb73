"""The footer that rebuilds only when its keys change: it still follows focus and screens."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import Button, Footer, Input

from flashcards.ui.screens.browse import BrowseScreen
from flashcards.ui.widgets.key_footer import KeyFooter
from tests.ui.helpers import wait_for_footer, wait_until


def keys(footer: Footer) -> list[str]:
    """The keys the footer shows (its FooterKey widgets, queried by their type's name)."""
    return [key.key for key in footer.query("FooterKey")]


class SearchAndList(App[None]):
    """A search box and a button under screen keys, as the browser had before its own hint."""

    BINDINGS = [
        Binding("slash", "focus('query')", "Search", key_display="/"),
        Binding("s", "bell", "Suspend"),
    ]

    def compose(self) -> ComposeResult:
        yield Input(id="query")
        yield Button("list")
        yield KeyFooter()


async def test_the_footer_follows_the_focused_widget():
    """The search box takes letters, so only its keys show; elsewhere the letter keys show."""
    app = SearchAndList()
    async with app.run_test(size=(100, 30)) as pilot:
        footer = app.screen.query_one(KeyFooter)
        app.screen.query_one(Input).focus()
        await wait_until(pilot, lambda: keys(footer))
        assert "slash" in keys(footer) and "s" not in keys(footer)
        app.screen.query_one(Button).focus()
        await wait_until(pilot, lambda: "s" in keys(footer))


async def test_a_covered_screen_keeps_its_footer_and_shows_it_again(col, make_app):
    """Home's footer is not rebuilt while the browser covers it, and its keys work after."""
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_footer(pilot)
        home = app.screen
        before = list(home.query("FooterKey"))
        assert "slash" in keys(home.query_one(Footer))
        app.open_browse()
        await wait_until(pilot, lambda: isinstance(app.screen, BrowseScreen))
        await pilot.pause()
        app.pop_screen()
        await wait_until(pilot, lambda: app.screen is home)
        await pilot.pause()
        assert list(home.query("FooterKey")) == before
        assert all(key.is_attached for key in before)
        await pilot.press("slash")  # home's search key opens the browser
        await wait_until(pilot, lambda: isinstance(app.screen, BrowseScreen))
