"""SVG snapshots of the home screen, statistics, the import dialog and the card browser at the
three sizes issue 16 names (60x20, 80x24, 120x40), with a FixedClock so no date changes them.

Regenerate after an intended change with `pytest tests/ui/test_home_snapshots.py
--snapshot-update`, then open the SVGs and look at them.
"""

from __future__ import annotations

import datetime as dt

import pytest
from textual.widgets import DirectoryTree

from flashcards.storage import Card, Deck
from tests.conftest import add_cards
from tests.stats.history import card, log
from tests.ui.helpers import add_card, wait_until

SIZES = [(60, 20), (80, 24), (120, 40)]
TODAY = dt.date(2026, 3, 2)


def _collection(col) -> None:
    """Nested decks, a long name, a description, a cloze card with lapses, three weeks of
    reviews."""
    add_cards(col, "Spanish::Verbs::Irregular", 4, prefix="irr")
    add_cards(col, "Spanish::Nouns", 12, prefix="noun")
    add_cards(col, "Medicine::Cardiology and the vessels of the heart, in depth", 5, prefix="c")
    cloze = add_card(col, "Medicine::Anatomy", "a1",
                     "Blood leaves the heart through the {{c1::arteries}}", "",
                     kind="cloze", ordinal=1)  # fmt: skip
    Card.update(due=TODAY, repetitions=3, interval=10, lapses=1, easiness=210).where(
        Card.id == cloze
    ).execute()
    Deck.update(description="Structures of the body, from the muscles to the vessels.").where(
        Deck.name == "Medicine::Anatomy"
    ).execute()
    for i in range(8):
        c = card(col, "Medicine::Anatomy", due=TODAY + dt.timedelta(days=i % 6),
                 repetitions=2, interval=6, lapses=i % 3, easiness=240 - 5 * i)  # fmt: skip
        for d in range(0, 21, 1 + i % 3):
            log(c, TODAY - dt.timedelta(days=d), 4 if d % 4 else 2, reps=2, interval=6, seconds=6)


async def _on_anatomy(pilot) -> None:
    await pilot.press("down", "down")  # All decks, Medicine, Anatomy
    await pilot.pause()


async def _statistics(pilot) -> None:
    await pilot.press("s")
    await wait_until(pilot, lambda: getattr(pilot.app.screen, "stats", None) is not None)
    await pilot.pause()


async def _import_missing_file(pilot) -> None:
    await pilot.press("i")

    def files_listed() -> bool:
        trees = pilot.app.screen.query(DirectoryTree)
        return bool(trees) and bool(trees.first().root.children)

    await wait_until(pilot, files_listed)
    await pilot.press(*"nope.toml", "enter")
    await pilot.pause()


async def _browser(pilot) -> None:
    await wait_until(pilot, lambda: pilot.app.screen.ready)
    await pilot.press("slash")
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


SCREENS = {
    "home": _on_anatomy,
    "statistics": _statistics,
    "import_dialog": _import_missing_file,
    "browser": _browser,
}


@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
@pytest.mark.parametrize("screen", SCREENS)
def test_screen(col, make_app, snap_compare, deck_folder, screen, size):
    _collection(col)
    assert snap_compare(make_app(), terminal_size=size, run_before=SCREENS[screen])
