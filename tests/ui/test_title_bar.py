"""The browser's header bar: the title as Textual's `Header` shows it, and its mouse (the icon
opens the command palette, a click elsewhere makes the bar tall and short again)."""

from __future__ import annotations

from textual.command import CommandPalette

from flashcards.ui.widgets.title_bar import TitleBar
from tests.ui.helpers import wait_until


def bar_text(app) -> str:  # noqa: ANN001
    bar = app.screen.query_one(TitleBar)
    return bar.render_line(bar.size.height // 2).text


async def opened(app, pilot) -> TitleBar:  # noqa: ANN001
    app.open_browse()
    await wait_until(pilot, lambda: app.screen.query(TitleBar))
    await pilot.pause()
    return app.screen.query_one(TitleBar)


async def test_the_title_is_centred_between_the_icon_and_the_clock_place(col, make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await opened(app, pilot)
        assert bar_text(app) == " ⭘      " + "flashcards".center(62) + " " * 10
        app.sub_title = "Browse"
        await pilot.pause()
        assert bar_text(app).split() == ["⭘", "flashcards", "—", "Browse"]


async def test_a_long_title_is_cut_with_an_ellipsis(col, make_app):
    app = make_app()
    async with app.run_test(size=(60, 20)) as pilot:
        await opened(app, pilot)
        app.screen.title = "A title far too long for the room a sixty column bar leaves it"
        await pilot.pause()
        line = bar_text(app)
        assert len(line) == 60 and line[8:50].endswith("…") and line[50:] == " " * 10


async def test_a_click_on_the_icon_opens_the_command_palette(col, make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await opened(app, pilot)
        await pilot.click(TitleBar, offset=(1, 0))
        await wait_until(pilot, lambda: isinstance(app.screen, CommandPalette))


async def test_a_click_elsewhere_makes_the_bar_tall_and_short_again(col, make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        bar = await opened(app, pilot)
        assert bar.size.height == 1
        await pilot.click(TitleBar, offset=(40, 0))
        await wait_until(pilot, lambda: bar.size.height == 3)
        assert "flashcards" in bar_text(app) and bar.render_line(0).text.strip() == ""
        await pilot.click(TitleBar, offset=(40, 1))
        await wait_until(pilot, lambda: bar.size.height == 1)
