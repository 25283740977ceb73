"""The start's objects are frozen once the first screen is complete and given back to the
collector when the app ends (`flashcards/ui/heap.py`)."""

from __future__ import annotations

import gc

import pytest

from flashcards.ui.screens.review import ReviewScreen
from tests.conftest import add_cards
from tests.ui.helpers import wait_until


@pytest.mark.parametrize("start_review", [None, "Spanish"], ids=["home", "review"])
async def test_first_complete_screen_freezes_the_start_and_the_end_releases_it(
    col, make_app, start_review
):
    add_cards(col, "Spanish", 2)
    assert gc.get_freeze_count() == 0  # nothing left frozen by an earlier app
    app = make_app(start_review=start_review)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        if start_review is not None:
            assert isinstance(screen, ReviewScreen)
        await wait_until(pilot, lambda: screen.ready)
        await wait_until(pilot, lambda: gc.get_freeze_count() > 0)
        await pilot.press("escape" if start_review else "down")  # the app goes on: still frozen
        await pilot.pause()
        assert gc.get_freeze_count() > 0
    assert gc.get_freeze_count() == 0
