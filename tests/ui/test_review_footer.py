"""The review screen's footer after the terminal shrinks: keys that no longer fit go under the
command palette's key, and nothing of them shows on either side of it."""

from __future__ import annotations

import pytest

from tests.conftest import add_cards
from tests.ui.helpers import screen_text, wait_for_footer

PALETTE = "▏^p palette"


def _footer_line(app) -> str:
    return screen_text(app).splitlines()[-1].rstrip()


@pytest.mark.parametrize("answered", [False, True])  # an answer adds "u Undo": the keys overflow
async def test_the_footer_ends_with_the_palette_key_after_a_resize(col, make_app, answered):
    add_cards(col, "Deck", 5)
    app = make_app("Deck")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_footer(pilot)
        if answered:
            await pilot.press("space", "4")
            await wait_for_footer(pilot)
        assert _footer_line(app).endswith(PALETTE)
        await pilot.resize_terminal(60, 20)
        await pilot.pause()
        line = _footer_line(app)
        assert line.endswith(PALETTE), line  # was "…e Edit▏^p palettee": "? Help" showed through
        assert len(line) <= 60
