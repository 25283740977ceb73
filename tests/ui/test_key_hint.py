"""The browser's one-line footer: the same keys as Textual's footer, following focus, and the
same mouse (a click presses a key, the wheel brings cut-off keys into view)."""

from __future__ import annotations

from textual import events
from textual.command import CommandPalette

from flashcards.services.bundled import install_bundled_decks_once
from flashcards.services.cards import card_details
from flashcards.ui.widgets.card_table import CardTable
from flashcards.ui.widgets.key_hint import KeyHint
from tests.ui.helpers import wait_until


def hint_text(app) -> str:  # noqa: ANN001
    return app.screen.query_one(KeyHint).render_line(0).text


async def open_on_list(app, pilot) -> CardTable:  # noqa: ANN001
    app.open_browse()
    await wait_until(
        pilot, lambda: app.screen.query(CardTable) and app.screen.query_one(CardTable).row_count
    )
    table = app.screen.query_one(CardTable)
    table.focus()
    await wait_until(pilot, lambda: " s Suspend " in hint_text(app))
    return table


async def test_the_hint_follows_the_focused_widget(col, make_app):
    """The search box takes letters, so only its keys show; the list shows the card keys."""
    install_bundled_decks_once(col)
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        app.open_browse()
        await wait_until(
            pilot, lambda: app.screen.query(KeyHint) and " esc Back " in hint_text(app)
        )
        assert hint_text(app).startswith(" / Search  esc Back ")
        assert " s Suspend " not in hint_text(app)
        assert hint_text(app).endswith("▏^p palette ")
        await open_on_list(app, pilot)
        line = hint_text(app)
        assert line.startswith(" / Search  space Mark  s Suspend  u Unsuspend  f Forget ")
        assert " t Tag " in line and len(line) == 100


async def test_a_click_on_a_key_presses_it(col, make_app):
    install_bundled_decks_once(col)
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        table = await open_on_list(app, pilot)
        card_id = table.selected_id()
        assert card_id is not None
        x = hint_text(app).index(" s Suspend ") + 2
        await pilot.click(KeyHint, offset=(x, 0))
        await wait_until(pilot, lambda: card_details(col, card_id).suspended)
        assert app.notices[-1].message == "Suspended 1 card"


async def test_a_click_on_the_palette_key_opens_the_palette(col, make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        app.open_browse()
        await wait_until(pilot, lambda: app.screen.query(KeyHint) and "^p" in hint_text(app))
        await pilot.click(KeyHint, offset=(hint_text(app).index("^p"), 0))
        await wait_until(pilot, lambda: isinstance(app.screen, CommandPalette))


async def test_the_key_under_the_pointer_is_highlighted(col, make_app):
    install_bundled_decks_once(col)
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await open_on_list(app, pilot)
        hint = app.screen.query_one(KeyHint)
        x = hint_text(app).index(" s Suspend ") + 2
        before = [segment.style for segment in hint.render_line(0)]
        await pilot.hover(KeyHint, offset=(x, 0))
        await pilot.pause()
        after = [segment.style for segment in hint.render_line(0)]
        changed = [i for i, (a, b) in enumerate(zip(before, after, strict=True)) if a != b]
        assert [segment.text for i, segment in enumerate(hint.render_line(0)) if i in changed] == [
            " s ",
            "Suspend ",
        ]


async def test_the_wheel_brings_keys_that_do_not_fit_into_view(col, make_app):
    """At 60 columns the last keys are cut off, as in Textual's footer; the wheel shows them."""
    install_bundled_decks_once(col)
    app = make_app()
    async with app.run_test(size=(60, 20)) as pilot:
        await open_on_list(app, pilot)
        hint = app.screen.query_one(KeyHint)
        assert " ? Help " not in hint_text(app)
        for _ in range(20):  # more turns than keys: it stops at the last
            hint.post_message(events.MouseScrollDown(hint, 2, 0, 0, 1, 0, False, False, False))
        await wait_until(pilot, lambda: " ? Help " in hint_text(app))
        assert hint_text(app).endswith("▏^p palette ")
        for _ in range(20):
            hint.post_message(events.MouseScrollUp(hint, 2, 0, 0, -1, 0, False, False, False))
        await wait_until(pilot, lambda: hint_text(app).startswith(" / Search "))
